package io.picket.analyzer.ssl;

import io.picket.log.LogRecord;
import io.picket.log.format.ZeekAddresses;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One certificate as Zeek's x509 file analyzer describes it ({@code X509::Certificate},
 * {@code X509::SubjectAlternativeName}, {@code X509::BasicConstraints} and the SHA-256
 * fingerprint), parsed from DER with OpenSSL's acceptance rules and print formats. Immutable
 * once parsed; built on the shard thread, read by any.
 */
public final class X509Certificate {
    /** Hex SHA-256 of the certificate DER ({@code X509::hash_function}). */
    public final String fingerprint;
    public final long version;
    public final String serial;
    public final String subject;
    public final String issuer;
    public final double notValidBefore;
    public final double notValidAfter;
    public final String keyAlg;
    public final String sigAlg;
    /** {@code rsa}, {@code dsa}, {@code ecdsa} or null. */
    public final String keyType;
    /** Key size in bits, or null. */
    public final Long keyLength;
    public final String exponent;
    public final String curve;
    /** True when a subjectAltName extension was decoded (san.* columns are then logged). */
    public final boolean sanPresent;
    public final List<byte[]> sanDns;
    public final List<byte[]> sanUri;
    public final List<byte[]> sanEmail;
    public final List<String> sanIp;
    /** True when a basicConstraints extension was decoded. */
    public final boolean basicConstraintsPresent;
    public final boolean ca;
    public final Long pathLen;
    /** File weirds Zeek's x509 analyzer would raise for this certificate. */
    public final List<String> weirds;

    /** Names used by {@code x509_check_cert_hostname}. */
    final boolean hasSanExtension;
    final List<byte[]> firstSanDns;
    final String lastCn;

    private X509Certificate(Builder b) {
        fingerprint = b.fingerprint;
        version = b.version;
        serial = b.serial;
        subject = b.subject;
        issuer = b.issuer;
        notValidBefore = b.notBefore;
        notValidAfter = b.notAfter;
        keyAlg = b.keyAlg;
        sigAlg = b.sigAlg;
        keyType = b.keyType;
        keyLength = b.keyLength;
        exponent = b.exponent;
        curve = b.curve;
        sanPresent = b.sanPresent;
        sanDns = b.sanDns;
        sanUri = b.sanUri;
        sanEmail = b.sanEmail;
        sanIp = b.sanIp;
        basicConstraintsPresent = b.bcPresent;
        ca = b.ca;
        pathLen = b.pathLen;
        weirds = List.copyOf(b.weirds);
        hasSanExtension = b.hasSanExtension;
        firstSanDns = b.firstSanDns;
        lastCn = b.lastCn;
    }

    private static final class Builder {
        String fingerprint;
        long version;
        String serial;
        String subject;
        String issuer;
        double notBefore;
        double notAfter;
        String keyAlg;
        String sigAlg;
        String keyType;
        Long keyLength;
        String exponent;
        String curve;
        boolean sanPresent;
        List<byte[]> sanDns;
        List<byte[]> sanUri;
        List<byte[]> sanEmail;
        List<String> sanIp;
        boolean bcPresent;
        boolean ca;
        Long pathLen;
        final List<String> weirds = new ArrayList<>(0);
        boolean hasSanExtension;
        List<byte[]> firstSanDns;
        String lastCn;
    }

    /**
     * Parses the certificate at the start of {@code der[off, off+len)} (trailing bytes are
     * ignored, as {@code d2i_X509} does). Returns null where OpenSSL's {@code d2i_X509} fails
     * (Zeek then raises {@code x509_cert_parse_error} and logs nothing for it). Bytes seen lately
     * give the certificate parsed then (the same immutable object).
     */
    public static X509Certificate parse(byte[] der, int off, int len) {
        if (off < 0 || len < 0 || off > der.length - len) {
            return null;
        }
        // looked up over the caller's bytes; copied only when kept
        Parsed known = RECENT.get(new Parsed(der, off, len));
        if (known != null) {
            return known.cert;
        }
        byte[] bytes = java.util.Arrays.copyOfRange(der, off, off + len);
        Parsed key = new Parsed(bytes, 0, len);
        try {
            key.cert = parseUnchecked(bytes, 0, len);
        } catch (RuntimeException e) {
            key.cert = null;
        }
        if (RECENT.size() >= RECENT_MAX) {
            RECENT.clear(); // bounded: a flood of distinct certificates only costs their parsing
        }
        RECENT.put(key, key);
        return key.cert;
    }

