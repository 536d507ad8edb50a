package io.picket.policy.signature;

import java.util.List;

/** Parsed (not yet compiled) signatures; internal to the compiler. */
final class SigModel {
    private SigModel() {
    }

    enum Comp {
        LE, GE, LT, GT, EQ, NE;

        boolean test(long a, long b) {
            return switch (this) {
                case LE -> a <= b;
                case GE -> a >= b;
                case LT -> a < b;
                case GT -> a > b;
                case EQ -> a == b;
                case NE -> a == b; // NE is "none equal": evaluated by the caller
            };
        }
    }

    /** Header test protocols as Zeek's {@code RuleHdrTest::Prot}. */
    enum Prot {
        IP, IP6, ICMP, ICMP6, TCP, UDP, NEXT, IP_SRC, IP_DST
    }

    /** A masked 32-bit value. */
    record Masked(long value, long mask) {
    }

    /** A prefix over 128-bit addresses (IPv4 as IPv4-mapped, length counted over 128 bits). */
    record Prefix(long hi, long lo, int length) {
        long maskHi() {
            return length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
        }

        long maskLo() {
            return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
        }
    }

    record HeaderTest(Prot prot, int offset, int size, Comp comp, List<Masked> values, List<Prefix> prefixes) {
    }

    sealed interface Condition permits TcpState, UdpState, PayloadSize, SameIp {
    }

    static final int STATE_ESTABLISHED = 1;
    static final int STATE_ORIG = 2;
    static final int STATE_RESP = 4;
    static final int STATE_STATELESS = 8;

    record TcpState(int states) implements Condition {
    }

    record UdpState(int states) implements Condition {
    }

    record PayloadSize(Comp comp, long value) implements Condition {
    }

    record SameIp() implements Condition {
    }

    record Precondition(String id, boolean reverse, boolean negate, int line, int column) {
    }

    sealed interface Action permits EventAction, EnableAction {
    }

    record EventAction(String message) implements Action {
    }

    record EnableAction(String analyzer) implements Action {
    }

    record PatternSpec(PatternType type, String text, boolean caseInsensitive, long depth, int line, int column) {
    }

    record Signature(String id, String file, int line, int column, boolean active, List<HeaderTest> headerTests,
                     List<PatternSpec> patterns, List<Condition> conditions, List<Precondition> preconditions,
                     List<Action> actions) {
    }
}
