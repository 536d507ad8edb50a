package io.picket.policy.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.policy.Limits;
import io.picket.policy.TestResources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vendored Zeek signature cases (picket-engine/src/test/resources/zeek/signatures-*): the
 * btest prints one line per signature_match event; each line becomes an expected match of the
 * matcher fed with the inputs extracted from the case's trace (see resources README).
 */
class SignatureCasesTest {
    private static final String DIR = "/policy/zeek/";

    private static List<String> expected(String caseName) {
        List<String> lines = new ArrayList<>(Arrays.asList(TestResources.text(DIR + caseName + "/signature_match.out")
                .split("\n")));
        lines.removeIf(l -> l.startsWith("### BTest baseline") || l.isEmpty());
        return lines;
    }

    @Test
    void shouldMatchEachDatagramOnItsOwnWhenUdp() throws Exception {
        SignatureSet set = SignatureSet.compile(List.of(TestResources.source(DIR
                + "signatures-udp-packetwise/test.sig", "test.sig")), Limits.DEFAULT);
        List<String> printed = new ArrayList<>();
        MatchListener l = (id, msg, isOrig, data, off, len) -> printed.add("signature match, " + msg + ", "
                + new String(data, off, len, StandardCharsets.ISO_8859_1));
        ConnectionMatcher m = null;
        for (String line : TestResources.text(DIR + "signatures-udp-packetwise/datagrams.txt").split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("conn")) {
                m = set.newConnectionMatcher(ConnectionFacts.of(ConnectionFacts.UDP, f[1], Integer.parseInt(f[2]),
                        f[3], Integer.parseInt(f[4])), l);
            } else if (!f[0].startsWith("#")) {
                byte[] d = TestResources.hex(f[1]);
                m.onDatagram(f[0].equals("orig"), d, 0, d.length);
            }
        }
        m.finish();
        printed.sort(null);
        assertThat(printed).containsExactlyElementsOf(expected("signatures-udp-packetwise"));
    }

    @Test
    void shouldMatchHttpBodiesWhenFedAsZeekDelivers() throws Exception {
        SignatureSet set = SignatureSet.compile(List.of(TestResources.source(DIR + "signatures-http-body/test.sig",
                "test.sig")), Limits.DEFAULT);
        List<String> printed = new ArrayList<>();
        String[] conn = new String[1];
        MatchListener l = (id, msg, isOrig, data, off, len) -> printed.add("HTTP body match for " + conn[0]
                + " with signature '" + id + "', data: '" + new String(data, off, len, StandardCharsets.ISO_8859_1)
                + "'");
        ConnectionMatcher m = null;
        for (String line : TestResources.text(DIR + "signatures-http-body/feed.txt").split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "conn" -> {
                    if (m != null) {
                        m.finish();
                    }
                    conn[0] = f[1] + ":" + f[2] + " -> " + f[3] + ":" + f[4];
                    m = set.newConnectionMatcher(ConnectionFacts.of(ConnectionFacts.TCP, f[1], Integer.parseInt(f[2]),
                            f[3], Integer.parseInt(f[4])), l);
                }
                case "body" -> {
                    byte[] d = TestResources.hex(f[3]);
                    m.onHttpBody(f[1].equals("orig"), d, 0, d.length, f[2].equals("first"));
                }
                case "end" -> m.onHttpBodyEnd(f[1].equals("orig"));
                default -> {
                }
            }
        }
        m.finish();
        printed.sort(null);
        assertThat(printed).containsExactlyElementsOf(expected("signatures-http-body"));
    }
}
