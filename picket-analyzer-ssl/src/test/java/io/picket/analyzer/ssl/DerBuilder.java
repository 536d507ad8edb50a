package io.picket.analyzer.ssl;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds DER for tests: TLVs, names and certificates (signatures are dummies). */
final class DerBuilder {
    private DerBuilder() {
    }

    static byte[] tlv(int tag, byte[]... content) {
        byte[] body = Tls.cat(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = body.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] seq(byte[]... c) {
        return tlv(0x30, c);
    }

    static byte[] set(byte[]... c) {
        return tlv(0x31, c);
    }

    static byte[] integer(long v) {
        return tlv(0x02, BigInteger.valueOf(v).toByteArray());
    }

    static byte[] oid(String dotted) {
        String[] p = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
        for (int i = 2; i < p.length; i++) {
            long v = Long.parseLong(p[i]);
            List<Integer> bytes = new ArrayList<>();
            bytes.add((int) (v & 0x7f));
            v >>= 7;
            while (v > 0) {
                bytes.add((int) (0x80 | (v & 0x7f)));
                v >>= 7;
            }
            for (int j = bytes.size() - 1; j >= 0; j--) {
                out.write(bytes.get(j));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    static byte[] utf8(String s) {
        return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] printable(String s) {
        return tlv(0x13, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] ia5(String s) {
        return tlv(0x16, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] bmp(String s) {
        return tlv(0x1e, s.getBytes(StandardCharsets.UTF_16BE));
    }

    static byte[] utc(String s) {
        return tlv(0x17, s.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] generalized(String s) {
        return tlv(0x18, s.getBytes(StandardCharsets.US_ASCII));
    }

    /** One AttributeTypeAndValue. */
    static byte[] atv(String oid, byte[] value) {
        return seq(oid(oid), value);
    }

    /** A Name from RDNs (each RDN a SET of AttributeTypeAndValue). */
    static byte[] name(byte[]... rdns) {
        return seq(rdns);
    }

    static byte[] rdn(byte[]... atvs) {
        return set(atvs);
    }

    static byte[] cn(String v) {
        return rdn(atv("2.5.4.3", utf8(v)));
    }

    static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? seq(oid(oid), tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, value))
                : seq(oid(oid), tlv(0x04, value));
    }

    /** A certificate; version -1 leaves the version field out (v1 default). */
    static byte[] certificate(int version, byte[] serialContent, byte[] issuer, byte[] notBefore, byte[] notAfter,
            byte[] subject, byte[] spki, byte[]... extensions) {
        byte[] sigAlg = seq(oid("1.2.840.113549.1.1.11"), tlv(0x05));
        List<byte[]> tbs = new ArrayList<>();
        if (version >= 0) {
            tbs.add(tlv(0xa0, integer(version)));
        }
        tbs.add(tlv(0x02, serialContent));
        tbs.add(sigAlg);
        tbs.add(issuer);
        tbs.add(seq(notBefore, notAfter));
        tbs.add(subject);
        tbs.add(spki);
        if (extensions.length > 0) {
            tbs.add(tlv(0xa3, seq(extensions)));
        }
        return seq(seq(tbs.toArray(new byte[0][])), sigAlg, tlv(0x03, new byte[] {0, 1, 2, 3}));
    }

    /** A simple v3 certificate with the given subject, key and extensions. */
    static byte[] certificate(byte[] subject, byte[] spki, byte[]... extensions) {
        return certificate(2, new byte[] {0x01}, name(cn("Test CA")), utc("240101000000Z"), utc("250101000000Z"),
                subject, spki, extensions);
    }
}
