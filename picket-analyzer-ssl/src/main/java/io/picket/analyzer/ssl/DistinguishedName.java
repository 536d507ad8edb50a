package io.picket.analyzer.ssl;

import java.nio.charset.StandardCharsets;

/**
 * Formats an X.509 Name exactly like OpenSSL's {@code X509_NAME_print_ex(bio, name, 0,
 * XN_FLAG_RFC2253)} followed by Zeek's {@code BIO_gets} into a 2048-byte buffer: RDNs in
 * reverse order separated by {@code ,} (multi-valued RDNs by {@code +}), short attribute names,
 * RFC 2253 escaping, UTF-8 conversion with bytes above 0x7f as {@code \XX}, and {@code #hex} DER
 * dumps for unknown attributes or string types. Stateless; any thread.
 */
final class DistinguishedName {
    private static final int ESC_2253 = 1;
    private static final int ESC_CTRL = 2;
    private static final int ESC_MSB = 4;
    private static final int FIRST_ESC_2253 = 0x20;
    private static final int LAST_ESC_2253 = 0x40;
    private static final int FLAGS = ESC_2253 | ESC_CTRL | ESC_MSB;
    private static final int BS_ESC = ESC_2253 | FIRST_ESC_2253 | LAST_ESC_2253;
    private static final int MAX = 2047;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** OpenSSL's {@code char_type} table (crypto/asn1/charmap.h) for 7-bit characters. */
    private static final short[] CHAR_TYPE = {
        1026, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        120, 0, 1, 40, 0, 0, 0, 16, 16, 16, 0, 25, 25, 16, 16, 16,
        16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 9, 9, 16, 9, 16,
        0, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
        16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 0, 1, 0, 0, 0,
        0, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
        16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 0, 0, 0, 0, 2,
    };

    private DistinguishedName() {
    }

    /** One attribute of a name: type OID and the value's TLV position. */
    record Entry(int rdn, String oid, int tag, int tlvStart, int valueOffset, int valueLength, int tlvEnd) {
    }

    /**
     * Parses a Name (SEQUENCE OF SET OF AttributeTypeAndValue) at the cursor's current element.
     * Returns null when malformed or when OpenSSL would reject a string value.
     */
    static Entry[] parse(byte[] b, int off, int len) {
        Der rdns = new Der(b, off, off + len);
        java.util.ArrayList<Entry> out = new java.util.ArrayList<>();
        int rdn = 0;
        while (rdns.hasMore()) {
            if (!rdns.next(Der.SET) || rdns.valueLength == 0) {
                return null;
            }
            Der set = rdns.inner();
            while (set.hasMore()) {
                if (!set.next(Der.SEQUENCE)) {
                    return null;
                }
                Der atv = set.inner();
                if (!atv.next(Der.OID)) {
                    return null;
                }
                String oid = Der.oid(b, atv.valueOffset, atv.valueLength);
                if (oid == null || !atv.next() || atv.hasMore()) {
                    return null;
                }
                if (!acceptable(b, atv.tag, atv.valueOffset, atv.valueLength)) {
                    return null;
                }
                out.add(new Entry(rdn, oid, atv.tag, atv.start, atv.valueOffset, atv.valueLength, atv.pos));
            }
            rdn++;
        }
        return out.toArray(new Entry[0]);
    }

    /** OpenSSL canonicalises name strings on decode; invalid UTF-8/BMP/Universal strings fail. */
    private static boolean acceptable(byte[] b, int tag, int off, int len) {
        return switch (tag) {
            case Der.UTF8_STRING -> validUtf8(b, off, len);
            case Der.BMP_STRING -> (len & 1) == 0;
            case Der.UNIVERSAL_STRING -> (len & 3) == 0;
            default -> true;
        };
    }

