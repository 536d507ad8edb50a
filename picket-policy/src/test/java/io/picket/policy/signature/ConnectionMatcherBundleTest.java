package io.picket.policy.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.policy.Limits;
import io.picket.policy.SourceFile;
import io.picket.regex.MultiDfa;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Many signatures over one connection: the shared layouts, lazily allocated states and sparse match
 * records of {@link ConnectionMatcher} give each independent signature exactly the matches it has
 * when it is the only signature of the set, across header groups, chunkings, TCP and UDP.
 */
class ConnectionMatcherBundleTest {
    private static final String[] PATTERNS = {".*ab", "^ab", "a*b", ".*(a|bc)+c", ".*abc$", "b.*c", ".*a.*b.*c",
        "(ab)+", ".*cc", ".*", "c", ".*b{2}", "[ab]+c", ".*(a|aa)*b", ".*ca", "^a$", ".*(.*a){2}c", "ba", ".*bb?c",
        ".*a[^a]a"};
    private static final String[] HEADERS = {"", "dst-port == 80\n", "dst-port == 81\n", "ip-proto == tcp\n",
        "ip-proto == udp\n", "src-port >= 40000\n"};
    private static final MatchListener NONE = (id, msg, isOrig, data, off, len) -> { };

    /** Signature texts: one or two payload patterns each (some with a depth), header tests from a few groups. */
    private static List<String> signatures(Random rnd, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("signature s").append(i).append(" {\n");
            sb.append(HEADERS[rnd.nextInt(HEADERS.length)]);
            int patterns = 1 + rnd.nextInt(2);
            for (int k = 0; k < patterns; k++) {
                sb.append("payload");
                if (rnd.nextInt(3) == 0) {
                    // A depth makes the first accepting position count.
                    sb.append("[:").append(rnd.nextInt(24)).append("]");
                }
                sb.append(" /").append(PATTERNS[rnd.nextInt(PATTERNS.length)]).append("/\n");
            }
            sb.append("event \"m").append(i).append("\"\n}\n");
            out.add(sb.toString());
        }
        return out;
    }

    private static SignatureSet compile(List<String> texts, Limits limits) throws Exception {
        return SignatureSet.compile(List.of(SourceFile.of("t.sig", String.join("", texts))), limits);
    }

    /** Feeds chunks of a/b/c text alternately to both directions; half of them through memory segments. */
    private static List<String> run(SignatureSet set, int proto, long seed) {
        List<String> seen = new ArrayList<>();
        MatchListener l = (id, msg, isOrig, data, off, len) -> seen.add(id + (isOrig ? ">" : "<")
                + new String(data, off, len, StandardCharsets.ISO_8859_1));
        ConnectionMatcher m = set.newConnectionMatcher(ConnectionFacts.of(proto, "10.0.0.1", 40000, "10.0.0.2", 80), l);
        m.establishedBy(() -> true);
        Random rnd = new Random(seed);
        for (int c = 0; c < 12; c++) {
            byte[] chunk = new byte[rnd.nextInt(9)];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) ('a' + rnd.nextInt(3));
            }
            boolean orig = rnd.nextInt(3) != 0;
            boolean segment = rnd.nextBoolean();
            if (proto == ConnectionFacts.TCP) {
                if (segment) {
                    m.onStream(orig, MemorySegment.ofArray(chunk), 0, chunk.length);
                } else {
                    m.onStream(orig, chunk, 0, chunk.length);
                }
            } else if (segment) {
                m.onDatagram(orig, MemorySegment.ofArray(chunk), 0, chunk.length);
            } else {
                m.onDatagram(orig, chunk, 0, chunk.length);
            }
        }
        m.finish();
        seen.sort(null);
        return seen;
    }

    private static void assertSameAsAlone(long seed, int n, Limits limits) throws Exception {
        Random rnd = new Random(seed);
        List<String> texts = signatures(rnd, n);
        SignatureSet all = compile(texts, limits);
        for (int proto : new int[] {ConnectionFacts.TCP, ConnectionFacts.UDP}) {
            List<String> expected = new ArrayList<>();
            for (String t : texts) {
                expected.addAll(run(compile(List.of(t), limits), proto, seed));
            }
            expected.sort(null);
            assertThat(run(all, proto, seed)).as("proto %d", proto).isEqualTo(expected);
        }
    }

    @Property(tries = 60)
    void shouldMatchAsEachSignatureAloneWhenManySignaturesShareAConnection(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 60) int n) throws Exception {
        assertSameAsAlone(seed, n, Limits.DEFAULT);
    }

    @Test
    void shouldMatchAsAloneWhenAutomatonIsLarge() throws Exception {
        // .*a.{7} needs 2^8 DFA states, more than a byte holds.
        assertSameAsAloneWith("signature wide {\npayload /.*a.{7}/\nevent \"w\"\n}\n", Limits.DEFAULT);
    }

    @Test
    void shouldMatchAsAloneWhenAutomatonIsVeryLarge() throws Exception {
        // .*a.{14} needs 2^15 DFA states, more than a short holds.
        assertSameAsAloneWith("signature wide {\npayload /.*a.{14}/\nevent \"w\"\n}\n",
                Limits.DEFAULT.withMaxDfaStates(70_000));
    }

    @Test
    void shouldMatchAsAloneWhenTheCombinedStateBudgetIsSpent() throws Exception {
        List<String> texts = new ArrayList<>(signatures(new Random(7), 20));
        texts.add("signature wide {\npayload /.*a.{14}/\nevent \"w\"\n}\n");
        Limits limits = Limits.DEFAULT.withMaxDfaStates(70_000);
        // 60 lazily built states for the whole set: most inputs continue by NFA simulation
        SignatureSet all = SignatureSet.compile(List.of(SourceFile.of("t.sig", String.join("", texts))), limits,
                new MultiDfa.Budget(60, Long.MAX_VALUE));
        for (long seed = 0; seed < 5; seed++) {
            List<String> expected = new ArrayList<>();
            for (String t : texts) {
                expected.addAll(run(compile(List.of(t), limits), ConnectionFacts.TCP, seed));
            }
            expected.sort(null);
            assertThat(run(all, ConnectionFacts.TCP, seed)).isEqualTo(expected);
        }
        assertThat(all.cachedDfaStates()).isLessThanOrEqualTo(60);
        assertThat(all.dfaCacheRefusals()).isPositive();
        assertThat(all.dfaSpills()).isPositive();
    }

    @Property(tries = 30)
    void shouldMatchAsEachSignatureAloneWhenTheStateBudgetIsTiny(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 30) int states)
            throws Exception {
        List<String> texts = signatures(new Random(seed), n);
        SignatureSet all = SignatureSet.compile(List.of(SourceFile.of("t.sig", String.join("", texts))),
                Limits.DEFAULT, new MultiDfa.Budget(states, Long.MAX_VALUE));
        for (int proto : new int[] {ConnectionFacts.TCP, ConnectionFacts.UDP}) {
            List<String> expected = new ArrayList<>();
            for (String t : texts) {
                expected.addAll(run(compile(List.of(t), Limits.DEFAULT), proto, seed));
            }
            expected.sort(null);
            assertThat(run(all, proto, seed)).as("proto %d", proto).isEqualTo(expected);
        }
    }

    private static SignatureSet assertSameAsAloneWith(String extra, Limits limits) throws Exception {
        List<String> texts = new ArrayList<>(signatures(new Random(7), 20));
        texts.add(extra);
        SignatureSet all = compile(texts, limits);
        List<SignatureSet> alone = new ArrayList<>();
        for (String t : texts) {
            alone.add(compile(List.of(t), limits));
        }
        for (long seed = 0; seed < 5; seed++) {
            List<String> expected = new ArrayList<>();
            for (SignatureSet one : alone) {
                expected.addAll(run(one, ConnectionFacts.TCP, seed));
            }
            expected.sort(null);
            assertThat(run(all, ConnectionFacts.TCP, seed)).isEqualTo(expected);
        }
        assertThat(run(all, ConnectionFacts.TCP, 1)).anyMatch(s -> s.startsWith("wide>"));
        return all;
    }

    @Test
    void shouldMatchAsAloneWhenTheBundleIsTheIsolationBenchmarksPathologicalOne() throws Exception {
        String[] templates = {".*(a+)+tt%s", ".*(a|aa)*tt%s", ".*([a-z]+)*tt%s", ".*(t|tt)+%s", ".*(.*a){3}tt%s",
            ".*((at)|(a)|(t))+%s"};
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String tail = i % 10 == 0 ? "ack" : "ackZ" + i;
            texts.add("signature patho-" + i + " {\n  ip-proto == tcp\n  payload /"
                    + String.format(java.util.Locale.ROOT, templates[i % templates.length], tail)
                    + "/\n  event \"pathological " + i + "\"\n}\n");
        }
        SignatureSet all = compile(texts, Limits.DEFAULT);
        List<SignatureSet> alone = new ArrayList<>();
        for (String t : texts) {
            alone.add(compile(List.of(t), Limits.DEFAULT));
        }
        String[] payloads = {"GET /attack?x=aaaatack HTTP/1.1\r\n", "tttttattackZ7 aaaaaaaaaaaaaaaaaaaaaaaaatt",
            "aatattackZ12", "ack"};
        for (String p : payloads) {
            byte[] b = p.getBytes(StandardCharsets.ISO_8859_1);
            List<String> expected = new ArrayList<>();
            for (SignatureSet one : alone) {
                expected.addAll(feedStream(one, b));
            }
            expected.sort(null);
            assertThat(feedStream(all, b)).as(p).isEqualTo(expected);
        }
        assertThat(feedStream(all, payloads[0].getBytes(StandardCharsets.ISO_8859_1))).isNotEmpty();
    }

    /** Feeds {@code b} to a new TCP connection's originator in 5-byte stream chunks. */
    private static List<String> feedStream(SignatureSet set, byte[] b) {
        List<String> seen = new ArrayList<>();
        ConnectionMatcher m = set.newConnectionMatcher(ConnectionFacts.of(6, "10.0.0.1", 40000, "10.0.0.2", 80),
                (id, msg, isOrig, data, off, len) -> seen.add(id));
        for (int off = 0; off < b.length; off += 5) {
            m.onStream(true, b, off, Math.min(5, b.length - off));
        }
        m.finish();
        seen.sort(null);
        return seen;
    }

    @Test
    void shouldMatchAsAloneWhenShardsShareTheSetFromTheStart() throws Exception {
        List<String> texts = signatures(new Random(11), 40);
        List<List<String>> expected = new ArrayList<>();
        for (long seed = 0; seed < 16; seed++) {
            List<String> e = new ArrayList<>();
            for (String t : texts) {
                e.addAll(run(compile(List.of(t), Limits.DEFAULT), ConnectionFacts.TCP, seed));
            }
            e.sort(null);
            expected.add(e);
        }
        // a fresh set: four threads build its automata's states concurrently
        SignatureSet all = compile(texts, Limits.DEFAULT);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int shift = t * 4;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 16; i++) {
                        int seed = (i + shift) % 16;
                        if (!run(all, ConnectionFacts.TCP, seed).equals(expected.get(seed))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shouldShareLayoutWhenEndpointsSelectTheSameGroups() throws Exception {
        SignatureSet set = compile(signatures(new Random(3), 30), Limits.DEFAULT);
        assertThat(set.layout(0b101)).isSameAs(set.layout(0b101)).isNotSameAs(set.layout(0b11));
        MatcherLayout l = set.layout(0b101);
        assertThat(l.groupBase[1]).isEqualTo(-1);
        assertThat(l.locals).isEqualTo(set.groups.get(0).patternCount() + set.groups.get(2).patternCount());
    }

    @Test
    void shouldKeepCallerDataWhenListenerFeedsAnotherMatcherFromSegment() throws Exception {
        SignatureSet set = compile(List.of("signature s {\npayload /.*ab/\nevent \"m\"\n}\n",
                "signature t {\npayload /.*a/\nevent \"n\"\n}\n"), Limits.DEFAULT);
        ConnectionMatcher other = set.newConnectionMatcher(ConnectionFacts.of(6, "10.0.0.3", 1, "10.0.0.4", 2), NONE);
        List<String> seen = new ArrayList<>();
        MatchListener l = (id, msg, isOrig, data, off, len) -> {
            // A nested feed from a segment on the same thread must not overwrite this call's data.
            other.onStream(true, MemorySegment.ofArray("zzzz".getBytes(StandardCharsets.ISO_8859_1)), 0, 4);
            seen.add(id + ":" + new String(data, off, len, StandardCharsets.ISO_8859_1));
        };
        ConnectionMatcher m = set.newConnectionMatcher(ConnectionFacts.of(6, "10.0.0.1", 40000, "10.0.0.2", 80), l);
        m.onStream(true, MemorySegment.ofArray("xab".getBytes(StandardCharsets.ISO_8859_1)), 0, 3);
        assertThat(seen).containsExactly("s:xab", "t:xab");
    }
}
