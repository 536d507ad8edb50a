package io.picket.analyzer.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** DNS over TCP: 2-byte length-prefixed messages in any segmentation (Zeek's Contents_DNS). */
class DnsTcpTest {
    private final FakeContext ctx = FakeContext.tcp();
    private final DnsAnalyzer a = new DnsAnalyzer(ctx);

    private void stream(boolean isOrig, byte[] b, int from, int to) {
        // deliver from a larger segment at an offset, as the reassembler may
        byte[] padded = new byte[to - from + 7];
        System.arraycopy(b, from, padded, 3, to - from);
        a.onStream(isOrig, MemorySegment.ofArray(padded), 3, to - from);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Msg answer(int id, String name) {
        return Msg.reply(id, 0, 1, 1).question(name, 1, 1).rrAt(12, 1, 60, new byte[] {10, 0, 0, (byte) id});
    }

    @Test
    void shouldParseEveryMessageWhenSeveralShareOneSegment() {
        byte[] queries = concat(Msg.query(1, "a.example", 1).framed(), Msg.query(2, "b.example", 1).framed());
        stream(true, queries, 0, queries.length);
        byte[] replies = concat(answer(2, "b.example").framed(), answer(1, "a.example").framed());
        stream(false, replies, 0, replies.length);
        assertThat(ctx.logs).hasSize(2);
        assertThat(ctx.col(0, "answers")).isEqualTo("10.0.0.2");
        assertThat(ctx.col(1, "answers")).isEqualTo("10.0.0.1");
        assertThat(ctx.col(0, "proto")).isEqualTo("tcp");
    }

    @Test
    void shouldReassembleMessageWhenSplitAtEveryByte() {
        byte[] q = Msg.query(7, "split.example", 28).framed();
        for (int i = 0; i < q.length; i++) {
            stream(true, q, i, i + 1);
        }
        byte[] r = answer(7, "split.example").framed();
        stream(false, r, 0, 1);
        stream(false, r, 1, 5);
        stream(false, r, 5, r.length);
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.col(0, "query")).isEqualTo("split.example");
        assertThat(ctx.col(0, "qtype_name")).isEqualTo("AAAA");
        assertThat(ctx.weirds).isEmpty();
    }

    @Test
    void shouldParseMessageWhenItEndsMidSegmentAndTheNextBegins() {
        byte[] two = concat(Msg.query(1, "a.example", 1).framed(), Msg.query(2, "b.example", 1).framed());
        stream(true, two, 0, 20);
        stream(true, two, 20, two.length);
        a.onConnectionDone();
        assertThat(ctx.rows()).hasSize(2);
        assertThat(ctx.col(1, "query")).isEqualTo("b.example");
    }

    @Test
    void shouldRaiseWeirdWhenMessageLengthIsZero() {
        byte[] b = concat(new byte[] {0, 0}, Msg.query(3, "c.example", 1).framed());
        stream(true, b, 0, b.length);
        a.onConnectionDone();
        assertThat(ctx.weirdNames()).containsExactly("DNS_truncated_len_lt_hdr_len");
        assertThat(ctx.col(0, "query")).isEqualTo("c.example");
    }

    @Test
    void shouldParsePartialMessageAtEveryCloseWhenStreamEndsEarly() {
        byte[] q = Msg.query(4, "cut.example", 1).framed();
        // length, header and the name, but not the type/class
        stream(true, q, 0, q.length - 4);
        a.onEndOfStream(true);
        a.onEndOfStream(false);
        a.onConnectionDone();
        assertThat(ctx.weirdNames()).containsExactly("DNS_truncated_quest_too_short", "DNS_truncated_quest_too_short");
        assertThat(ctx.logs).hasSize(2);
    }

    @Test
    void shouldKeepDirectionsApartWhenBothHavePartialMessages() {
        byte[] q = Msg.query(5, "dir.example", 1).framed();
        byte[] r = answer(5, "dir.example").framed();
        stream(true, q, 0, 9);
        stream(false, r, 0, 11);
        stream(true, q, 9, q.length);
        stream(false, r, 11, r.length);
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.col(0, "rcode_name")).isEqualTo("NOERROR");
    }

    @Test
    void shouldParseSameRowsWhenDeliveredWholeOrInPieces() {
        byte[] q = concat(Msg.query(8, "same.example", 16).framed(), Msg.query(9, "same2.example", 16).framed());
        stream(true, q, 0, q.length);
        a.onConnectionDone();
        FakeContext other = FakeContext.tcp();
        DnsAnalyzer b = new DnsAnalyzer(other);
        for (int i = 0; i < q.length; i += 3) {
            byte[] piece = Arrays.copyOfRange(q, i, Math.min(q.length, i + 3));
            b.onStream(true, MemorySegment.ofArray(piece), 0, piece.length);
        }
        b.onConnectionDone();
        assertThat(other.rows()).isEqualTo(ctx.rows());
    }
}
