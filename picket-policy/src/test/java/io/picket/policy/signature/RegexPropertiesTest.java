package io.picket.policy.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.picket.policy.Limits;
import io.picket.policy.SourceFile;
import io.picket.regex.Dfa;
import io.picket.regex.DfaBuilder;
import io.picket.regex.RegexNode;
import io.picket.regex.ZeekRegexParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties: the streaming DFA agrees with the RE2/J translation on whole inputs, a pattern
 * matches the same however the input is split, and arbitrary bytes never make a matcher throw.
 */
class RegexPropertiesTest {

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> atom = Arbitraries.of("a", "b", "\\x00", ".", "[ab]", "[^a]", "[[:digit:]]", "\\n", "\"ab\"",
                "(a|b)", "(?i:A)", "x", "\\/", "[a-c]");
        Arbitrary<String> quant = Arbitraries.of("", "", "*", "+", "?", "{1,2}", "{2}", "{0,1}");
        Arbitrary<String> piece = Combinators.combine(atom, quant).as((x, q) -> x + q);
        Arbitrary<String> body = piece.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("", l));
        return Combinators.combine(Arbitraries.of("", "^", ".*"), body, Arbitraries.of("", "", "$"))
                .as((p, b, s) -> p + b + s);
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.bytes().map(x -> (byte) "ab\n0x/A\u0000"
                .charAt(Math.floorMod(x, 8))).array(byte[].class).ofMaxSize(12);
    }

    private static boolean dfaMatches(Dfa dfa, byte[] in) {
        int s = 0;
        if (dfa.accepting(s)) {
            return true;
        }
        s = dfa.step(s, RegexNode.BOL);
        if (s < 0) {
            return false;
        }
        if (dfa.accepting(s)) {
            return true;
        }
        for (byte b : in) {
            s = dfa.step(s, b & 0xFF);
            if (s < 0) {
                return false;
            }
            if (dfa.accepting(s)) {
                return true;
            }
        }
        s = dfa.step(s, RegexNode.EOL);
        return s >= 0 && dfa.accepting(s);
    }

    @Property(tries = 400)
    void shouldAgreeWithRe2WhenWholeInput(@ForAll("patterns") String pattern, @ForAll("inputs") byte[] input)
            throws Exception {
        RegexNode node = ZeekRegexParser.parse(pattern, false);
        Dfa dfa = DfaBuilder.build(node, 10_000);
        Pattern re2 = Re2Translator.compile(Re2Translator.translate(node));
        boolean expected = re2.matcher(new String(input, StandardCharsets.ISO_8859_1)).find();
        assertThat(dfaMatches(dfa, input)).as("/%s/ on %s", pattern, java.util.Arrays.toString(input))
                .isEqualTo(expected);
    }

    @Property(tries = 200)
    void shouldMatchTheSameWhenStreamIsSplit(@ForAll("inputs") byte[] input, @ForAll("patterns") String pattern)
            throws Exception {
        SignatureSet set = SignatureSet.compile(List.of(SourceFile.of("p.sig",
                "signature s { payload /" + pattern + "/\n event \"m\" }")), Limits.DEFAULT);
        int[] whole = new int[1];
        ConnectionMatcher a = set.newConnectionMatcher(ConnectionFacts.of(6, "1.1.1.1", 1, "2.2.2.2", 2),
                (i, m, o, d, off, len) -> whole[0]++);
        a.onStream(true, input, 0, input.length);
        a.finish();
        int[] split = new int[1];
        ConnectionMatcher b = set.newConnectionMatcher(ConnectionFacts.of(6, "1.1.1.1", 1, "2.2.2.2", 2),
                (i, m, o, d, off, len) -> split[0]++);
        b.onStream(true, input, 0, 0); // the first packet initializes the direction, as Zeek's FirstPacket
        for (int i = 0; i < input.length; i++) {
            b.onStream(true, input, i, 1);
        }
        b.finish();
        assertThat(split[0]).isEqualTo(whole[0]);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenArbitraryBytesAreFed(@ForAll @Size(max = 300) byte[] data, @ForAll boolean orig,
                                                  @ForAll int split) throws Exception {
        SignatureSet set = FuzzSet.SET;
        ConnectionMatcher m = set.newConnectionMatcher(ConnectionFacts.of(6, "10.0.0.1", 1234, "10.0.0.2", 80),
                (i, msg, o, d, off, len) -> { });
        int cut = data.length == 0 ? 0 : Math.floorMod(split, data.length);
        m.onStream(orig, data, 0, cut);
        m.onStream(!orig, data, cut, data.length - cut);
        m.onHttpRequest("GET", data, "1.1");
        m.onHttpHeader(orig, data, data);
        m.onHttpBody(orig, data, 0, data.length, true);
        m.onHttpBodyEnd(orig);
        m.onDatagram(orig, data, 0, data.length);
        m.onIcmp(orig, data, 0, data.length);
        m.finish();
        m.onStream(orig, data, 0, data.length);
    }

    /** A set exercising every input type. */
    static final class FuzzSet {
        static final SignatureSet SET;

        static {
            try {
                SET = SignatureSet.compile(List.of(SourceFile.of("f.sig", """
                        signature a { payload /.*(GET|POST)[[:space:]]+\\/[^ ]*/
                          event "a" }
                        signature b { payload /^\\x16\\x03[\\x00-\\x03]/
                          requires-reverse-signature a
                          event "b" }
                        signature c { http-request /.*\\.\\.\\//
                          event "c" }
                        signature d { http-request-header /(?i:host): .*evil/
                          http-reply-body /.*/
                          event "d" }
                        signature e { http-request-body /^.{3,10}$/
                          requires-signature ! a
                          event "e" }
                        signature f { payload-size > 2
                          event "f" }
                        """)), Limits.DEFAULT);
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
