package io.picket.analyzer.dns;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Builds DNS messages for tests: header, questions and resource records, byte by byte. */
final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The 12-byte header: id, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT. */
    static Msg header(int id, int flags, int qd, int an, int ns, int ar) {
        Msg m = new Msg();
        m.u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        return m;
    }

    /** A standard query: QR=0, opcode 0, RD=1, one question. */
    static Msg query(int id, String name, int qtype) {
        return header(id, 0x0100, 1, 0, 0, 0).question(name, qtype, 1);
    }

    /** A standard reply header: QR=1, RD=1, RA=1 with the given rcode, counts. */
    static Msg reply(int id, int rcode, int qd, int an) {
        return header(id, 0x8180 | rcode, qd, an, 0, 0);
    }

    int size() {
        return out.size();
    }

    Msg u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    Msg u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    Msg u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    Msg raw(byte... b) {
        out.write(b, 0, b.length);
        return this;
    }

    Msg ascii(String s) {
        return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** An uncompressed name: length-prefixed labels and the root byte. */
    Msg name(String dotted) {
        if (!dotted.isEmpty()) {
            for (String label : dotted.split("\\.")) {
                u8(label.length()).ascii(label);
            }
        }
        return u8(0);
    }

    /** A compression pointer to {@code offset}. */
    Msg pointer(int offset) {
        return u16(0xc000 | offset);
    }

    Msg question(String name, int qtype, int qclass) {
        return name(name).u16(qtype).u16(qclass);
    }

    /** An RR owner header (name, type, class IN, ttl) followed by {@code rdata} with its length. */
    Msg rr(String owner, int type, long ttl, byte[] rdata) {
        return name(owner).u16(type).u16(1).u32(ttl).u16(rdata.length).raw(rdata);
    }

    /** An RR whose owner is a compression pointer. */
    Msg rrAt(int ownerOffset, int type, long ttl, byte[] rdata) {
        return pointer(ownerOffset).u16(type).u16(1).u32(ttl).u16(rdata.length).raw(rdata);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    MemorySegment segment() {
        return MemorySegment.ofArray(bytes());
    }

    /** A TCP stream chunk: 2-byte length then the message. */
    byte[] framed() {
        byte[] b = bytes();
        byte[] f = new byte[b.length + 2];
        f[0] = (byte) (b.length >>> 8);
        f[1] = (byte) b.length;
        System.arraycopy(b, 0, f, 2, b.length);
        return f;
    }

    static byte[] rdata(Msg m) {
        return m.bytes();
    }

    static Msg data() {
        return new Msg();
    }
}
