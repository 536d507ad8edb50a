package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmtpTextTest {

    @Test
    void shouldExtractAddressesWhenEnvelopeHasBracketsAndParameters() {
        assertThat(SmtpText.emailAddrs("FROM:<alice@example.com> SIZE=100")).containsExactly("alice@example.com");
        assertThat(SmtpText.emailAddrs("TO:<bob@example.org> ORCPT=rfc822;bob@example.org"))
                .containsExactly("bob@example.org", "ORCPT=rfc822bob@example.org"); // Zeek then strips ORCPT=rfc822
        assertThat(SmtpText.emailAddrs("FROM:<>")).isEmpty();
        assertThat(SmtpText.emailAddrs("a@b")).containsExactly("a@b");
    }

    @Test
    void shouldSplitMimeAddressesWhenDisplayNameHasComma() {
        assertThat(SmtpText.mimeAddrs("\"Doe, John\" <j@x.org>, b@y.org")).containsExactly("\"Doe, John\" <j@x.org>", "b@y.org");
        assertThat(SmtpText.mimeAddrs("\"q\",x@y")).containsExactly("\"q\"", "x@y");
    }

    @Test
    void shouldExtractWrappedAddressesOnlyWhenCheckingWrapping() {
        assertThat(SmtpText.ipAddresses("from a ([10.1.2.3]) by b (1.2.3.4) x9.8.7.6", true))
                .containsExactly("10.1.2.3", "1.2.3.4");
        assertThat(SmtpText.ipAddresses("1.2.3.4", true)).containsExactly("1.2.3.4");
        assertThat(SmtpText.ipAddresses("ip=192.0.2.1;", false)).containsExactly("192.0.2.1");
        assertThat(SmtpText.ipAddresses("from x ([IPv6:2001:db8::1]) by [2001:DB8:0:0:0:0:0:2]", true))
                .containsExactly("2001:db8::2");
        assertThat(SmtpText.ipAddresses("1.2.3.256", false)).containsExactly("1.2.3.25");
    }

    @Test
    void shouldExtractFilenamesAsZeekWhenDispositionNamesOne() {
        assertThat(SmtpText.filenameFromDisposition("attachment;\tfilename=\"NEWS.txt\"")).isEqualTo("NEWS.txt");
        assertThat(SmtpText.filenameFromDisposition("text/plain; name=a%20b.txt")).isEqualTo("a b.txt");
        assertThat(SmtpText.filenameFromDisposition("attachment; filename*=UTF-8''%e2%82%ac.txt"))
                .isEqualTo("\u00e2\u0082\u00ac.txt");
        assertThat(SmtpText.filenameFromDisposition("attachment; filename=\"unterminated")).isEqualTo("unterminated");
        assertThat(SmtpText.unescapeUri("100%")).isEqualTo("100%");
        assertThat(SmtpText.unescapeUri("%zz")).isEqualTo("%zz");
        assertThat(SmtpText.unescapeUri("%u0041")).isEqualTo("A");
    }
}