    /**
     * Certificates parsed lately, by their DER bytes (also those that did not parse): the same
     * chains come back connection after connection, and a parse (DER walk, names, digest) costs
     * microseconds. Shared by all shards; a parsed certificate is never modified.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Parsed, Parsed> RECENT =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int RECENT_MAX = 1024;

    /**
     * DER bytes {@code der[off, off+len)} (equality and hash over the content) and what they parse
     * to; a lookup key points into the caller's buffer, a kept one owns a copy.
     */
    private static final class Parsed {
        final byte[] der;
        final int off;
        final int len;
        final int hash;
        X509Certificate cert;

        Parsed(byte[] der, int off, int len) {
            this.der = der;
            this.off = off;
            this.len = len;
            int h = 1;
            for (int i = off; i < off + len; i++) {
                h = 31 * h + der[i]; // Arrays.hashCode of the range
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Parsed p && p.hash == hash
                    && java.util.Arrays.equals(p.der, p.off, p.off + p.len, der, off, off + len);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** {@link #parse} without the safety net (tests use it to find bugs). */
    static X509Certificate parseUnchecked(byte[] der, int off, int len) {
        Der outer = new Der(der, off, off + len);
        if (!outer.next(Der.SEQUENCE)) {
            return null;
        }
        int certStart = outer.start;
        int certEnd = outer.pos;
        Der cert = outer.inner();
        if (!cert.next(Der.SEQUENCE)) {
            return null;
        }
        Der tbs = cert.inner();
        if (!cert.next(Der.SEQUENCE)) {
            return null;
        }
        String sigOid = algorithmOid(cert);
        if (sigOid == null || !cert.next(Der.BIT_STRING) || cert.valueLength < 1 || cert.hasMore()) {
            return null;
        }
        Builder b = new Builder();
        // version [0] EXPLICIT INTEGER DEFAULT v1
        if (!tbs.next()) {
            return null;
        }
        long version = 0;
        if (tbs.tag == 0xa0) {
            Der v = tbs.inner();
            if (!v.next(Der.INTEGER) || v.hasMore()) {
                return null;
            }
            byte[] mag = integer(der, v.valueOffset, v.valueLength);
            if (mag == null || v.valueLength > 8 || (der[v.valueOffset] & 0x80) != 0) {
                return null;
            }
            version = new BigInteger(1, mag).longValue();
            if (!tbs.next()) {
                return null;
            }
        }
        if (version < 0 || version > 2) {
            return null;
        }
        b.version = version + 1;
        // serialNumber
        if (tbs.tag != Der.INTEGER) {
            return null;
        }
        b.serial = serial(der, tbs.valueOffset, tbs.valueLength);
        if (b.serial == null) {
            return null;
        }
        // signature AlgorithmIdentifier
        if (!tbs.next(Der.SEQUENCE) || algorithmOid(tbs) == null) {
            return null;
        }
        // issuer
        if (!tbs.next(Der.SEQUENCE)) {
            return null;
        }
        DistinguishedName.Entry[] issuer = DistinguishedName.parse(der, tbs.valueOffset, tbs.valueLength);
        if (issuer == null) {
            return null;
        }
        // validity
        if (!tbs.next(Der.SEQUENCE)) {
            return null;
        }
        Der validity = tbs.inner();
        if (!validity.next() || !isTime(validity.tag)) {
            return null;
        }
        b.notBefore = time(b, validity.tag, der, validity.valueOffset, validity.valueLength);
        if (!validity.next() || !isTime(validity.tag) || validity.hasMore()) {
            return null;
        }
        b.notAfter = time(b, validity.tag, der, validity.valueOffset, validity.valueLength);
        // subject
        if (!tbs.next(Der.SEQUENCE)) {
            return null;
        }
        DistinguishedName.Entry[] subject = DistinguishedName.parse(der, tbs.valueOffset, tbs.valueLength);
        if (subject == null) {
            return null;
        }
        // subjectPublicKeyInfo
        if (!tbs.next(Der.SEQUENCE)) {
            return null;
        }
        Der spki = tbs.inner();
        if (!spki.next(Der.SEQUENCE)) {
            return null;
        }
        Der keyAlgId = spki.inner();
        if (!keyAlgId.next(Der.OID)) {
            return null;
        }
        String keyOid = Der.oid(der, keyAlgId.valueOffset, keyAlgId.valueLength);
        if (keyOid == null) {
            return null;
        }
        boolean hasParams = keyAlgId.next();
        int pTag = hasParams ? keyAlgId.tag : -1;
        int pOff = keyAlgId.valueOffset;
        int pLen = keyAlgId.valueLength;
        if (keyAlgId.hasMore() || !spki.next(Der.BIT_STRING) || spki.valueLength < 1 || spki.hasMore()) {
            return null;
        }
        int keyOff = spki.valueOffset + 1;
        int keyLen = spki.valueLength - 1;
        // optional issuerUniqueID [1], subjectUniqueID [2], extensions [3]
        boolean uids = false;
        boolean extensionsSeen = false;
        int extOff = -1;
        int extLen = 0;
        int last = 0;
        while (tbs.hasMore()) {
            if (!tbs.next()) {
                return null;
            }
            int n = tbs.tag & 0x1f;
            if ((tbs.tag & 0xc0) != 0x80 || n <= last || n > 3) {
                return null;
            }
            last = n;
            if (n == 3) {
                Der wrap = tbs.inner();
                if (!wrap.next(Der.SEQUENCE) || wrap.hasMore()) {
                    return null;
                }
                extOff = wrap.valueOffset;
                extLen = wrap.valueLength;
                extensionsSeen = true;
            } else {
                uids = true;
            }
        }
        if (version == 0 && (uids || extensionsSeen)) {
            return null;
        }
        if (version == 1 && extensionsSeen && extLen > 0) {
            return null;
        }

        b.subject = DistinguishedName.format(der, subject);
        b.issuer = DistinguishedName.format(der, issuer);
        b.lastCn = DistinguishedName.lastCommonName(der, subject);
        b.keyAlg = Oids.algorithm(keyOid);
        b.sigAlg = Oids.knownAlgorithm(sigOid) ? Oids.algorithm(sigOid) : "";
        key(b, keyOid, pTag, der, pOff, pLen, keyOff, keyLen);

        if (extOff >= 0) {
            Der exts = new Der(der, extOff, extOff + extLen);
            List<int[]> list = new ArrayList<>();
            while (exts.hasMore()) {
                if (!exts.next(Der.SEQUENCE)) {
                    return null;
                }
                Der ext = exts.inner();
                if (!ext.next(Der.OID)) {
                    return null;
                }
                String oid = Der.oid(der, ext.valueOffset, ext.valueLength);
                if (oid == null || !ext.next()) {
                    return null;
                }
                if (ext.tag == Der.BOOLEAN) {
                    if (ext.valueLength != 1 || !ext.next()) {
                        return null;
                    }
                }
                if (ext.tag != Der.OCTET_STRING || ext.hasMore()) {
                    return null;
                }
                int kind = Oids.BASIC_CONSTRAINTS.equals(oid) ? 1 : Oids.SUBJECT_ALT_NAME.equals(oid) ? 2 : 0;
                list.add(new int[] {kind, ext.valueOffset, ext.valueLength});
            }
            for (int[] e : list) {
                if (e[0] == 1) {
                    basicConstraints(b, der, e[1], e[2]);
                } else if (e[0] == 2) {
                    san(b, der, e[1], e[2]);
                }
            }
        }
        b.fingerprint = sha256(der, certStart, certEnd - certStart);
        return new X509Certificate(b);
    }

    private static String algorithmOid(Der parent) {
        Der alg = parent.inner();
        if (!alg.next(Der.OID)) {
            return null;
        }
        String oid = Der.oid(alg.buf, alg.valueOffset, alg.valueLength);
        if (alg.hasMore()) {
            if (!alg.next() || alg.hasMore()) {
                return null;
            }
        }
        return oid;
    }

    private static boolean isTime(int tag) {
        return tag == Der.UTC_TIME || tag == Der.GENERALIZED_TIME;
    }

    /** Magnitude of an INTEGER after OpenSSL's {@code c2i_ibuf} padding checks, or null. */
    private static byte[] integer(byte[] b, int off, int len) {
        if (len == 0) {
            return null;
        }
        if (len == 1) {
            return new byte[] {b[off]};
        }
        boolean neg = (b[off] & 0x80) != 0;
        int pad = 0;
        if (b[off] == 0) {
            pad = 1;
        } else if ((b[off] & 0xff) == 0xff) {
            for (int i = 1; i < len; i++) {
                if (b[off + i] != 0) {
                    pad = 1;
                    break;
                }
            }
        }
        if (pad == 1 && neg == ((b[off + 1] & 0x80) != 0)) {
            return null;
        }
        byte[] out = new byte[len - pad];
        System.arraycopy(b, off + pad, out, 0, out.length);
        return out;
    }

    /** {@code i2a_ASN1_INTEGER}: uppercase hex of the magnitude, "-" for negatives. */
    private static String serial(byte[] b, int off, int len) {
        byte[] content = integer(b, off, len);
        if (content == null) {
            return null;
        }
        boolean neg = (b[off] & 0x80) != 0;
        byte[] mag = content;
        if (neg) {
            mag = new BigInteger(content).negate().toByteArray();
            int z = 0;
            while (z < mag.length - 1 && mag[z] == 0) {
                z++;
            }
            if (z > 0) {
                mag = java.util.Arrays.copyOfRange(mag, z, mag.length);
            }
        }
        StringBuilder sb = new StringBuilder(mag.length * 2 + 1);
        if (neg) {
            sb.append('-');
        }
        HexFormat hex = HexFormat.of().withUpperCase();
        for (int i = 0; i < mag.length; i++) {
            if (i != 0 && i % 35 == 0) {
                sb.append("\\\n");
            }
            sb.append(hex.toHexDigits(mag[i]));
        }
        return sb.toString();
    }

    /** Zeek's {@code X509Common::GetTimeFromAsn1} (UTC), weird names on failure. */
    private static double time(Builder b, int tag, byte[] d, int off, int len) {
        char[] buf = new char[14];
        int p = off;
        int remaining = len;
        int w = 0;
        if (tag == Der.UTC_TIME) {
            if (remaining < 11 || remaining > 17) {
                b.weirds.add("x509_utc_length");
                return 0;
            }
            if (d[off + remaining - 1] != 'Z') {
                b.weirds.add("x509_utc_format");
                return 0;
            }
            if (d[p] < '5') {
                buf[w++] = '2';
                buf[w++] = '0';
            } else {
                buf[w++] = '1';
                buf[w++] = '9';
            }
            for (int i = 0; i < 10; i++) {
                buf[w++] = (char) d[p++];
            }
            remaining -= 10;
        } else {
            if (remaining < 12 || remaining > 23) {
                b.weirds.add("x509_gen_time_length");
                return 0;
            }
            for (int i = 0; i < 12; i++) {
                buf[w++] = (char) d[p++];
            }
            remaining -= 12;
        }
        if (remaining == 0 || d[p] == 'Z' || d[p] == '-' || d[p] == '+') {
            buf[w++] = '0';
            buf[w++] = '0';
        } else if (remaining >= 2) {
            buf[w++] = (char) d[p++];
            buf[w++] = (char) d[p++];
            remaining -= 2;
            if (remaining > 0 && d[p] == '.') {
                p++;
                remaining--;
                while (remaining > 0 && d[p] >= '0' && d[p] <= '9') {
                    p++;
                    remaining--;
                }
            }
        } else {
            b.weirds.add("x509_time_add_char");
            return 0;
        }
        long offset;
        if (remaining == 0 || d[p] == 'Z') {
            offset = 0;
        } else {
            if (remaining < 5) {
                b.weirds.add("x509_time_offset_underflow");
                return 0;
            }
            if (d[p] != '+' && d[p] != '-') {
                b.weirds.add("x509_time_offset_type");
                return 0;
            }
            offset = ((d[p + 1] - '0') * 10L + (d[p + 2] - '0')) * 60;
            offset += (d[p + 3] - '0') * 10L + (d[p + 4] - '0');
            if (d[p] == '-') {
                offset = -offset;
            }
        }
        int year = digit(buf[0]) * 1000 + digit(buf[1]) * 100 + digit(buf[2]) * 10 + digit(buf[3]);
        int mon = digit(buf[4]) * 10 + digit(buf[5]) - 1;
        int mday = digit(buf[6]) * 10 + digit(buf[7]);
        int hour = digit(buf[8]) * 10 + digit(buf[9]);
        int min = digit(buf[10]) * 10 + digit(buf[11]);
        int sec = digit(buf[12]) * 10 + digit(buf[13]);
        if (year <= 1900) {
            year += 1900;
        }
        // mktime() in UTC with normalisation of out-of-range fields
        long days = LocalDate.of(year, 1, 1).plusMonths(mon).toEpochDay() + (mday - 1);
        long t = days * 86400L + hour * 3600L + min * 60L + sec;
        if (t == 0) {
            return 0;
        }
        return t + offset;
    }

    private static int digit(char c) {
        return c - '0';
    }

    private static void key(Builder b, String keyOid, int pTag, byte[] d, int pOff, int pLen, int kOff, int kLen) {
        switch (keyOid) {
            case Oids.RSA, Oids.MD5_WITH_RSA -> {
                Der seq = new Der(d, kOff, kOff + kLen);
                if (!seq.next(Der.SEQUENCE)) {
                    return;
                }
                Der rsa = seq.inner();
                if (!rsa.next(Der.INTEGER)) {
                    return;
                }
                int nOff = rsa.valueOffset;
                int nLen = rsa.valueLength;
                if (!rsa.next(Der.INTEGER) || rsa.hasMore()) {
                    return;
                }
                byte[] e = java.util.Arrays.copyOfRange(d, rsa.valueOffset, rsa.valueEnd());
                b.keyType = "rsa";
                b.exponent = new BigInteger(1, e).toString();
                int bits = Der.bitLength(d, nOff, nLen);
                if (bits > 0) {
                    b.keyLength = (long) bits;
                }
            }
            case Oids.DSA -> {
                Der pub = new Der(d, kOff, kOff + kLen);
                if (!pub.next(Der.INTEGER) || pub.hasMore()) {
                    return;
                }
                b.keyType = "dsa";
                if (pTag == Der.SEQUENCE) {
                    Der params = new Der(d, pOff, pOff + pLen);
                    if (params.next(Der.INTEGER)) {
                        int bits = Der.bitLength(d, params.valueOffset, params.valueLength);
                        if (bits > 0) {
                            b.keyLength = (long) bits;
                        }
                    }
                }
            }
            case Oids.EC_PUBLIC_KEY -> {
                if (kLen < 1) {
                    return;
                }
                if (pTag == Der.OID) {
                    String curveOid = Der.oid(d, pOff, pLen);
                    String name = curveOid == null ? null : Oids.curveName(curveOid);
                    if (name == null) {
                        return;
                    }
                    b.keyType = "ecdsa";
                    b.curve = name;
                    b.keyLength = (long) Oids.curveOrderBits(curveOid);
                } else if (pTag == Der.SEQUENCE) {
                    // explicit parameters: version, fieldID, curve, base, order, cofactor?
                    Der ecp = new Der(d, pOff, pOff + pLen);
                    if (!ecp.next(Der.INTEGER) || !ecp.next(Der.SEQUENCE) || !ecp.next(Der.SEQUENCE)
                            || !ecp.next(Der.OCTET_STRING) || !ecp.next(Der.INTEGER)) {
                        return;
                    }
                    b.keyType = "ecdsa";
                    int bits = Der.bitLength(d, ecp.valueOffset, ecp.valueLength);
                    if (bits > 0) {
                        b.keyLength = (long) bits;
                    }
                }
            }
            default -> {
                // other key types: OpenSSL gives no key type Zeek logs
            }
        }
    }

    private static void basicConstraints(Builder b, byte[] d, int off, int len) {
        Der outer = new Der(d, off, off + len);
        if (!outer.next(Der.SEQUENCE) || outer.hasMore()) {
            b.weirds.add("x509_invalid_basic_constraint");
            return;
        }
        Der bc = outer.inner();
        boolean ca = false;
        Long pathLen = null;
        if (bc.hasMore()) {
            if (!bc.next()) {
                b.weirds.add("x509_invalid_basic_constraint");
                return;
            }
            if (bc.tag == Der.BOOLEAN) {
                if (bc.valueLength != 1) {
                    b.weirds.add("x509_invalid_basic_constraint");
                    return;
                }
                ca = d[bc.valueOffset] != 0;
                if (bc.hasMore() && !bc.next()) {
                    b.weirds.add("x509_invalid_basic_constraint");
                    return;
                }
            }
            if (bc.tag == Der.INTEGER) {
                byte[] mag = integer(d, bc.valueOffset, bc.valueLength);
                if (mag == null) {
                    b.weirds.add("x509_invalid_basic_constraint");
                    return;
                }
                // ASN1_INTEGER_get, cast to int32_t and stored in a count
                BigInteger v = new BigInteger(java.util.Arrays.copyOfRange(d, bc.valueOffset, bc.valueEnd()));
                long l = v.bitLength() < 64 ? v.longValue() : -1;
                pathLen = (long) (int) l;
            } else if (bc.tag != Der.BOOLEAN) {
                b.weirds.add("x509_invalid_basic_constraint");
                return;
            }
            if (bc.hasMore()) {
                b.weirds.add("x509_invalid_basic_constraint");
                return;
            }
        }
        b.bcPresent = true;
        b.ca = ca;
        b.pathLen = pathLen;
    }

    private static void san(Builder b, byte[] d, int off, int len) {
        boolean first = !b.hasSanExtension;
        b.hasSanExtension = true;
        Der outer = new Der(d, off, off + len);
        if (!outer.next(Der.SEQUENCE) || outer.hasMore()) {
            b.weirds.add("x509_san_parse_error");
            return;
        }
        List<byte[]> dns = null;
        List<byte[]> uri = null;
        List<byte[]> email = null;
        List<String> ip = null;
        List<byte[]> match = new ArrayList<>(4);
        Der names = outer.inner();
        // decode fully first: a malformed GeneralName fails the whole extension
        List<int[]> parsed = new ArrayList<>();
        while (names.hasMore()) {
            if (!names.next() || (names.tag & 0xc0) != 0x80) {
                b.weirds.add("x509_san_parse_error");
                return;
            }
            int n = names.tagNumber;
            boolean constructed = (names.tag & 0x20) != 0;
            boolean primitiveKind = n == 1 || n == 2 || n == 6 || n == 7 || n == 8;
            if (n > 8 || primitiveKind == constructed) {
                b.weirds.add("x509_san_parse_error");
                return;
            }
            parsed.add(new int[] {n, names.valueOffset, names.valueLength});
        }
        for (int[] g : parsed) {
            int n = g[0];
            byte[] v = java.util.Arrays.copyOfRange(d, g[1], g[1] + g[2]);
            switch (n) {
                case 2 -> {
                    if (dns == null) {
                        dns = new ArrayList<>();
                    }
                    dns.add(v);
                    match.add(v);
                }
                case 6 -> {
                    if (uri == null) {
                        uri = new ArrayList<>();
                    }
                    uri.add(v);
                }
                case 1 -> {
                    if (email == null) {
                        email = new ArrayList<>();
                    }
                    email.add(v);
                }
                case 7 -> {
                    if (v.length == 4 || v.length == 16) {
                        if (ip == null) {
                            ip = new ArrayList<>();
                        }
                        ip.add(ZeekAddresses.format(v));
                    } else {
                        b.weirds.add("x509_san_ip_length");
                    }
                }
                default -> {
                    // other names only set the "other fields" flag Zeek does not log
                }
            }
        }
        if (first) {
            b.firstSanDns = match;
        }
        b.sanPresent = true;
        b.sanDns = dns;
        b.sanUri = uri;
        b.sanEmail = email;
        b.sanIp = ip;
    }

    private static String sha256(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Zeek's {@code x509_check_cert_hostname(cert, hostname) != ""}: SAN DNS names when the
     * certificate has a SAN extension, else its last CN, compared with Zeek's wildcard rules.
     */
    public boolean matchesHostname(byte[] hostname) {
        String host = DistinguishedName.ascii(hostname);
        if (hasSanExtension) {
            if (firstSanDns == null) {
                return false;
            }
            for (byte[] name : firstSanDns) {
                if (checkHostname(host, DistinguishedName.ascii(name))) {
                    return true;
                }
            }
            return false;
        }
        return lastCn != null && checkHostname(host, lastCn);
    }

    /** Zeek's {@code check_hostname} (functions.bif). */
    static boolean checkHostname(String hostname, String certname) {
        if (hostname.equals(certname)) {
            return true;
        }
        int wildpos = certname.indexOf('*');
        if (wildpos < 0) {
            return false;
        }
        int firstpos = certname.indexOf('.');
        if (firstpos < 0 || certname.indexOf('.', firstpos + 1) < 0) {
            return false;
        }
        if (wildpos + 1 != firstpos) {
            return false;
        }
        int hostFirst = hostname.indexOf('.');
        if (hostFirst < 0) {
            return false;
        }
        if (!hostname.substring(hostFirst).equals(certname.substring(firstpos))) {
            return false;
        }
        if (wildpos > 0) {
            String hostPrefix = hostname.length() >= wildpos ? hostname.substring(0, wildpos) : hostname;
            return hostPrefix.equals(certname.substring(0, wildpos));
        }
        return true;
    }

    /**
     * This certificate's x509.log row (Zeek's {@code X509::Info}) at network time {@code ts}:
     * {@code host_cert}/{@code client_cert} as the caller's file framework sets them. The one
     * entry point other analyzers (Kerberos PKINIT) use to log certificates as TLS does; any
     * thread, allocates the record.
     */
    public LogRecord x509Record(double ts, boolean host, boolean client) {
        X509Certificate c = this;
        LogRecord r = new LogRecord(SslLogs.X509);
        r.set(0, ts);
        r.set(1, c.fingerprint);
        r.set(2, c.version);
        r.set(3, c.serial);
        r.set(4, c.subject);
        r.set(5, c.issuer);
        r.set(6, c.notValidBefore);
        r.set(7, c.notValidAfter);
        r.set(8, c.keyAlg);
        r.set(9, c.sigAlg);
        r.set(10, c.keyType);
        r.set(11, c.keyLength);
        r.set(12, c.exponent);
        r.set(13, c.curve);
        if (c.sanPresent) {
            r.set(14, c.sanDns);
            r.set(15, c.sanUri);
            r.set(16, c.sanEmail);
            r.set(17, c.sanIp);
        }
        if (c.basicConstraintsPresent) {
            r.set(18, c.ca);
            r.set(19, c.pathLen);
        }
        r.set(20, host);
        r.set(21, client);
        return r;
    }
}
