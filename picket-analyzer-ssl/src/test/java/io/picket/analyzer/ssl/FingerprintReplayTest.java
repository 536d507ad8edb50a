package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The optional ja3/ja3s/ja4/ja4s columns end to end: real connections replayed through a
 * provider whose options turn them on. The JA3 and JA3S strings below were written out from the
 * hellos' fields per the Salesforce specification (version, ciphers, extensions, curves, point
 * formats in decimal, GREASE values left out); the column must be their MD5. The JA4/JA4S of
 * the suricata-verify ja4-tls-quic stream are FoxIO's reference tool's output (quoted in that
 * test's README); the others were computed from the hello fields per FoxIO's specification.
 */
class FingerprintReplayTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # stream | JA3 string | JA3S string | JA4 | JA4S
        seeds/sv-ja4-tls-quic_input-1.tcps | 771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,0-23-65281-10-11-35-16-5-13-18-51-45-43-27-17513-21,29-23-24,0 | 771,4865,51-43 | t13d1516h2_8daaf6152771_e5627efa2ab1 | t130200_1301_234ea6891581
        tls12-sni-repeated-certs-5.tcps | 771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-22-23-13,29-23-30-25-24,0-1-2 | 771,52393,23-65281-11-35 | t12d280700_d943125447b4_e7e480e5a997 | t120400_cca9_4993ccf7354b
        tls13-ech-sni-2.tcps | 771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,65281-16-13-51-45-17513-35-43-10-65037-23-5-18-11-0-27-21,29-23-24,0 | 771,4865,43-51 | t13d1517h2_8daaf6152771_b1ff8ab2d16f | t130200_1301_a56c5b993250
        tls10-sni-basic-1.tcps | 769,49162-49172-136-135-57-56-49167-49157-132-53-49159-49161-49169-49171-69-68-102-51-50-49164-49166-49154-49156-150-65-4-5-47-49160-49170-22-19-49165-49155-65279-10,0-65281-10-11-35-13172,23-24-25,0 | 769,49169,0-65281-11-35-13172 | t10d360600_b06c425f59b5_eb0e26099a3f | t100500_c011_011fcc93990f
        """)
    void shouldLogTheFingerprintsOfTheHellosWhenTheProviderEnablesThem(String stream, String ja3, String ja3s,
            String ja4, String ja4s) throws Exception {
        SslAnalyzerProvider provider = new SslAnalyzerProvider()
                .withOptions(SslOptions.defaults().withFingerprints(true, true));

        List<LogRecord> ssl = TcpStream.load(stream).run(provider, "CFp").logs("ssl");

        assertThat(ssl).hasSize(1);
        LogRecord r = ssl.get(0);
        assertThat(r.get("ja3")).isEqualTo(md5(ja3));
        assertThat(r.get("ja3s")).isEqualTo(md5(ja3s));
        assertThat(r.get("ja4")).isEqualTo(ja4);
        assertThat(r.get("ja4s")).isEqualTo(ja4s);
        assertThat(FakeContext.tsv(r)).endsWith("\t" + md5(ja3) + "\t" + md5(ja3s) + "\t" + ja4 + "\t" + ja4s);
    }

    @ParameterizedTest(name = "ja3={0} ja4={1}")
    @CsvSource({"true, false", "false, true"})
    void shouldAddOnlyTheEnabledFingerprintColumns(boolean ja3, boolean ja4) {
        SslAnalyzerProvider provider = new SslAnalyzerProvider()
                .withOptions(SslOptions.defaults().withFingerprints(ja3, ja4));

        LogRecord r = TcpStream.load("tls12-sni-repeated-certs-5.tcps").run(provider, "CFp").logs("ssl").get(0);

        List<String> names = r.schema().fields().stream().map(f -> f.name()).toList();
        assertThat(names.contains("ja3")).isEqualTo(ja3);
        assertThat(names.contains("ja3s")).isEqualTo(ja3);
        assertThat(names.contains("ja4")).isEqualTo(ja4);
        assertThat(names.contains("ja4s")).isEqualTo(ja4);
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }
}
