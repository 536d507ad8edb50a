package io.picket.analyzer.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DNS payloads of Zeek's own regression traces (see {@code dns/cases/README.md}) replayed
 * through the analyzer: dns.log must equal Zeek's baseline row for row (as a multiset, without
 * the masked ts and the per-run uid).
 */
class DnsVendoredCasesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dns-ipv6-fragmented", "dns-reply-seen-first", "wikipedia-default"})
    void shouldWriteZeeksDnsLogWhenReplayingVendoredCase(String name) throws IOException {
        List<LogRecord> rows;
        try (InputStream in = resource("dns/cases/" + name + ".datagrams")) {
            rows = TraceReplay.replay(in, true);
        }
        List<String> actual = new ArrayList<>();
        for (LogRecord r : rows) {
            actual.add(withoutTsAndUid(FakeContext.tsv(r)));
        }
        List<String> expected = new ArrayList<>();
        String text;
        try (InputStream in = resource("dns/cases/" + name + ".dns.log")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                expected.add(withoutTsAndUid(line));
            }
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    static String withoutTsAndUid(String row) {
        String[] f = row.split("\t", -1);
        return String.join("\t", Arrays.copyOfRange(f, 2, f.length));
    }

    static InputStream resource(String path) {
        InputStream in = DnsVendoredCasesTest.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + path);
        }
        return in;
    }
}