    static boolean validUtf8(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            int n;
            int cp;
            if (c < 0x80) {
                i++;
                continue;
            } else if (c >= 0xc2 && c <= 0xdf) {
                n = 2;
                cp = c & 0x1f;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 3;
                cp = c & 0x0f;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 4;
                cp = c & 0x07;
            } else {
                return false;
            }
            if (i + n > end) {
                return false;
            }
            for (int j = 1; j < n; j++) {
                int cj = b[i + j] & 0xff;
                if ((cj & 0xc0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cj & 0x3f);
            }
            if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
                    || (cp >= 0xd800 && cp <= 0xdfff)) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /** The one-line RFC 2253 form of a parsed name. */
    static String format(byte[] b, Entry[] entries) {
        StringBuilder out = new StringBuilder(64);
        int prev = -1;
        for (int i = entries.length - 1; i >= 0; i--) {
            Entry e = entries[i];
            if (prev != -1) {
                out.append(prev == e.rdn() ? '+' : ',');
            }
            prev = e.rdn();
            String sn = Oids.attribute(e.oid());
            if (sn == null) {
                out.append(e.oid()).append('=');
                dump(out, b, e.tlvStart(), e.tlvEnd());
            } else {
                out.append(sn).append('=');
                value(out, b, e);
            }
            if (out.length() > MAX) {
                break;
            }
        }
        if (out.length() > MAX) {
            out.setLength(MAX);
        }
        return out.toString();
    }

    private static void value(StringBuilder out, byte[] b, Entry e) {
        int width;
        boolean conv = true;
        switch (e.tag()) {
            case Der.UTF8_STRING -> {
                width = 1;
                conv = false;
            }
            case 0x12, Der.PRINTABLE_STRING, Der.T61_STRING, Der.IA5_STRING, Der.UTC_TIME,
                    Der.GENERALIZED_TIME, Der.VISIBLE_STRING -> width = 1;
            case Der.UNIVERSAL_STRING -> width = 4;
            case Der.BMP_STRING -> width = 2;
            default -> {
                dump(out, b, e.tlvStart(), e.tlvEnd());
                return;
            }
        }
        int p = e.valueOffset();
        int q = p + e.valueLength();
        byte[] utf = new byte[6];
        while (p < q) {
            int orflags = p == e.valueOffset() ? FIRST_ESC_2253 : 0;
            long c;
            if (width == 4) {
                c = ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
                p += 4;
            } else if (width == 2) {
                c = ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
                p += 2;
            } else {
                c = b[p++] & 0xff;
            }
            if (p == q) {
                orflags = LAST_ESC_2253;
            }
            if (conv) {
                int n = utf8(utf, c);
                if (n < 0) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    escape(out, utf[i] & 0xff, FLAGS | orflags);
                }
            } else {
                escape(out, (int) c, FLAGS | orflags);
            }
        }
    }

    private static void escape(StringBuilder out, int c, int flags) {
        int chflgs = c > 0x7f ? flags & ESC_MSB : CHAR_TYPE[c] & flags;
        if ((chflgs & BS_ESC) != 0) {
            out.append('\\').append((char) c);
        } else if ((chflgs & (ESC_CTRL | ESC_MSB)) != 0) {
            out.append('\\').append(HEX[c >> 4]).append(HEX[c & 0xf]);
        } else {
            out.append((char) c);
        }
    }

    /** OpenSSL's {@code UTF8_putc}. */
    private static int utf8(byte[] out, long c) {
        if (c < 0x80) {
            out[0] = (byte) c;
            return 1;
        }
        if (c < 0x800) {
            out[0] = (byte) (0xc0 | (c >> 6));
            out[1] = (byte) (0x80 | (c & 0x3f));
            return 2;
        }
        if (c < 0x10000) {
            out[0] = (byte) (0xe0 | (c >> 12));
            out[1] = (byte) (0x80 | ((c >> 6) & 0x3f));
            out[2] = (byte) (0x80 | (c & 0x3f));
            return 3;
        }
        if (c < 0x110000) {
            out[0] = (byte) (0xf0 | (c >> 18));
            out[1] = (byte) (0x80 | ((c >> 12) & 0x3f));
            out[2] = (byte) (0x80 | ((c >> 6) & 0x3f));
            out[3] = (byte) (0x80 | (c & 0x3f));
            return 4;
        }
        return -1;
    }

    private static void dump(StringBuilder out, byte[] b, int from, int to) {
        out.append('#');
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            out.append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
    }

    /**
     * The last common name as {@code ASN1_STRING_print} + {@code BIO_gets} give it (used for
     * hostname matching when a certificate has no SAN), or null when there is none.
     */
    static String lastCommonName(byte[] b, Entry[] entries) {
        for (int i = entries.length - 1; i >= 0; i--) {
            Entry e = entries[i];
            if (Oids.COMMON_NAME.equals(e.oid())) {
                StringBuilder sb = new StringBuilder(e.valueLength());
                for (int j = 0; j < e.valueLength() && sb.length() < MAX; j++) {
                    int c = b[e.valueOffset() + j] & 0xff;
                    if (c > '~' || (c < ' ' && c != '\n' && c != '\r')) {
                        c = '.';
                    }
                    sb.append((char) c);
                    if (c == '\n') {
                        break;
                    }
                }
                return sb.toString();
            }
        }
        return null;
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
