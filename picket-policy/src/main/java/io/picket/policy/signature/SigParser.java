package io.picket.policy.signature;

import io.picket.policy.IpAddress;
import io.picket.policy.PolicyError;
import io.picket.policy.signature.SigLexer.Kind;
import io.picket.policy.signature.SigLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser of Zeek's signature language ({@code src/rule-parse.y}) into {@link SigModel.Signature}s.
 * Reports every error with file:line:col and continues with the next attribute, so one run lists
 * all problems of a file. Parts of the language that need Zeek's script layer or that Picket does
 * not implement are parsed and rejected with the reason. Single use.
 */
final class SigParser {
    private final String file;
    private final List<Token> tokens;
    private final List<PolicyError> errors;
    private int p;

    private SigParser(String file, List<Token> tokens, List<PolicyError> errors) {
        this.file = file;
        this.tokens = tokens;
        this.errors = errors;
    }

    static List<SigModel.Signature> parse(String file, String text, List<PolicyError> errors) {
        List<Token> tokens = new SigLexer(file, text, errors).tokens();
        return new SigParser(file, tokens, errors).signatures();
    }

    /** Signals a syntax error already reported; the caller resynchronizes. */
    private static final class Bail extends Exception {
        private static final long serialVersionUID = 1L;

        Bail() {
            super(null, null, false, false);
        }
    }

    private Token peek() {
        return tokens.get(p);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(p);
        if (t.kind() != Kind.EOF) {
            p++;
        }
        return t;
    }

    private void error(Token at, String msg) {
        errors.add(new PolicyError(file, at.line(), at.column(), msg));
    }

    private Bail fail(Token at, String msg) {
        error(at, msg);
        return new Bail();
    }

