package io.picket.analyzer.http;

import io.picket.regex.Dfa;
import io.picket.regex.DfaBuilder;
import io.picket.regex.ZeekRegexParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Zeek's file MIME type sniffing ({@code file_analysis::Manager::DetectMIME}): every
 * {@code file-magic} signature is matched, anchored, against the first bytes of a file; the
 * answer is the MIME type of the strongest match, the alphabetically first on ties, or null.
 * The signatures are a transcription of Zeek's {@code base/frameworks/files/magic/*.sig}
 * (resource {@code file-magic.txt}).
 *
 * <p>Each signature is compiled once to a DFA ({@link io.picket.regex}) that runs over the buffer
 * anchored at its first byte and stops at its first accepting state (java.util.regex's
 * {@code lookingAt}) or when nothing can match any more: linear in the bytes read, no allocation.
 * The few patterns the DFA cannot express with java.util.regex's meaning ({@code $}, which also
 * matches before a final newline) or within {@link #MAX_DFA_STATES} keep the java.util.regex path.
 *
 * <p>Immutable and shared by all threads. Matching never throws: a java.util.regex pattern that
 * would take more than {@link #STEP_BUDGET} character reads on one buffer (pathological
 * backtracking) counts as not matching.
 */
public final class FileMagic {
    /** Character reads allowed per pattern and buffer. */
    static final int STEP_BUDGET = 200_000;

    /** DFA states allowed per signature; a larger one keeps the java.util.regex path. */
    static final int MAX_DFA_STATES = 10_000;

    private static final FileMagic STANDARD = load("file-magic.txt");

    static {
        // the DFAs are built beside the run, not before it: a shard needing one not built yet
        // builds it itself (most take well under a millisecond, the largest about 0.2 s)
        Thread.ofPlatform().daemon().name("picket-file-magic").start(STANDARD::buildAll);
    }

    private final String[] mimes;
    private final int[] strengths;
    private final Pattern[] patterns;
    private final String[] sources;

    /**
     * Per signature its DFA, {@link #NO_DFA} where java.util.regex matches it, or null until
     * built: building all of them took more than half a second of every start, so a background
     * thread builds them while the run goes on, and a shard that needs one first builds it
     * itself (a DFA is immutable, so racing builders only waste a build).
     */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Object> dfas;
    private static final Object NO_DFA = new Object();

    /**
     * For each first byte, the signatures that can match a buffer starting with it, strongest
     * first and alphabetically on ties: the first one that matches is the answer.
     */
    private final int[][] byFirstByte;

    private FileMagic(List<String> mimes, List<Integer> strengths, List<String> sources, List<Pattern> patterns) {
        this.mimes = mimes.toArray(new String[0]);
        this.strengths = strengths.stream().mapToInt(Integer::intValue).toArray();
        this.sources = sources.toArray(new String[0]);
        this.patterns = patterns.toArray(new Pattern[0]);
        this.dfas = new java.util.concurrent.atomic.AtomicReferenceArray<>(this.sources.length);
        this.byFirstByte = indexByFirstByte(this.patterns);
        for (int c = 0; c < 256; c++) {
            byFirstByte[c] = java.util.Arrays.stream(byFirstByte[c]).boxed()
                    .sorted(java.util.Comparator.<Integer>comparingInt(i -> -this.strengths[i])
                            .thenComparing(i -> this.mimes[i]).thenComparingInt(i -> i))
                    .mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Which signatures a first byte leaves possible: a pattern run on that single byte either
     * matches, or fails after reading past it ({@link Matcher#hitEnd()}: more input could change
     * the answer), or fails on the byte itself, in which case no buffer starting with it can match.
     * Most of Zeek's signatures start with a literal, so a buffer is tried against a few of them.
     */
    private static int[][] indexByFirstByte(Pattern[] patterns) {
        int[][] out = new int[256][];
        int[] buf = new int[patterns.length];
        for (int c = 0; c < 256; c++) {
            Bytes one = new Bytes(new byte[] {(byte) c}, 1);
            int n = 0;
            for (int i = 0; i < patterns.length; i++) {
                one.steps = 0;
                boolean possible;
                try {
                    Matcher m = patterns[i].matcher(one);
                    possible = m.lookingAt() || m.hitEnd();
                } catch (BudgetExceeded | StackOverflowError e) {
                    possible = true;
                }
                if (possible) {
                    buf[n++] = i;
                }
            }
            out[c] = java.util.Arrays.copyOf(buf, n);
        }
        return out;
    }

    /** The signatures Zeek loads by default. */
    public static FileMagic standard() {
        return STANDARD;
    }

    /** Number of signatures. */
    public int size() {
        return patterns.length;
    }

    /**
     * The MIME type Zeek would report for a file starting with {@code len} bytes of {@code b}
     * (callers pass at most Zeek's {@code default_file_bof_buffer_size}, 4096), or null.
     */
    public String detect(byte[] b, int len) {
        if (len <= 0) {
            return null;
        }
        return detect(b, len, byFirstByte[b[0] & 0xff]);
    }

    /**
     * {@link #detect(byte[], int)} trying every signature with java.util.regex (no first-byte
     * index, no DFA): the reference the DFA path is tested against.
     */
    String detectTryingAll(byte[] b, int len) {
        if (len <= 0) {
            return null;
        }
        Bytes text = new Bytes(b, len);
        String best = null;
        int bestStrength = Integer.MIN_VALUE;
        for (int i = 0; i < patterns.length; i++) {
            int s = strengths[i];
            if (best != null && (s < bestStrength || (s == bestStrength && mimes[i].compareTo(best) >= 0))) {
                continue;
            }
            if (javaMatches(i, text)) {
                best = mimes[i];
                bestStrength = s;
            }
        }
        return best;
    }

    /** The source text of the signatures matched with java.util.regex instead of a DFA. */
    List<String> javaRegexPatterns() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < dfas.length(); i++) {
            if (dfa(i) == null) {
                out.add(sources[i]);
            }
        }
        return out;
    }

    /** Builds every signature's DFA that is not built yet. */
    void buildAll() {
        for (int i = 0; i < dfas.length(); i++) {
            dfa(i);
        }
    }

    /** Signature {@code i}'s DFA (built on first use), or null where java.util.regex matches it. */
    private Dfa dfa(int i) {
        Object d = dfas.get(i);
        if (d == null) {
            Dfa built = compileDfa(sources[i]);
            d = built == null ? NO_DFA : built;
            dfas.set(i, d);
        }
        return d == NO_DFA ? null : (Dfa) d;
    }

    /**
     * The first signature whose DFA and java.util.regex disagree on {@code b[0..len)}, as source
     * text, or null; for tests.
     */
    String firstDisagreement(byte[] b, int len) {
        Bytes text = new Bytes(b, len);
        for (int i = 0; i < dfas.length(); i++) {
            Dfa d = dfa(i);
            if (d != null && d.matchesPrefix(b, len) != javaMatches(i, text)) {
                return sources[i];
            }
        }
        return null;
    }

    private boolean javaMatches(int i, Bytes text) {
        text.steps = 0;
        try {
            return patterns[i].matcher(text).lookingAt();
        } catch (BudgetExceeded | StackOverflowError e) {
            return false;
        }
    }

    /** Tries {@code candidates} (strongest first) and answers the first that matches. */
    private String detect(byte[] b, int len, int[] candidates) {
        Bytes text = null;
        for (int i : candidates) {
            Dfa dfa = dfa(i);
            boolean hit;
            if (dfa != null) {
                hit = dfa.matchesPrefix(b, len);
            } else {
                if (text == null) {
                    text = new Bytes(b, len);
                }
                hit = javaMatches(i, text);
            }
            if (hit) {
                return mimes[i];
            }
        }
        return null;
    }

    private static FileMagic load(String resource) {
        List<String> mimes = new ArrayList<>();
        List<Integer> strengths = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        try (InputStream in = FileMagic.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 3);
                if (f.length != 3) {
                    throw new IllegalStateException("bad file-magic line: " + line);
                }
                mimes.add(f[0]);
                strengths.add(Integer.parseInt(f[1]));
                sources.add(f[2]);
                patterns.add(compile(f[2]));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        return new FileMagic(mimes, strengths, sources, patterns);
    }

    /**
     * Compiles a signature to a DFA with java.util.regex's meaning ({@code .} matches newline,
     * {@code (?:} groups), or returns null when it cannot: a {@code $} (which java.util.regex also
     * matches before a final newline), a syntax the Zeek parser rejects, or too many states.
     */
    static Dfa compileDfa(String zeek) {
        String text = withoutNonCapturing(zeek);
        if (text == null) {
            return null;
        }
        try {
            return DfaBuilder.build(ZeekRegexParser.parse(text, false, true), MAX_DFA_STATES);
        } catch (ZeekRegexParser.RegexSyntaxException | DfaBuilder.TooLargeException e) {
            return null;
        }
    }

    /**
     * Rewrites {@code (?:} as {@code (} and quotes as {@code \"} (a Zeek quoted string otherwise)
     * outside brackets; null when the pattern has an unescaped
     * {@code $} outside brackets or a java.util.regex construct with no Zeek counterpart ({@code (?}
     * other than {@code (?:}).
     */
    private static String withoutNonCapturing(String zeek) {
        StringBuilder out = new StringBuilder(zeek.length());
        boolean inClass = false;
        int n = zeek.length();
        for (int i = 0; i < n; i++) {
            char c = zeek.charAt(i);
            if (c == '\\' && i + 1 < n) {
                out.append(c).append(zeek.charAt(++i));
                continue;
            }
            if (inClass) {
                if (c == '[' && i + 1 < n && zeek.charAt(i + 1) == ':') {
                    int end = zeek.indexOf(":]", i + 2);
                    if (end > 0) {
                        out.append(zeek, i, end + 2);
                        i = end + 1;
                        continue;
                    }
                }
                if (c == ']') {
                    inClass = false;
                }
                out.append(c);
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < n && zeek.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < n && zeek.charAt(i + 1) == ']') {
                    out.append(']');
                    i++;
                }
            } else if (c == '$') {
                return null;
            } else if (c == '"') {
                out.append("\\\"");
            } else if (c == '(' && i + 1 < n && zeek.charAt(i + 1) == '?') {
                if (i + 2 < n && zeek.charAt(i + 2) == ':') {
                    out.append('(');
                    i += 2;
                } else {
                    return null;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Compiles a Zeek signature regex as a Java pattern with the same matching semantics. */
    static Pattern compile(String zeek) {
        try {
            return Pattern.compile(toJava(zeek), Pattern.UNIX_LINES | Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException("bad file-magic pattern " + zeek, e);
        }
    }

    /**
     * Rewrites POSIX classes inside brackets ({@code [[:space:]]}), escapes '[' and '&amp;'
     * inside brackets; everything else has the same meaning in both dialects.
     */
    static String toJava(String zeek) {
        StringBuilder out = new StringBuilder(zeek.length() + 16);
        boolean inClass = false;
        int n = zeek.length();
        for (int i = 0; i < n; i++) {
            char c = zeek.charAt(i);
            if (c == '\\' && i + 1 < n) {
                out.append(c).append(zeek.charAt(++i));
                continue;
            }
            if (!inClass) {
                if (c == '[') {
                    inClass = true;
                    out.append(c);
                    if (i + 1 < n && zeek.charAt(i + 1) == '^') {
                        out.append('^');
                        i++;
                    }
                    if (i + 1 < n && zeek.charAt(i + 1) == ']') {
                        out.append("\\]");
                        i++;
                    }
                } else {
                    out.append(c);
                }
                continue;
            }
            if (c == ']') {
                inClass = false;
                out.append(c);
            } else if (c == '[' && i + 1 < n && zeek.charAt(i + 1) == ':') {
                int end = zeek.indexOf(":]", i + 2);
                if (end < 0) {
                    out.append("\\[");
                    continue;
                }
                out.append(posix(zeek.substring(i + 2, end)));
                i = end + 1;
            } else if (c == '[' || c == '&') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String posix(String name) {
        return switch (name) {
            case "space" -> " \\t\\n\\x0B\\f\\r";
            case "blank" -> " \\t";
            case "print" -> "\\x20-\\x7E";
            case "digit" -> "0-9";
            case "alpha" -> "a-zA-Z";
            case "alnum" -> "a-zA-Z0-9";
            case "upper" -> "A-Z";
            case "lower" -> "a-z";
            case "xdigit" -> "0-9a-fA-F";
            case "punct" -> "!-/:-@\\[-`{-~";
            case "cntrl" -> "\\x00-\\x1F\\x7F";
            default -> throw new IllegalStateException("unknown POSIX class " + name);
        };
    }

    private static final class BudgetExceeded extends RuntimeException {
        private static final BudgetExceeded INSTANCE = new BudgetExceeded();

        private BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** Bytes as ISO-8859-1 characters, counting reads to bound backtracking. */
    private static final class Bytes implements CharSequence {
        private final byte[] b;
        private final int from;
        private final int len;
        int steps;

        Bytes(byte[] b, int len) {
            this(b, 0, len);
        }

        private Bytes(byte[] b, int from, int len) {
            this.b = b;
            this.from = from;
            this.len = len;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int index) {
            if (++steps > STEP_BUDGET) {
                throw BudgetExceeded.INSTANCE;
            }
            return (char) (b[from + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bytes(b, from + start, end - start);
        }

        @Override
        public String toString() {
            return new String(b, from, len, StandardCharsets.ISO_8859_1);
        }
    }
}
