package io.picket.engine;

import static io.picket.engine.IntelSeenPointsTest.intelRows;
import static io.picket.engine.IntelSeenPointsTest.item;
import static io.picket.engine.IntelSeenPointsTest.masked;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * policy/frameworks/intel/seen/smtp-url-extraction.zeek over Zeek's smtp.pcap: the URLs of the
 * message bodies as the file data events see them, in intel.log as {@code SMTP::IN_MESSAGE}.
 */
class SmtpMessageUrlIntelTest {

    private static final Path TRACE = Path.of("src/test/resources/zeek-smtp/smtp-basic/trace.pcap");

    @Test
    void shouldLogTheUrlOfTheQuotedPrintablePartWhenIntelHasIt() throws Exception {
        // the text/html part's line
        //   xmlns:m=3D"http://schemas.microsoft.com/office/2004/12/omml" =
        // decodes (soft break, no CRLF) to one segment whose URL runs to the blank after the quote;
        // Intel::seen gets the connection only, so fuid, file_mime_type and file_desc stay unset
        List<String> rows = masked(intelRows(TRACE,
                item("schemas.microsoft.com/office/2004/12/omml\"", "Intel::URL", "srcU")
                        // the next line ends without a soft break: its URL ends with the segment's CRLF
                        + item("www.w3.org/TR/REC-html40\">", "Intel::URL", "srcU")
                        + item("www.w3.org/TR/REC-html40", "Intel::URL", "srcU"),
                false));
        assertThat(rows).containsExactly("1254722770.692786\tC\t10.10.1.4\t1470\t74.53.140.153\t25\t"
                + "schemas.microsoft.com/office/2004/12/omml\"\tIntel::URL\tSMTP::IN_MESSAGE\tzeek\tIntel::URL\tsrcU"
                + "\t-\t-\t-");
    }

    @Test
    void shouldLogNothingWhenIntelHasNoUrlOfTheBodies() throws Exception {
        // header values are not message data: the Message-ID and the addresses are not scanned
        assertThat(intelRows(TRACE, item("schemas.microsoft.com", "Intel::URL", "srcU")
                + item("schemas.microsoft.com/office/2004/12/omml", "Intel::URL", "srcU"), false)).isEmpty();
    }
}
