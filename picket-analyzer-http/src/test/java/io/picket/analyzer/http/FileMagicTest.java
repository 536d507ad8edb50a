package io.picket.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileMagicTest {

    private static String detect(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return FileMagic.standard().detect(b, b.length);
    }

    private static String detect(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return FileMagic.standard().detect(b, b.length);
    }

    @Test
    void shouldKeepJavaRegexOnlyForDollarAndStateExplosionWhenCompilingDfas() {
        // $: java.util.regex also matches it before a final newline, a DFA's end-of-data does not;
        // the OOXML ones: ".*PK\x03\x04.{26}" needs some 34,000 DFA states (limit 10,000)
        assertThat(FileMagic.standard().javaRegexPatterns()).containsExactly(
                "^(\\xef\\xbb\\xbf)?[\\x0d\\x0a[:blank:]]*(\\[\\]|\\{\\})[\\x0d\\x0a[:blank:]]*$",
                "^PK\\x03\\x04.{26}(\\[Content_Types\\]\\.xml|_rels\\x2f\\.rels|word\\x2f).*PK\\x03\\x04.{26}word\\x2f",
                "^PK\\x03\\x04.{26}(\\[Content_Types\\]\\.xml|_rels\\x2f\\.rels|xl\\x2f).*PK\\x03\\x04.{26}xl\\x2f",
                "^PK\\x03\\x04.{26}(\\[Content_Types\\]\\.xml|_rels\\x2f\\.rels|ppt\\x2f).*PK\\x03\\x04.{26}ppt\\x2f",
                "(HEADER    )(^.{40})([0-9]{2}-[A-Z]{3}-[0-9]{2} {3})([A-Z0-9]{4}.{14}$)([A-Z0-9]{4})");
    }

    @Test
    void shouldMatchNewlineWithDotAndGroupWithNonCapturingParenthesesWhenCompilingDfas() {
        byte[] b = "<!--\n-->\n<?xml x?><rss xmlns:atom".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(FileMagic.compileDfa("(?:[\\x0d\\x0a]|<!--.*-->)*(<\\?xml .*\\?>)?<rss").matchesPrefix(b, b.length))
                .isTrue();
        assertThat(FileMagic.compileDfa("a\"b").matchesPrefix(new byte[] {'a', '"', 'b'}, 3)).isTrue();
    }

    @Test
    void shouldLoadAllSignatures() {
        assertThat(FileMagic.standard().size()).isGreaterThan(300);
    }

    @Test
    void shouldFindHtmlWhenDocumentStartsWithDoctypeOrTag() {
        assertThat(detect("<!DOCTYPE html><html><body>x</body></html>")).isEqualTo("text/html");
        assertThat(detect("\r\n  <!-- c -->\n<html lang=en>")).isEqualTo("text/html");
        assertThat(detect("<HEAD><title>x</title>")).isEqualTo("text/html");
    }

    @Test
    void shouldFindPlainTextOnlyFromTenPrintableBytes() {
        assertThat(detect("body { color: red; }")).isEqualTo("text/plain");
        assertThat(detect("short")).isNull();
    }

    @Test
    void shouldFindJsonAndXml() {
        assertThat(detect("{\"a\": 1, \"b\": [2]}")).isEqualTo("text/json");
        assertThat(detect("[1, 2, 3]")).isEqualTo("text/json");
        assertThat(detect("<?xml version=\"1.0\"?><a/>")).isEqualTo("application/xml");
        assertThat(detect("<?xml version=\"1.0\"?>\n<soap:Envelope xmlns:soap=\"x\">")).isEqualTo("application/soap+xml");
    }

    @Test
    void shouldFindImagesByMagicNumber() {
        assertThat(detect(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')).isEqualTo("image/png");
        assertThat(detect("GIF89a\u0001\u0000")).isEqualTo("image/gif");
        assertThat(detect(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F')).isEqualTo("image/jpeg");
    }

    @Test
    void shouldFindDocumentsArchivesAndExecutables() {
        assertThat(detect("%PDF-1.4\n%\u00e2\u00e3")).isEqualTo("application/pdf");
        assertThat(detect("PK\u0003\u0004\u0014\u0000\u0000\u0000")).isEqualTo("application/zip");
        assertThat(detect("MZ\u0090\u0000\u0003\u0000\u0000\u0000")).isEqualTo("application/x-dosexec");
        assertThat(detect(0x1f, 0x8b, 8, 0, 0, 0, 0, 0)).isEqualTo("application/x-gzip");
        assertThat(detect("MSCF\u0000\u0000\u0000\u0000abcd")).isEqualTo("application/vnd.ms-cab-compressed");
    }

    @Test
    void shouldMatchAnyByteWithDotWhenOcspResponseHasNewlineByte() {
        // SEQUENCE, ENUMERATED(0x0a) successful, [0] ... id-pkix-ocsp-basic
        assertThat(detect(0x30, 0x82, 0x01, 0xd3, 0x0a, 0x01, 0x00, 0xa0, 0x82, 0x01, 0xcc, 0x30, 0x82, 0x01,
                0xc8, 0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01)).isEqualTo("application/ocsp-response");
    }

    @Test
    void shouldReturnNothingWhenBufferIsEmptyOrBinaryNoise() {
        assertThat(FileMagic.standard().detect(new byte[0], 0)).isNull();
        assertThat(detect(0x01, 0x02, 0x03, 0x04, 0x05)).isNull();
    }

    @Test
    void shouldTranslatePosixClassesInsideBrackets() {
        assertThat(FileMagic.toJava("[[:space:]\\x20-\\x7E]{10}")).isEqualTo("[ \\t\\n\\x0B\\f\\r\\x20-\\x7E]{10}");
        assertThat(FileMagic.toJava("a[:blank:]?b")).isEqualTo("a[:blank:]?b");
        assertThat(FileMagic.toJava("[[]")).isEqualTo("[\\[]");
    }
}
