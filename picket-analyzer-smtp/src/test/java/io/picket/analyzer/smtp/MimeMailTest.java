package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data segments MimeMail submits, as Zeek's MIME_Entity hands them to file analysis. */
class MimeMailTest {

    /** Records "begin", "file", "end" and each segment as "data:<text>". */
    private static final class Recorder implements MimeMail.Listener {
        final List<String> events = new ArrayList<>();
        final List<String> weirds = new ArrayList<>();

        @Override
        public void weird(String name, String addl) {
            weirds.add(name + " " + addl);
        }

        @Override
        public void beginEntity() {
            events.add("begin");
        }

        @Override
        public void header(String upperName, String value) {
        }

        @Override
        public void fileStarted() {
            events.add("file");
        }

        @Override
        public void data(byte[] b, int off, int len) {
            events.add("data:" + new String(b, off, len, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void endEntity() {
            events.add("end");
        }

        List<String> data() {
            return events.stream().filter(e -> e.startsWith("data:")).map(e -> e.substring(5)).toList();
        }
    }

    /** Feeds the message's CRLF-terminated lines (without their CRLF) and ends it. */
    private static Recorder feed(String message) {
        Recorder r = new Recorder();
        MimeMail m = new MimeMail(r);
        for (String line : message.split("\r\n", -1)) {
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            m.line(b, 0, b.length);
        }
        m.done();
        return r;
    }

    @Test
    void shouldSubmitEachLineWithItsCrlfWhenMessageIsNotMime() {
        Recorder r = feed("Subject: x\r\n\r\nline one\r\nsee http://a.example/ ok");
        assertThat(r.data()).containsExactly("line one\r\n", "see http://a.example/ ok\r\n");
        assertThat(r.events).containsExactly("begin", "file", "data:line one\r\n", "data:see http://a.example/ ok\r\n",
                "end");
    }

    @Test
    void shouldHoldBackTheCrlfUntilTheNextLineWhenPartIsInMultipart() {
        Recorder r = feed("Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\npreamble\r\n--XX\r\n"
                + "Content-Type: text/plain\r\n\r\na\r\n\r\nb\r\n--XX--\r\nepilogue");
        // the CRLF before the boundary belongs to the boundary and is dropped
        assertThat(r.data()).containsExactly("a", "\r\n", "\r\nb");
        assertThat(r.events).containsExactly("begin", "begin", "file", "data:a", "data:\r\n", "data:\r\nb", "end", "end");
    }

    @Test
    void shouldJoinSoftLineBreaksWithinOneLineOnlyWhenPartIsQuotedPrintable() {
        Recorder r = feed("Content-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                // soft break: the blank before '=' stays, no CRLF
                + "<html xmlns:m=3D\"http://schemas.example/omml\" =\r\n"
                // trailing blanks dropped, =3d lower case decoded, a bad '=' kept
                + "x=3dy =ZZ=4 \t\r\n"
                + "--B--");
        assertThat(r.data()).containsExactly("<html xmlns:m=\"http://schemas.example/omml\" ", "x=y =ZZ=4\r\n");
    }

    @Test
    void shouldDecodeWholeGroupsPerLineWhenPartIsBase64() {
        // "Visit http://evil.example/payload now\r\n" in two lines that split a group
        Recorder r = feed("Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                + "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "VmlzaXQgaHR0cDovL2V2aWwuZXhh\r\n"
                + "bXBsZS9wYXlsb2FkIG5vdw0K\r\n"
                + "--B\r\nContent-Transfer-Encoding: BASE64\r\n\r\n"
                // an unfinished group at the end is padded: "YWI" gives "ab"; '!' is skipped
                + "YW!I\r\n"
                + "--B--");
        assertThat(r.data()).containsExactly("Visit http://evil.exa", "mple/payload now\r\n", "ab");
        assertThat(r.weirds).containsExactly("base64_illegal_encoding character 33 ignored by Base64 decoding",
                "base64_illegal_encoding incomplete base64 group, padding with 6 bits of 0");
    }

    @Test
    void shouldIgnoreGroupsAfterPaddingWhenBase64HasPaddedGroupInTheMiddle() {
        Recorder r = feed("Content-Transfer-Encoding: base64\r\n\r\nYWI=YWJj\r\nYWJj\u00ff");
        assertThat(r.data()).containsExactly("ab");
        // the converter reports its first error only
        assertThat(r.weirds).containsExactly("base64_illegal_encoding extra base64 groups after '=' padding are ignored");
    }

    @Test
    void shouldDecodeWithTheParentEncodingWhenChildHasNone() {
        Recorder r = feed("Content-Type: multipart/mixed; boundary=B\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "--B\r\nContent-Type: text/plain\r\n\r\naHR0cDovL2I2NC5leGFtcGxlL3ggeQ==\r\n--B--");
        assertThat(r.data()).containsExactly("http://b64.example/x y");
    }

    @Test
    void shouldSplitAtTheSegmentLengthWhenLineIsLong() {
        String line = "a".repeat(1500);
        Recorder r = feed("\r\n" + line);
        assertThat(r.data()).containsExactly("a".repeat(1024), "a".repeat(476) + "\r\n");
        assertThat(r.events).filteredOn("file"::equals).hasSize(1);
    }

    @Test
    void shouldNestAnEntityWhenMessagePartEndsItsHeader() {
        // message/* of any subtype nests an entity as soon as its header ends, even without a body
        Recorder r = feed("Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                + "Content-Type: message/partial; id=1\r\n\r\n--B--");
        assertThat(r.events).containsExactly("begin", "begin", "begin", "end", "end", "end");
    }

    @Test
    void shouldStartOneFilePerEntityWhenEntitiesHaveData() {
        Recorder r = feed("Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\r\none\r\n--B\r\n\r\n\r\n--B\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n=\r\n--B--");
        // the second part's only line is its boundary CRLF (dropped); the third decodes to nothing
        assertThat(r.events).containsExactly("begin", "begin", "file", "data:one", "end", "begin", "end", "begin",
                "end", "end");
    }
}
