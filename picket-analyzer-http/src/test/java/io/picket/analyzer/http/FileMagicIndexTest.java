package io.picket.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The first-byte index of {@link FileMagic} must not change an answer: detection through the
 * index equals trying every signature, on buffers that start like real files (each signature's
 * own leading literal, then random bytes) and on random bytes.
 */
class FileMagicIndexTest {

    private static final List<byte[]> STARTS = starts();

    /** The literal each signature starts with (as far as it is a plain literal), plus common file starts. */
    private static List<byte[]> starts() {
        List<byte[]> out = new ArrayList<>();
        Pattern literal = Pattern.compile("^\\^?((?:\\\\x[0-9a-fA-F]{2}|\\\\.|[^\\\\\\[\\](){}|*+?.^$])*)");
        try (var in = FileMagic.class.getResourceAsStream("file-magic.txt");
             var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = literal.matcher(line.split("\t", 3)[2]);
                if (m.find()) {
                    out.add(unescape(m.group(1)));
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        for (String s : new String[] {"<!DOCTYPE html>", "  <html>", "<?xml version=\"1.0\"?>", "{\"a\": 1}",
                "%PDF-1.4", "GIF89a", "\u0089PNG\r\n\u001a\n", "PK\u0003\u0004", "MZ", "\r\n<svg", "#!/bin/sh"}) {
            out.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static byte[] unescape(String s) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == 'x' && i + 2 < s.length()) {
                    b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    b.write(switch (n) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> n;
                    });
                }
            } else {
                b.write(c);
            }
        }
        return b.toByteArray();
    }

    @Provide
    Arbitrary<byte[]> fileStarts() {
        Arbitrary<byte[]> head = Arbitraries.of(STARTS);
        Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
        Arbitrary<byte[]> printable = Arbitraries.strings().ascii().ofMaxLength(48)
                .map(t -> t.getBytes(StandardCharsets.ISO_8859_1));
        return net.jqwik.api.Combinators.combine(head, Arbitraries.oneOf(tail, printable)).as((h, t) -> {
            byte[] b = java.util.Arrays.copyOf(h, h.length + t.length);
            System.arraycopy(t, 0, b, h.length, t.length);
            return b;
        });
    }

    @net.jqwik.api.Example
    void shouldStartFromTheSignaturesOwnLeadingLiterals() {
        assertThat(STARTS.stream().filter(b -> b.length >= 2).count()).isGreaterThan(80);
    }

    @Property(tries = 3000)
    void shouldAnswerAsTryingEverySignatureWhenTheBufferStartsLikeAFile(@ForAll("fileStarts") byte[] b) {
        FileMagic magic = FileMagic.standard();
        assertThat(magic.detect(b, b.length)).isEqualTo(magic.detectTryingAll(b, b.length));
    }

    @Property(tries = 2000)
    void shouldMatchEachSignatureAsJavaRegexWhenTheBufferStartsLikeAFile(@ForAll("fileStarts") byte[] b) {
        assertThat(FileMagic.standard().firstDisagreement(b, b.length)).isNull();
    }

    @Property(tries = 1000)
    void shouldAnswerAsTryingEverySignatureWhenTheBufferIsRandom(@ForAll byte[] b) {
        FileMagic magic = FileMagic.standard();
        assertThat(magic.detect(b, b.length)).isEqualTo(magic.detectTryingAll(b, b.length));
    }
}
