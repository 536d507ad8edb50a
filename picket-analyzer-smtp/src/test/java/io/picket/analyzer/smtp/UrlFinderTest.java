package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class UrlFinderTest {

    private static List<String> find(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return find(new UrlFinder(), b, 0, b.length);
    }

    private static List<String> find(UrlFinder f, byte[] b, int off, int len) {
        List<String> out = new ArrayList<>();
        int n = f.find(b, off, len, (d, s, e) -> out.add(new String(d, s, e - s, StandardCharsets.ISO_8859_1)));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    /**
     * find_all with url_regex, then the sub that strips the scheme, done with java.util.regex: at
     * each position the longest match (the pattern's greedy reading is its longest here), the scan
     * going on after it.
     */
    private static List<String> reference(String text) {
        Pattern url = Pattern.compile("[a-zA-Z\\-]{3,5}://(-\\.)?([^ \\t/?.#-]+\\.?)+(/[^ \\t]*)?");
        Pattern scheme = Pattern.compile("[a-zA-Z\\-]{3,5}://");
        LinkedHashSet<String> set = new LinkedHashSet<>();
        Matcher m = url.matcher(text);
        for (int t = 0; t < text.length(); t++) {
            m.region(t, text.length());
            if (m.lookingAt()) {
                String found = m.group();
                Matcher s = scheme.matcher(found);
                set.add(s.lookingAt() ? found.substring(s.end()) : found);
                t = m.end() - 1;
            }
        }
        return new ArrayList<>(set);
    }

    @Test
    void shouldStripTheSchemeWhenUrlHasPath() {
        assertThat(find("see http://example.com/a/b?c=d#e and")).containsExactly("example.com/a/b?c=d#e");
    }

    @Test
    void shouldTakeAnyThreeToFiveLetterSchemeWhenFollowedByColonSlashSlash() {
        assertThat(find("ftp://files.example.org/x hxxp://bad.example/ z ab://no.example/")).containsExactly(
                "files.example.org/x", "bad.example/");
        // six letters: the last five are the scheme find_all tries first
        assertThat(find("xhttps://a.example")).containsExactly("a.example");
    }

    @Test
    void shouldEndTheHostWhenDashQueryOrFragmentFollows() {
        assertThat(find("http://my-host.example/p")).containsExactly("my");
        assertThat(find("http://a.example?q=1")).containsExactly("a.example");
        assertThat(find("http://a.example#top")).containsExactly("a.example");
        assertThat(find("http://a..example/p")).containsExactly("a.");
        assertThat(find("http://-.a.example/p")).containsExactly("-.a.example/p");
        assertThat(find("http://-a.example/p http://.a/")).isEmpty();
    }

    @Test
    void shouldKeepLineEndsWhenNoBlankEndsTheUrl() {
        // url_regex stops only at space and tab: CR, LF and the next line belong to the URL
        assertThat(find("go to http://example.com/path\r\nnext line\r\n")).containsExactly("example.com/path\r\nnext");
        assertThat(find("http://example.com\r\n")).containsExactly("example.com\r\n");
        assertThat(find("<a href=\"http://x.example/y\">z</a> ")).containsExactly("x.example/y\">z</a>");
    }

    @Test
    void shouldReportOnceWhenUrlRepeatsInChunk() {
        UrlFinder f = new UrlFinder();
        byte[] b = "http://a.example/ http://b.example/ https://a.example/ http://a.example/"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(find(f, b, 0, b.length)).containsExactly("a.example/", "b.example/");
        // a new chunk is a new set
        assertThat(find(f, b, 0, 17)).containsExactly("a.example/");
    }

    @Test
    void shouldConsumeLaterSchemesWhenPathRunsOverThem() {
        assertThat(find("http://a.example/r?u=http://b.example/ x")).containsExactly("a.example/r?u=http://b.example/");
    }

    @Test
    void shouldHoldManyUrlsWhenChunkIsFullOfThem() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append("abc://h").append(i).append(' ');
        }
        List<String> urls = find(sb.toString() + sb);
        assertThat(urls).hasSize(500).startsWith("h0", "h1").endsWith("h499");
    }

    @Provide
    Arbitrary<String> urlish() {
        return Arbitraries.of("http", "ftp", "hxxps", "ab", "-", "://", ":/", ":", "/", ".", "..", "-.", "?", "#", " ",
                "\t", "\r\n", "a", "b.c", "\u00e9", "\0", "x-y").list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property(tries = 500)
    void shouldAgreeWithTheRegexWhenTextIsUrlLike(@ForAll("urlish") String text) {
        assertThat(find(text)).isEqualTo(reference(text));
    }

    @Property(tries = 200)
    void shouldStayInsideTheChunkWhenBytesAreArbitrary(@ForAll byte[] b) {
        UrlFinder f = new UrlFinder();
        int off = b.length / 3;
        int len = b.length - off;
        List<String> urls = new ArrayList<>();
        f.find(b, off, len, (d, s, e) -> {
            assertThat(s).isGreaterThanOrEqualTo(off + 6);
            assertThat(e).isLessThanOrEqualTo(off + len).isGreaterThan(s);
            urls.add(new String(d, s, e - s, StandardCharsets.ISO_8859_1));
        });
        assertThat(urls).doesNotHaveDuplicates();
    }
}
