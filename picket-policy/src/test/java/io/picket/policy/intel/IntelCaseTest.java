package io.picket.policy.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import io.picket.log.format.LogBuffer;
import io.picket.log.format.TsvFormat;
import io.picket.policy.Limits;
import io.picket.policy.TestResources;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The vendored intel-whitelist-dns-http case: feeding the DNS query names and HTTP Host headers of
 * the trace (extracted offline, see resources README) yields exactly the expected intel.log,
 * header included; ts is masked in the baseline and uids are compared as a bijection.
 */
class IntelCaseTest {
    private static final String DIR = "/policy/zeek/intel-whitelist-dns-http/";

    @Test
    void shouldLogExactlyTheExpectedRowsWhenWhitelistSuppressesOneDomain() throws Exception {
        IntelIndex index = IntelIndex.load(List.of(TestResources.source(DIR + "intel.dat", "intel.dat"),
                TestResources.source(DIR + "whitelist.dat", "whitelist.dat")), Limits.DEFAULT);
        Map<String, String> uids = new HashMap<>();
        List<LogRecord> records = new ArrayList<>();
        for (String line : TestResources.text(DIR + "seen.tsv").split("\n")) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t");
            String conn = f[1] + ":" + f[2] + "-" + f[3] + ":" + f[4];
            String uid = uids.computeIfAbsent(conn, k -> "C" + (uids.size() + 1));
            IntelWhere where = IntelWhere.fromZeek(f[5]);
            IntelMatch m = index.seen(IntelSeen.indicator(Double.parseDouble(f[0]), f[6], IntelType.DOMAIN, where, uid,
                    f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4])));
            if (m != null && m.logRecord() != null) {
                records.add(m.logRecord());
            }
        }
        TsvFormat tsv = new TsvFormat();
        LogBuffer out = new LogBuffer();
        tsv.header(IntelLog.SCHEMA, ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), out);
        for (LogRecord r : records) {
            tsv.row(r, out);
        }
        List<String> actual = List.of(out.toString().split("\n"));
        List<String> expected = new ArrayList<>(List.of(TestResources.text(DIR + "intel.log").split("\n")));
        expected.removeIf(l -> l.startsWith("### BTest") || l.startsWith("#open") || l.startsWith("#close"));
        List<String> act = new ArrayList<>(actual);
        act.removeIf(l -> l.startsWith("#open"));
        assertThat(act).hasSameSizeAs(expected);
        Map<String, String> bijection = new HashMap<>();
        Map<String, String> inverse = new HashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            String a = act.get(i);
            if (e.startsWith("#")) {
                assertThat(a).isEqualTo(e);
                continue;
            }
            String[] ef = e.split("\t", -1);
            String[] af = a.split("\t", -1);
            assertThat(af).hasSize(ef.length);
            assertThat(af[0]).matches("\\d{10}\\.\\d{6}");
            assertThat(bijection.computeIfAbsent(ef[1], k -> af[1])).isEqualTo(af[1]);
            assertThat(inverse.computeIfAbsent(af[1], k -> ef[1])).isEqualTo(ef[1]);
            assertThat(String.join("\t", List.of(af).subList(2, af.length)))
                    .isEqualTo(String.join("\t", List.of(ef).subList(2, ef.length)));
        }
        assertThat(records).hasSize(20);
    }
}
