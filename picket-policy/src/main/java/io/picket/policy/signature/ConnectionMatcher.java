package io.picket.policy.signature;

import io.picket.regex.MultiDfa;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Signature matching state of one connection, with Zeek's semantics ({@code RuleMatcher.cc},
 * {@code PIA.cc}): one state per direction ("endpoint"), created at the first packet of that
 * direction, where the header conditions are evaluated once; content conditions are matched
 * incrementally per {@link PatternType} (a pattern may match across chunks), anchored at the start
 * of each input (TCP stream, each datagram, each HTTP body/header/URI); the conditions of one
 * signature may be met in different chunks; a signature fires at most once per connection;
 * {@code requires-signature}/{@code requires-reverse-signature} are evaluated when the required
 * signature fires, and negated ones only at the end ({@link #finish()}).
 *
 * <p>Owned by the shard thread that owns the connection; not thread-safe. Per-connection memory
 * is bounded by the compiled set and {@link io.picket.policy.Limits#maxMatchedData()}, but grows
 * with what the connection uses rather than with the bundle: the pattern numbering of an endpoint
 * is a {@link MatcherLayout} shared through the set; content is matched as Zeek does, by one
 * combined automaton ({@link io.picket.regex.MultiDfa}) per header group and {@link PatternType},
 * so a direction holds one {@code int} state per (type, candidate group), allocated at that type's
 * first input, and steps once per byte and group whatever the number of patterns; match records
 * exist only for patterns that accepted, and memory-segment input is copied into a per-thread
 * buffer. Payload matching stops after
 * {@link io.picket.policy.Limits#payloadDepth()} bytes (both directions together, as Zeek's
 * {@code dpd_buffer_size}). Feeding never throws on any input.
 */
public final class ConnectionMatcher {
    private static final int TYPES = PatternType.values().length;
    private static final byte[] NO_DATA = new byte[0];
    private static final int[] NO_RULES = new int[0];
    private static final byte[][] NO_TEXTS = new byte[0][];
    private static final int HEADER_COPY = 64;
    /** What {@link #fromSegment} feeds. */
    private static final int STREAM = 0;
    private static final int DATAGRAM = 1;
    private static final int ICMP = 2;

    private final SignatureSet set;
    private final ConnectionFacts facts;
    private final MatchListener listener;
    private final int depth;
    private Endpoint orig;
    private Endpoint resp;
    private long streamBytes;
    private boolean streamSkipping;
    private long packetBytes;
    private boolean packetSkipping;
    private boolean finished;

    ConnectionMatcher(SignatureSet set, ConnectionFacts facts, MatchListener listener) {
        this.set = set;
        this.facts = facts;
        this.listener = listener;
        this.depth = set.limits.payloadDepth();
    }

    /**
     * Where {@code tcp-state established} asks, at the moment a rule's conditions are tested,
     * whether the connection is established (Zeek's {@code RuleConditionTCPState}: both endpoints
     * past SYN_SENT/SYN_ACK_SENT, partial connections included, tear-down included). Without a
     * source a connection is never established.
     */
    public void establishedBy(java.util.function.BooleanSupplier source) {
        this.establishedSource = source;
    }

    private java.util.function.BooleanSupplier establishedSource;

    /**
     * The first packet of a direction: initializes that direction's state with its real headers,
     * for {@code header} conditions ({@code ip[...]} reads from {@code ipOffset}, {@code tcp/udp/icmp[...]}
     * from {@code transportOffset}). Later calls for the same direction are ignored. Without this
     * call a direction is initialized from the connection facts (addresses, ports, protocol and an
     * otherwise zero header), as Zeek does for tunnelled payload.
     */
    public void onFirstPacket(boolean isOrig, int nextProto, MemorySegment packet, long ipOffset,
                              long transportOffset, long end) {
        if (endpoint(isOrig) != null || finished) {
            return;
        }
        HeaderView h = new HeaderView();
        long ipLen = Math.max(0, Math.min(Math.min(transportOffset, end) - ipOffset, HEADER_COPY));
        long tLen = Math.max(0, Math.min(end - transportOffset, HEADER_COPY));
        h.ip = new byte[(int) ipLen];
        h.transport = new byte[(int) tLen];
        if (ipOffset >= 0 && ipOffset + ipLen <= packet.byteSize()) {
            MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, ipOffset, h.ip, 0, (int) ipLen);
        }
        if (transportOffset >= 0 && transportOffset + tLen <= packet.byteSize()) {
            MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, transportOffset, h.transport, 0, (int) tLen);
        }
        h.nextProto = nextProto;
        h.ipv6 = h.ip.length > 0 && (h.ip[0] & 0xF0) == 0x60;
        h.fromFacts(facts, isOrig);
        initEndpoint(isOrig, h);
    }

    /** Reassembled TCP payload of one direction, in order (Zeek's PIA stream matching). */
    public void onStream(boolean isOrig, byte[] data, int offset, int length) {
        if (finished || streamSkipping || !valid(data, offset, length)) {
            return;
        }
        streamBytes += length;
        boolean exceed = streamBytes > depth;
        ensureEndpoint(isOrig);
        match(endpoint(isOrig), PatternType.PAYLOAD, data, offset, length, false, false, false);
        if (exceed) {
            streamSkipping = true;
        }
    }

    /** {@link #onStream(boolean, byte[], int, int)} over a memory segment (copied into a reused buffer). */
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (finished || streamSkipping || !valid(data, offset, length)) {
            return;
        }
        fromSegment(isOrig, data, offset, length, STREAM);
    }

    /** One UDP datagram's payload: matched on its own (Zeek clears the state after each datagram). */
    public void onDatagram(boolean isOrig, byte[] data, int offset, int length) {
        if (finished || packetSkipping || !valid(data, offset, length)) {
            return;
        }
        boolean exceed = false;
        if (length > 0) {
            packetBytes += length;
            exceed = packetBytes > depth;
        }
        ensureEndpoint(isOrig);
        Endpoint e = endpoint(isOrig);
        match(e, PatternType.PAYLOAD, data, offset, length, true, false, false);
        clearEndpoint(e);
        if (exceed) {
            packetSkipping = true;
        }
    }

    /** {@link #onDatagram(boolean, byte[], int, int)} over a memory segment. */
    public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
        if (finished || packetSkipping || !valid(data, offset, length)) {
            return;
        }
        fromSegment(isOrig, data, offset, length, DATAGRAM);
    }

    /**
     * Copies segment input into the shard thread's reused buffer (a fresh one when a listener feeds
     * another matcher from inside a callback) and matches it as a stream chunk, a datagram or an ICMP message.
     */
    private void fromSegment(boolean isOrig, MemorySegment data, long offset, int length, int kind) {
        Scratch sc = SCRATCH.get();
        boolean own = !sc.busy;
        sc.busy = true;
        try {
            byte[] b = own ? sc.copy(data, offset, length) : copyFresh(data, offset, length);
            switch (kind) {
                case DATAGRAM -> onDatagram(isOrig, b, 0, length);
                case ICMP -> onIcmp(isOrig, b, 0, length);
                default -> onStream(isOrig, b, 0, length);
            }
        } finally {
            if (own) {
                sc.busy = false;
            }
        }
    }

    /** {@link #onIcmp(boolean, byte[], int, int)} over a memory segment. */
    public void onIcmp(boolean isOrig, MemorySegment data, long offset, int length) {
        if (finished || !valid(data, offset, length)) {
            return;
        }
        fromSegment(isOrig, data, offset, length, ICMP);
    }

    /** One ICMP message's payload (Zeek's ICMP analyzer: each message from the start state). */
    public void onIcmp(boolean isOrig, byte[] data, int offset, int length) {
        if (finished || !valid(data, offset, length)) {
            return;
        }
        ensureEndpoint(isOrig);
        match(endpoint(isOrig), PatternType.PAYLOAD, data, offset, length, false, false, true);
    }

    /** An HTTP request line: {@code http-request} patterns see the unescaped URI (as Zeek's). */
    public void onHttpRequest(String method, byte[] unescapedUri, String version) {
        if (finished || unescapedUri == null) {
            return;
        }
        ensureEndpoint(true);
        match(orig, PatternType.HTTP_REQUEST, unescapedUri, 0, unescapedUri.length, true, true, true);
    }

    /** An HTTP request line's unescaped URI, given as a range of {@code uri}. */
    public void onHttpRequest(byte[] uri, int offset, int length) {
        if (finished || !valid(uri, offset, length)) {
            return;
        }
        ensureEndpoint(true);
        match(orig, PatternType.HTTP_REQUEST, uri, offset, length, true, true, true);
    }

    /**
     * One HTTP header given as ranges of {@code line}: name, then {@code ": "}, then value, fed as
     * three inputs the way Zeek's {@code HTTP_Analyzer::HTTP_Header} does.
     */
    public void onHttpHeader(boolean isOrig, byte[] line, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        if (finished || !valid(line, nameFrom, nameTo - nameFrom) || !valid(line, valueFrom, valueTo - valueFrom)) {
            return;
        }
        ensureEndpoint(isOrig);
        Endpoint e = endpoint(isOrig);
        PatternType t = isOrig ? PatternType.HTTP_REQUEST_HEADER : PatternType.HTTP_REPLY_HEADER;
        match(e, t, line, nameFrom, nameTo - nameFrom, true, false, true);
        match(e, t, COLON_SPACE, 0, 2, false, false, false);
        match(e, t, line, valueFrom, valueTo - valueFrom, false, true, false);
    }

    /** One HTTP header; matched as {@code name: value} by the request/reply header patterns. */
    public void onHttpHeader(boolean isOrig, byte[] name, byte[] value) {
        if (finished || name == null || value == null) {
            return;
        }
        ensureEndpoint(isOrig);
        Endpoint e = endpoint(isOrig);
        PatternType t = isOrig ? PatternType.HTTP_REQUEST_HEADER : PatternType.HTTP_REPLY_HEADER;
        match(e, t, name, 0, name.length, true, false, true);
        match(e, t, COLON_SPACE, 0, 2, false, false, false);
        match(e, t, value, 0, value.length, false, true, false);
    }

    private static final byte[] COLON_SPACE = {':', ' '};

    /**
     * A chunk of a decoded HTTP body (an entity: the message body, or a MIME part of a multipart
     * body); {@code first} marks the first chunk of the entity, which restarts matching. Feed the
     * chunks exactly as Zeek's HTTP analyzer delivers them (see the module README).
     */
    public void onHttpBody(boolean isOrig, byte[] data, int offset, int length, boolean first) {
        if (finished || !valid(data, offset, length)) {
            return;
        }
        ensureEndpoint(isOrig);
        match(endpoint(isOrig), isOrig ? PatternType.HTTP_REQUEST_BODY : PatternType.HTTP_REPLY_BODY, data, offset,
                length, first, false, first);
    }

    /** The end of an HTTP entity body (lets {@code $} match). */
    public void onHttpBodyEnd(boolean isOrig) {
        if (finished) {
            return;
        }
        ensureEndpoint(isOrig);
        match(endpoint(isOrig), isOrig ? PatternType.HTTP_REQUEST_BODY : PatternType.HTTP_REPLY_BODY, NO_DATA, 0, 0,
                false, true, false);
    }

    /**
     * Generic input, Zeek's {@code RuleMatcherState::Match}: feeds {@code data} to the patterns of
     * {@code type} for one direction with the given beginning/end-of-data and restart flags.
     */
    public void match(PatternType type, boolean isOrig, byte[] data, int offset, int length, boolean bol,
                      boolean eol, boolean clear) {
        if (finished || !valid(data, offset, length)) {
            return;
        }
        ensureEndpoint(isOrig);
        match(endpoint(isOrig), type, data, offset, length, bol, eol, clear);
    }

    /**
     * End of the connection: sends end-of-data to payload patterns and decides the signatures that
     * could only be decided at the end (negated requirements). Further input is ignored.
     */
    public void finish() {
        if (finished) {
            return;
        }
        if (orig != null) {
            finishEndpoint(orig);
        }
        if (resp != null) {
            finishEndpoint(resp);
        }
        finished = true;
    }

    // ---------------------------------------------------------------- internals

    private static boolean valid(byte[] data, int offset, int length) {
        return data != null && offset >= 0 && length >= 0 && offset <= data.length - length;
    }

    private static boolean valid(MemorySegment data, long offset, int length) {
        return data != null && offset >= 0 && length >= 0 && offset <= data.byteSize() - length;
    }

    private static byte[] copyFresh(MemorySegment data, long offset, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, b, 0, length);
        return b;
    }

    /**
     * The copy buffer of memory-segment input, one per shard thread (input is only valid during a
     * feeding call, and listeners copy what they keep); {@code busy} guards against a listener
     * feeding another matcher from inside a callback, which then gets a fresh copy.
     */
    private static final class Scratch {
        byte[] buf = NO_DATA;
        boolean busy;

        byte[] copy(MemorySegment data, long offset, int length) {
            if (buf.length < length) {
                buf = new byte[Math.max(length, Math.min(2 * buf.length, 1 << 20))];
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, buf, 0, length);
            return buf;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Endpoint endpoint(boolean isOrig) {
        return isOrig ? orig : resp;
    }

    private void ensureEndpoint(boolean isOrig) {
        if (endpoint(isOrig) == null) {
            HeaderView h = HeaderView.synthetic(facts, isOrig);
            initEndpoint(isOrig, h);
        }
    }

    /** Zeek's InitEndpoint: header tests, pure rules, matcher creation, BOL to payload matchers. */
    private void initEndpoint(boolean isOrig, HeaderView h) {
        int groupCount = set.groups.size();
        MatcherLayout layout;
        if (groupCount <= 64) {
            long mask = 0;
            for (int g = 0; g < groupCount; g++) {
                if (HeaderTests.allMatch(set.groups.get(g).tests(), h)) {
                    mask |= 1L << g;
                }
            }
            layout = set.layout(mask);
        } else {
            long[] bits = new long[(groupCount + 63) >>> 6];
            for (int g = 0; g < groupCount; g++) {
                if (HeaderTests.allMatch(set.groups.get(g).tests(), h)) {
                    bits[g >>> 6] |= 1L << (g & 63);
                }
            }
            layout = new MatcherLayout(set, bits, 0);
        }
        Endpoint e = new Endpoint(isOrig, layout, set.rules.size());
        if (isOrig) {
            orig = e;
        } else {
            resp = e;
        }
        for (int g : layout.groups) {
            for (int r : set.groups.get(g).pureRules()) {
                CompiledRule rule = set.rules.get(r);
                if (evalConditions(rule, e, false)) {
                    execActions(rule, e, NO_DATA, 0, 0, false);
                }
            }
        }
        match(e, PatternType.PAYLOAD, NO_DATA, 0, 0, true, false, false);
    }

    private Endpoint opposite(Endpoint e) {
        return e.isOrig ? resp : orig;
    }

    /** Zeek's RuleMatcher::Match. */
    private void match(Endpoint e, PatternType type, byte[] data, int offset, int length, boolean bol, boolean eol,
                       boolean clear) {
        if (type == PatternType.PAYLOAD) {
            bol = e.payloadSize < 0;
            if (e.payloadSize <= 0 && length > 0) {
                e.payloadSize = length;
            } else if (e.payloadSize < 0) {
                e.payloadSize = 0;
            }
        }
        int t = type.ordinal();
        MatcherLayout layout = e.layout;
        MultiDfa[] dfas = layout.matchers[t];
        int n = dfas.length;
        if (n == 0) {
            return;
        }
        int[] states = e.states[t];
        if (states == null) {
            states = e.states[t] = new int[n];
        }
        int[][] localOf = layout.localOf[t];
        if (e.curPos[t] < 0 || clear) {
            Arrays.fill(states, MultiDfa.START);
            if (e.curPos[t] < 0) {
                for (int i = 0; i < n; i++) {
                    int[] loc = localOf[i];
                    for (int p : dfas[i].accepts(MultiDfa.START)) {
                        e.record(loc[p], 0);
                    }
                }
            }
            e.curPos[t] = 0;
        }
        long start = e.curPos[t];
        long symbols = (bol ? 1 : 0) + length + (eol ? 1 : 0);
        e.newMatch = false;
        for (int i = 0; i < n; i++) {
            int s = states[i];
            if (s == MultiDfa.DEAD) {
                continue;
            }
            e.slotType = t;
            e.slot = i;
            e.slotLocals = localOf[i];
            states[i] = dfas[i].feed(s, data, offset, offset + length, bol, eol, start, e);
        }
        e.slotLocals = null;
        boolean newMatch = e.newMatch;
        e.curPos[t] = start + symbols;
        if (!newMatch) {
            return;
        }
        for (int g : layout.groups) {
            for (int r : set.groups.get(g).patternRules()) {
                CompiledRule rule = set.rules.get(r);
                if (!allPatternsMatched(rule, e)) {
                    continue;
                }
                if (e.matched(r)) {
                    continue;
                }
                if (e.textIndex(r) < 0) {
                    e.remember(r, data, offset, length, set.limits.maxMatchedData());
                }
                if (!evalConditions(rule, e, false)) {
                    continue;
                }
                execActions(rule, e, data, offset, length, false);
            }
        }
    }

    private boolean allPatternsMatched(CompiledRule rule, Endpoint e) {
        long min = Long.MAX_VALUE;
        int base = e.layout.groupBase[rule.group];
        int first = set.groups.get(rule.group).firstPattern();
        for (int p : rule.patterns) {
            int l = base + p - first;
            if (!e.accepted(l)) {
                return false;
            }
            min = Math.min(min, e.minPos(l));
        }
        return min <= rule.minDepth;
    }

    private boolean evalConditions(CompiledRule rule, Endpoint e, boolean eos) {
        for (int i = 0; i < rule.preRule.length; i++) {
            Endpoint pc = e;
            if (rule.preReverse[i]) {
                pc = opposite(e);
                if (pc == null) {
                    return false;
                }
            }
            if (!rule.preNegate[i]) {
                if (!pc.matched(rule.preRule[i])) {
                    return false;
                }
            } else {
                if (!eos || pc.matched(rule.preRule[i])) {
                    return false;
                }
            }
        }
        for (SigModel.Condition c : rule.conditions) {
            if (!condition(c, e)) {
                return false;
            }
        }
        return true;
    }

    private boolean condition(SigModel.Condition c, Endpoint e) {
        return switch (c) {
            case SigModel.TcpState ts -> {
                if (facts.ipProto() != ConnectionFacts.TCP) {
                    yield false;
                }
                int s = ts.states();
                if ((s & SigModel.STATE_STATELESS) != 0) {
                    yield true;
                }
                if ((s & SigModel.STATE_ORIG) != 0 && !e.isOrig) {
                    yield false;
                }
                if ((s & SigModel.STATE_RESP) != 0 && e.isOrig) {
                    yield false;
                }
                yield (s & SigModel.STATE_ESTABLISHED) == 0
                        || (establishedSource != null && establishedSource.getAsBoolean());
            }
            case SigModel.UdpState us -> {
                if (facts.ipProto() != ConnectionFacts.UDP) {
                    yield false;
                }
                int s = us.states();
                if ((s & SigModel.STATE_STATELESS) != 0) {
                    yield true;
                }
                if ((s & SigModel.STATE_ORIG) != 0 && !e.isOrig) {
                    yield false;
                }
                yield (s & SigModel.STATE_RESP) == 0 || !e.isOrig;
            }
            case SigModel.PayloadSize ps -> {
                if (e.payloadSize <= 0) {
                    yield false;
                }
                long v = e.payloadSize & 0xFFFF_FFFFL;
                yield ps.comp() == SigModel.Comp.NE ? v != ps.value() : ps.comp().test(v, ps.value());
            }
            case SigModel.SameIp si -> facts.origHi() == facts.respHi() && facts.origLo() == facts.respLo();
        };
    }

    /** Zeek's ExecRuleActions. */
    private void execActions(CompiledRule rule, Endpoint e, byte[] data, int offset, int length, boolean eos) {
        Endpoint opp = opposite(e);
        if (opp != null && opp.matched(rule.index)) {
            return;
        }
        e.setMatched(rule.index);
        for (SigModel.Action a : rule.actions) {
            switch (a) {
                case SigModel.EventAction ev -> listener.onMatch(rule.id, ev.message(), e.isOrig, data, offset, length);
                case SigModel.EnableAction en -> listener.onEnable(rule.id, en.analyzer(), e.isOrig);
            }
        }
        for (int dep : rule.dependents) {
            execRule(set.rules.get(dep), e, eos);
            Endpoint o = opposite(e);
            if (o != null) {
                execRule(set.rules.get(dep), o, eos);
            }
        }
    }

    /** Zeek's ExecRule. */
    private void execRule(CompiledRule rule, Endpoint e, boolean eos) {
        if (e.matched(rule.index) || rule.group < 0 || e.layout.groupBase[rule.group] < 0) {
            return;
        }
        if (rule.pure()) {
            execPurely(rule, e, null, eos);
            return;
        }
        int ti = e.textIndex(rule.index);
        if (ti >= 0) {
            execPurely(rule, e, e.texts[ti], eos);
        }
    }

    private boolean execPurely(CompiledRule rule, Endpoint e, byte[] text, boolean eos) {
        if (e.matched(rule.index)) {
            return false;
        }
        if (evalConditions(rule, e, eos)) {
            byte[] d = text == null ? NO_DATA : text;
            execActions(rule, e, d, 0, d.length, eos);
            return true;
        }
        return false;
    }

    private void execPureRules(Endpoint e, boolean eos) {
        for (int g : e.layout.groups) {
            for (int r : set.groups.get(g).pureRules()) {
                execPurely(set.rules.get(r), e, null, eos);
            }
        }
    }

    /** Zeek's ClearEndpointState (after each UDP datagram). */
    private void clearEndpoint(Endpoint e) {
        execPureRules(e, true);
        e.payloadSize = -1;
        Arrays.fill(e.curPos, -1);
        e.clearRecords();
    }

    /** Zeek's FinishEndpoint. */
    private void finishEndpoint(Endpoint e) {
        match(e, PatternType.PAYLOAD, NO_DATA, 0, 0, false, true, false);
        execPureRules(e, true);
        for (int i = 0; i < e.textCount; i++) {
            execPurely(set.rules.get(e.textRule[i]), e, e.texts[i], true);
        }
    }

    /**
     * Per-direction state (Zeek's RuleEndpointState). DFA states per pattern type are allocated at
     * that type's first input; a match record (first accepting position, accepting positions seen)
     * exists only for a pattern that accepted, found through a bit set and, past a few records, an
     * index by local pattern number.
     */
    private static final class Endpoint implements MultiDfa.Sink {
        private static final int INDEX_FROM = 8;

        final boolean isOrig;
        final MatcherLayout layout;
        final long[] matchedRules;
        int payloadSize = -1;
        final long[] curPos = new long[TYPES];
        /** Per pattern type, one combined-automaton state per matcher slot of the layout. */
        final int[][] states = new int[TYPES][];
        /** Per pattern type and slot, the NFA state set once a slot left the cached automaton. */
        MultiDfa.Spill[][] spills;
        /** The slot being fed (set by {@code match} around each feed) and whether it recorded a new match. */
        int slotType;
        int slot;
        int[] slotLocals;
        boolean newMatch;
        long[] acceptedBits;
        int[] recLocal;
        long[] recMin;
        long[] recBits;
        long[] recHigh;
        int recCount;
        int[] slotOf;
        int lastLocal = -1;
        int lastSlot;
        int[] textRule = NO_RULES;
        byte[][] texts = NO_TEXTS;
        int textCount;

        Endpoint(boolean isOrig, MatcherLayout layout, int ruleCount) {
            this.isOrig = isOrig;
            this.layout = layout;
            this.matchedRules = new long[(ruleCount + 63) >>> 6];
            Arrays.fill(curPos, -1);
        }

        @Override
        public void accept(int[] patterns, int count, long position) {
            int[] loc = slotLocals;
            boolean any = false;
            for (int k = 0; k < count; k++) {
                any |= record(loc[patterns[k]], position);
            }
            newMatch |= any;
        }

        @Override
        public MultiDfa.Spill spill() {
            if (spills == null) {
                spills = new MultiDfa.Spill[TYPES][];
            }
            MultiDfa.Spill[] byType = spills[slotType];
            if (byType == null) {
                byType = spills[slotType] = new MultiDfa.Spill[layout.matchers[slotType].length];
            }
            MultiDfa.Spill sp = byType[slot];
            if (sp == null) {
                sp = byType[slot] = layout.matchers[slotType][slot].newSpill();
            }
            return sp;
        }

        boolean accepted(int l) {
            return acceptedBits != null && (acceptedBits[l >>> 6] & (1L << (l & 63))) != 0;
        }

        /** The first accepting position of an accepted local pattern. */
        long minPos(int l) {
            return recMin[slot(l)];
        }

        private int slot(int l) {
            if (l == lastLocal) {
                return lastSlot;
            }
            if (slotOf != null) {
                return slotOf[l] - 1;
            }
            for (int k = 0; k < recCount; k++) {
                if (recLocal[k] == l) {
                    return k;
                }
            }
            return -1;
        }

        private int add(int l) {
            if (acceptedBits == null) {
                acceptedBits = new long[(layout.locals + 63) >>> 6];
                recLocal = new int[4];
                recMin = new long[4];
                recBits = new long[4];
                recHigh = new long[4];
            } else if (recCount == recLocal.length) {
                int n = recCount * 2;
                recLocal = Arrays.copyOf(recLocal, n);
                recMin = Arrays.copyOf(recMin, n);
                recBits = Arrays.copyOf(recBits, n);
                recHigh = Arrays.copyOf(recHigh, n);
            }
            int k = recCount++;
            recLocal[k] = l;
            recMin[k] = Long.MAX_VALUE;
            recBits[k] = 0;
            recHigh[k] = -1;
            acceptedBits[l >>> 6] |= 1L << (l & 63);
            if (slotOf != null) {
                slotOf[l] = k + 1;
            } else if (recCount > INDEX_FROM) {
                slotOf = new int[layout.locals];
                for (int i = 0; i < recCount; i++) {
                    slotOf[recLocal[i]] = i + 1;
                }
            }
            return k;
        }

        /** Forgets all match records (after each UDP datagram), keeping the allocated arrays. */
        void clearRecords() {
            for (int k = 0; k < recCount; k++) {
                int l = recLocal[k];
                acceptedBits[l >>> 6] &= ~(1L << (l & 63));
                if (slotOf != null) {
                    slotOf[l] = 0;
                }
            }
            recCount = 0;
            lastLocal = -1;
        }

        /** Records an accepted (pattern, position); returns true if the pair is new. */
        boolean record(int l, long pos) {
            int k = accepted(l) ? slot(l) : add(l);
            lastLocal = l;
            lastSlot = k;
            if (pos < recMin[k]) {
                recMin[k] = pos;
            }
            if (pos < 64) {
                long bit = 1L << pos;
                if ((recBits[k] & bit) != 0) {
                    return false;
                }
                recBits[k] |= bit;
                return true;
            }
            if (pos <= recHigh[k]) {
                return false;
            }
            recHigh[k] = pos;
            return true;
        }

        boolean matched(int rule) {
            return (matchedRules[rule >>> 6] & (1L << (rule & 63))) != 0;
        }

        void setMatched(int rule) {
            matchedRules[rule >>> 6] |= 1L << (rule & 63);
        }

        int textIndex(int rule) {
            for (int i = 0; i < textCount; i++) {
                if (textRule[i] == rule) {
                    return i;
                }
            }
            return -1;
        }

        void remember(int rule, byte[] data, int offset, int length, int max) {
            if (textCount == textRule.length) {
                int n = Math.max(4, textCount * 2);
                textRule = Arrays.copyOf(textRule, n);
                texts = Arrays.copyOf(texts, n);
            }
            textRule[textCount] = rule;
            texts[textCount] = Arrays.copyOfRange(data, offset, offset + Math.min(length, max));
            textCount++;
        }
    }
}