    private List<SigModel.Signature> signatures() {
        List<SigModel.Signature> out = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            Token t = peek();
            if (!t.is(Kind.KEYWORD, "signature")) {
                error(t, "expected 'signature', found " + t.describe());
                skipTo(true);
                continue;
            }
            take();
            Token id = peek();
            if (id.kind() != Kind.IDENT) {
                error(id, "expected a signature name after 'signature', found " + id.describe()
                        + (id.kind() == Kind.EOF || id.kind() == Kind.PUNCT ? "" : " (a reserved word)"));
                skipTo(true);
                continue;
            }
            take();
            if (!peek().isPunct('{')) {
                error(peek(), "expected '{' after signature " + id.text() + ", found " + peek().describe());
                skipTo(true);
                continue;
            }
            take();
            out.add(body(t, id));
        }
        return out;
    }

    /** Skips to the next 'signature' keyword (top) or the next attribute start or '}' (body). */
    private void skipTo(boolean top) {
        if (top) {
            take();
        }
        while (peek().kind() != Kind.EOF) {
            Token t = peek();
            if (t.is(Kind.KEYWORD, "signature")) {
                return;
            }
            if (!top && (t.isPunct('}') || t.kind() == Kind.KEYWORD || t.kind() == Kind.PATTERN_TYPE)) {
                return;
            }
            take();
        }
    }

    private SigModel.Signature body(Token sigTok, Token id) {
        List<SigModel.HeaderTest> hdr = new ArrayList<>();
        List<SigModel.PatternSpec> pats = new ArrayList<>();
        List<SigModel.Condition> conds = new ArrayList<>();
        List<SigModel.Precondition> pre = new ArrayList<>();
        List<SigModel.Action> actions = new ArrayList<>();
        boolean active = true;
        while (true) {
            Token t = peek();
            if (t.isPunct('}')) {
                take();
                break;
            }
            if (t.kind() == Kind.EOF) {
                error(t, "missing '}' at end of signature " + id.text());
                break;
            }
            if (t.is(Kind.KEYWORD, "signature")) {
                error(t, "missing '}' at end of signature " + id.text());
                break;
            }
            try {
                Boolean a = attribute(hdr, pats, conds, pre, actions);
                if (a != null) {
                    active = a;
                }
            } catch (Bail b) {
                skipTo(false);
            }
        }
        return new SigModel.Signature(id.text(), file, sigTok.line(), sigTok.column(), active, hdr, pats, conds, pre,
                actions);
    }

    /** Parses one attribute; returns the new active status for 'active', else null. */
    private Boolean attribute(List<SigModel.HeaderTest> hdr, List<SigModel.PatternSpec> pats,
                              List<SigModel.Condition> conds, List<SigModel.Precondition> pre,
                              List<SigModel.Action> actions) throws Bail {
        Token t = take();
        if (t.kind() == Kind.PATTERN_TYPE) {
            pats.add(patternAttr(t));
            return null;
        }
        if (t.kind() != Kind.KEYWORD) {
            throw fail(t, "expected a signature attribute, found " + t.describe());
        }
        switch (t.text()) {
            case "src-ip", "dst-ip" -> {
                SigModel.Comp c = comp();
                List<SigModel.Prefix> prefixes = prefixList();
                hdr.add(new SigModel.HeaderTest(t.text().equals("src-ip") ? SigModel.Prot.IP_SRC : SigModel.Prot.IP_DST,
                        0, 0, c, List.of(), prefixes));
            }
            case "src-port", "dst-port" -> {
                SigModel.Comp c = comp();
                List<SigModel.Masked> vals = valueList();
                hdr.add(new SigModel.HeaderTest(SigModel.Prot.TCP, t.text().equals("src-port") ? 0 : 2, 2, c, vals,
                        List.of()));
            }
            case "ip-proto" -> {
                SigModel.Comp c = comp();
                if (peek().kind() == Kind.PROT) {
                    Token prot = take();
                    long proto = switch (prot.text()) {
                        case "icmp" -> 1;
                        case "icmp6" -> 58;
                        case "tcp" -> 6;
                        case "udp" -> 17;
                        default -> 0; // ip, ip6: no-op, as in Zeek (tunnels are decapsulated)
                    };
                    if (proto != 0) {
                        hdr.add(new SigModel.HeaderTest(SigModel.Prot.NEXT, 0, 0, c,
                                List.of(new SigModel.Masked(proto, 0xFFFF_FFFFL)), List.of()));
                    }
                } else {
                    hdr.add(new SigModel.HeaderTest(SigModel.Prot.NEXT, 0, 0, c, valueList(), List.of()));
                }
            }
            case "header" -> hdr.add(headerExpr());
            case "event" -> {
                Token s = take();
                if (s.kind() == Kind.IDENT) {
                    throw fail(s, "event with a script-level identifier (" + s.text()
                            + ") is not supported; use a string");
                }
                if (s.kind() != Kind.STRING) {
                    throw fail(s, "expected a string after 'event', found " + s.describe());
                }
                actions.add(new SigModel.EventAction(s.text()));
            }
            case "enable" -> {
                Token s = take();
                if (s.kind() != Kind.STRING) {
                    throw fail(s, "expected an analyzer name string after 'enable', found " + s.describe());
                }
                actions.add(new SigModel.EnableAction(s.text()));
            }
            case "disable" -> {
                Token s = take();
                throw fail(t, "'disable' is not supported (Picket analyzers are not disabled by signatures)"
                        + (s.kind() == Kind.STRING ? "" : "; expected a string"));
            }
            case "file-mime" -> {
                take();
                if (peek().isPunct(',')) {
                    take();
                    if (peek().isPunct('-')) {
                        take();
                    }
                    take();
                }
                throw fail(t, "'file-mime' (file magic signatures) is not supported in tenant policies");
            }
            case "eval" -> {
                take();
                throw fail(t, "'eval' needs a Zeek script function and is not supported in tenant policies");
            }
            case "ip-options" -> {
                take();
                while (peek().isPunct(',')) {
                    take();
                    take();
                }
                throw fail(t, "'ip-options' is not supported (Zeek does not implement it: it never matches)");
            }
            case "payload-size" -> {
                SigModel.Comp c = comp();
                conds.add(new SigModel.PayloadSize(c, integer()));
            }
            case "requires-signature", "requires-reverse-signature" -> {
                boolean negate = false;
                if (peek().isPunct('!')) {
                    take();
                    negate = true;
                }
                Token id = take();
                if (id.kind() != Kind.IDENT) {
                    throw fail(id, "expected a signature name after '" + t.text() + "', found " + id.describe());
                }
                pre.add(new SigModel.Precondition(id.text(), t.text().startsWith("requires-reverse"), negate,
                        id.line(), id.column()));
            }
            case "same-ip" -> conds.add(new SigModel.SameIp());
            case "tcp-state", "udp-state" -> {
                boolean udp = t.text().equals("udp-state");
                int states = 0;
                do {
                    Token s = take();
                    if (s.kind() != Kind.STATE) {
                        throw fail(s, "expected one of established, originator, responder, stateless, found "
                                + s.describe());
                    }
                    if (udp && s.text().equals("established")) {
                        throw fail(s, "'established' is not a UDP state (use originator, responder or stateless)");
                    }
                    states |= switch (s.text()) {
                        case "established" -> SigModel.STATE_ESTABLISHED;
                        case "originator" -> SigModel.STATE_ORIG;
                        case "responder" -> SigModel.STATE_RESP;
                        default -> SigModel.STATE_STATELESS;
                    };
                } while (peek().isPunct(',') && take() != null);
                conds.add(udp ? new SigModel.UdpState(states) : new SigModel.TcpState(states));
            }
            case "active" -> {
                Token b = take();
                if (b.kind() != Kind.BOOL) {
                    throw fail(b, "expected true or false after 'active', found " + b.describe());
                }
                return b.text().equals("true");
            }
            case "signature" -> throw fail(t, "missing '}' before 'signature'");
            default -> throw fail(t, "unexpected '" + t.text() + "'");
        }
        return null;
    }

    private SigModel.PatternSpec patternAttr(Token type) throws Bail {
        PatternType pt = switch (type.text()) {
            case "payload" -> PatternType.PAYLOAD;
            case "http-request", "http" -> PatternType.HTTP_REQUEST;
            case "http-request-header" -> PatternType.HTTP_REQUEST_HEADER;
            case "http-request-body" -> PatternType.HTTP_REQUEST_BODY;
            case "http-reply-header" -> PatternType.HTTP_REPLY_HEADER;
            case "http-reply-body", "http-body" -> PatternType.HTTP_REPLY_BODY;
            default -> null;
        };
        long depth = Integer.MAX_VALUE;
        if (peek().isPunct('[')) {
            take();
            long offset = 0;
            if (peek().isPunct(':')) {
                take();
                depth = integer();
            } else {
                offset = integer();
                if (peek().isPunct(':')) {
                    take();
                    if (peek().isPunct(']')) {
                        depth = 0xFFFF_FFFFL;
                    } else {
                        depth = integer();
                    }
                } else {
                    depth = 1;
                }
            }
            expectPunct(']');
            if (offset > 0) {
                throw fail(type, "pattern offsets are not supported (Zeek ignores them); use [:depth]");
            }
        }
        Token pat = take();
        if (pat.kind() == Kind.IDENT) {
            throw fail(pat, "patterns from script-level identifiers (" + pat.text() + ") are not supported");
        }
        if (pat.kind() != Kind.PATTERN) {
            throw fail(pat, "expected /pattern/ after '" + type.text() + "', found " + pat.describe());
        }
        if (pt == null) {
            throw fail(type, "'" + type.text() + "' content conditions are not supported (no such input in Picket)");
        }
        return new SigModel.PatternSpec(pt, pat.text(), pat.flag(), depth, pat.line(), pat.column() + 1);
    }

    private SigModel.HeaderTest headerExpr() throws Bail {
        Token prot = take();
        if (prot.kind() != Kind.PROT) {
            throw fail(prot, "expected ip, ip6, icmp, icmp6, tcp or udp after 'header', found " + prot.describe());
        }
        SigModel.Prot pr = switch (prot.text()) {
            case "ip" -> SigModel.Prot.IP;
            case "ip6" -> SigModel.Prot.IP6;
            case "icmp" -> SigModel.Prot.ICMP;
            case "icmp6" -> SigModel.Prot.ICMP6;
            case "tcp" -> SigModel.Prot.TCP;
            default -> SigModel.Prot.UDP;
        };
        expectPunct('[');
        Token offTok = peek();
        long offset = integer();
        long size = 1;
        if (peek().isPunct(':')) {
            take();
            size = integer();
        }
        expectPunct(']');
        if (size != 1 && size != 2 && size != 4) {
            throw fail(offTok, "header size must be 1, 2 or 4 bytes, not " + size);
        }
        if (offset > 65535) {
            throw fail(offTok, "header offset " + offset + " is beyond any header");
        }
        if (peek().isPunct('&')) {
            take();
            long mask = integer();
            SigModel.Comp c = comp();
            Token v = take();
            long val;
            if (v.kind() == Kind.INT || v.kind() == Kind.IP4) {
                val = v.value();
            } else {
                throw fail(v, "expected a value after comparison, found " + v.describe());
            }
            return new SigModel.HeaderTest(pr, (int) offset, (int) size, c, List.of(new SigModel.Masked(val, mask)),
                    List.of());
        }
        SigModel.Comp c = comp();
        return new SigModel.HeaderTest(pr, (int) offset, (int) size, c, valueList(), List.of());
    }

    private void expectPunct(char c) throws Bail {
        Token t = take();
        if (!t.isPunct(c)) {
            throw fail(t, "expected '" + c + "', found " + t.describe());
        }
    }

    private SigModel.Comp comp() throws Bail {
        Token t = take();
        if (t.kind() != Kind.COMP) {
            throw fail(t, "expected a comparison (==, !=, <, <=, >, >=), found " + t.describe());
        }
        return switch (t.text()) {
            case "<=" -> SigModel.Comp.LE;
            case ">=" -> SigModel.Comp.GE;
            case "<" -> SigModel.Comp.LT;
            case ">" -> SigModel.Comp.GT;
            case "!=" -> SigModel.Comp.NE;
            case "!" -> throw fail(t, "expected a comparison, found '!'");
            default -> SigModel.Comp.EQ;
        };
    }

    private long integer() throws Bail {
        Token t = take();
        if (t.kind() == Kind.IDENT) {
            throw fail(t, "script-level identifier '" + t.text() + "' is not available in tenant policies");
        }
        if (t.kind() != Kind.INT) {
            throw fail(t, "expected a number, found " + t.describe());
        }
        return t.value();
    }

    private List<SigModel.Masked> valueList() throws Bail {
        List<SigModel.Masked> out = new ArrayList<>();
        do {
            Token t = take();
            switch (t.kind()) {
                case INT -> {
                    if (peek().isPunct('-') && peek(1).kind() == Kind.INT) {
                        take();
                        Token hi = take();
                        if (hi.value() < t.value()) {
                            throw fail(t, "empty range " + t.value() + "-" + hi.value());
                        }
                        if (hi.value() - t.value() > 65535) {
                            throw fail(t, "range " + t.value() + "-" + hi.value() + " has more than 65536 values");
                        }
                        for (long v = t.value(); v <= hi.value(); v++) {
                            out.add(new SigModel.Masked(v, 0xFFFF_FFFFL));
                        }
                    } else {
                        out.add(new SigModel.Masked(t.value(), 0xFFFF_FFFFL));
                    }
                }
                case IP4 -> out.add(new SigModel.Masked(t.value(), t.mask()));
                case IDENT -> throw fail(t, "script-level identifier '" + t.text()
                        + "' is not available in tenant policies");
                default -> throw fail(t, "expected a value, found " + t.describe());
            }
        } while (peek().isPunct(',') && take() != null);
        return out;
    }

    private List<SigModel.Prefix> prefixList() throws Bail {
        List<SigModel.Prefix> out = new ArrayList<>();
        do {
            Token t = take();
            switch (t.kind()) {
                case IP4 -> out.add(new SigModel.Prefix(0, IpAddress.ipv4Lo((int) t.value()), 96 + t.prefixLen()));
                case IP6 -> {
                    SigModel.Prefix raw = new SigModel.Prefix(t.hi(), t.lo(), t.prefixLen());
                    out.add(new SigModel.Prefix(t.hi() & raw.maskHi(), t.lo() & raw.maskLo(), t.prefixLen()));
                }
                case IDENT -> throw fail(t, peek().isPunct(':')
                        ? "expected an address or CIDR, found " + t.describe() + " (IPv6 addresses go in brackets: [fe80::1])"
                        : "script-level identifier '" + t.text() + "' is not available in tenant policies");
                default -> throw fail(t, "expected an address or CIDR, found " + t.describe()
                        + " (IPv6 addresses go in brackets: [fe80::1])");
            }
        } while (peek().isPunct(',') && take() != null);
        return out;
    }
}
