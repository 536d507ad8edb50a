package io.picket.analyzer.krb;

/**
 * DER decoding of one Kerberos PDU (RFC 4120 with the PKINIT pre-auth of RFC 4556) into a
 * {@link KrbMessage}, with the field semantics of Zeek's binpac grammar
 * ({@code src/analyzer/protocol/krb/krb-protocol.pac}, {@code krb-types.pac}, {@code krb-padata.pac},
 * {@code krb-asn1.pac}). Every read is bounded by its enclosing element; malformed input returns
 * null with a reason (binpac's exception, which Zeek turns into a protocol violation). Static,
 * stateless, any thread; allocates only the decoded message.
 */
final class KrbParser {
    static final int AS_REQ = 10;
    static final int AS_REP = 11;
    static final int TGS_REQ = 12;
    static final int TGS_REP = 13;
    static final int AP_REQ = 14;
    static final int AP_REP = 15;
    static final int KRB_SAFE = 20;
    static final int KRB_PRIV = 21;
    static final int KRB_CRED = 22;
    static final int KRB_ERROR = 30;

    private static final int PA_PW_AS_REQ = 16;
    private static final int PA_PW_AS_REP = 17;
    private static final int SEQUENCE = 0x30;

    /** binpac's out-of-bounds exception; stackless, shared. */
    private static final class Malformed extends RuntimeException {
        Malformed() {
            super("malformed Kerberos message", null, false, false);
        }
    }

    private static final Malformed MALFORMED = new Malformed();

    private KrbParser() {
    }

    /** One TLV header: tag, content start and end. */
    private static final class Tlv {
        int tag;
        int start;
        int end;

        int index() {
            return tag - 0xa0;
        }
    }

    /**
     * Decodes the PDU in {@code buf[off, off+len)}; returns null when Zeek's parser would throw
     * ({@code reason[0]} then holds the violation text).
     */
    static KrbMessage parse(byte[] buf, int off, int len, String[] reason) {
        try {
            return parseUnchecked(buf, off, len);
        } catch (Malformed e) {
            reason[0] = "Binpac exception: out of bound";
            return null;
        } catch (UnknownType e) {
            reason[0] = "Binpac exception: unknown case " + e.type;
            return null;
        }
    }

    private static final class UnknownType extends RuntimeException {
        final int type;

        UnknownType(int type) {
            super(null, null, false, false);
            this.type = type;
        }
    }

    static KrbMessage parseUnchecked(byte[] buf, int off, int len) {
        int limit = off + len;
        Tlv app = new Tlv();
        header(buf, off, limit, app);
        int type = app.tag - 0x60;
        KrbMessage m = new KrbMessage();
        m.type = type;
        int end = Math.min(app.end, limit);
        switch (type) {
            case AS_REQ, TGS_REQ -> kdcReq(buf, app.start, end, m);
            case AS_REP, TGS_REP -> kdcRep(buf, app.start, end, m);
            case KRB_ERROR -> error(buf, app.start, end, m);
            case AP_REQ, AP_REP, KRB_SAFE, KRB_PRIV, KRB_CRED -> {
                Tlv seq = new Tlv();
                header(buf, app.start, end, seq);
            }
            default -> throw new UnknownType(type);
        }
        return m;
    }

    // ------------------------------------------------------------------ DER primitives

    /** Reads the TLV header at {@code pos}; the content must lie before {@code limit}. */
    private static void header(byte[] b, int pos, int limit, Tlv out) {
        if (pos + 2 > limit) {
            throw MALFORMED;
        }
        out.tag = b[pos] & 0xff;
        int l = b[pos + 1] & 0xff;
        pos += 2;
        long length;
        if ((l & 0x80) != 0) {
            int n = l & 0x7f;
            if (n > 4 || pos + n > limit) {
                throw MALFORMED;
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[pos + i] & 0xff);
            }
            pos += n;
        } else {
            length = l;
        }
        if (length > limit - pos) {
            throw MALFORMED;
        }
        out.start = pos;
        out.end = pos + (int) length;
    }

    /** binpac's {@code binary_to_int64} of an INTEGER's content. */
    private static long integer(byte[] b, int start, int end) {
        long v = 0;
        for (int i = start; i < end; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /** The content of the single TLV inside {@code [start, end)}. */
    private static byte[] inner(byte[] b, int start, int end) {
        Tlv t = new Tlv();
        header(b, start, end, t);
        return java.util.Arrays.copyOfRange(b, t.start, t.end);
    }

    private static long innerInteger(byte[] b, int start, int end) {
        Tlv t = new Tlv();
        header(b, start, end, t);
        return integer(b, t.start, t.end);
    }

    /**
     * Zeek's {@code GetStringFromPrincipalName}: one name component as is, two or three joined with
     * {@code /} (each up to its first NUL, as C strings), otherwise {@code unknown}.
     */
    static byte[] principal(byte[] b, int start, int end) {
        Tlv seq = new Tlv();
        header(b, start, end, seq);
        Tlv t = new Tlv();
        int pos = seq.start;
        int nameStart = -1;
        int nameEnd = -1;
        while (pos < seq.end) {
            header(b, pos, seq.end, t);
            if (t.index() == 1) {
                Tlv names = new Tlv();
                header(b, t.start, t.end, names);
                nameStart = names.start;
                nameEnd = names.end;
            }
            pos = t.end;
        }
        int[] starts = new int[3];
        int[] ends = new int[3];
        int n = 0;
        pos = nameStart;
        while (nameStart >= 0 && pos < nameEnd) {
            header(b, pos, nameEnd, t);
            if (n < 3) {
                starts[n] = t.start;
                ends[n] = t.end;
            }
            n++;
            pos = t.end;
        }
        if (n == 1) {
            return java.util.Arrays.copyOfRange(b, starts[0], ends[0]);
        }
        if (n == 2 || n == 3) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(ends[n - 1] - starts[0] + 2);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.write('/');
                }
                int e = starts[i];
                while (e < ends[i] && b[e] != 0) {
                    e++;
                }
                out.write(b, starts[i], e - starts[i]);
            }
            return out.toByteArray();
        }
        return "unknown".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Zeek's {@code GetTimeFromAsn1}: a 15- or 17-character GeneralizedTime (the latter skipping
     * two leading characters) read digit by digit and normalised as {@code timegm} does; null
     * (unset) for any other length.
     */
    static Double time(byte[] b, int start, int end) {
        int len = end - start;
        if (len != 15 && len != 17) {
            return null;
        }
        int p = len == 17 ? start + 2 : start;
        long sec = d(b, p + 12) * 10 + d(b, p + 13);
        long min = d(b, p + 10) * 10 + d(b, p + 11);
        long hour = d(b, p + 8) * 10 + d(b, p + 9);
        long mday = d(b, p + 6) * 10 + d(b, p + 7);
        long mon = d(b, p + 4) * 10 + d(b, p + 5) - 1;
        long year = d(b, p) * 1000 + d(b, p + 1) * 100 + d(b, p + 2) * 10 + d(b, p + 3);
        year += Math.floorDiv(mon, 12);
        mon = Math.floorMod(mon, 12);
        long days = daysFromCivil(year, mon + 1) + mday - 1;
        return (double) (days * 86400 + hour * 3600 + min * 60 + sec);
    }

    private static long d(byte[] b, int i) {
        return (b[i] & 0xff) - '0';
    }

    /** Days from 1970-01-01 to the first of the month (proleptic Gregorian). */
    private static long daysFromCivil(long y, long m) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    // ------------------------------------------------------------------ messages

    /** KDC-REQ ::= SEQUENCE { pvno[1], msg-type[2], padata[3] OPTIONAL, req-body[4] }. */
    private static void kdcReq(byte[] b, int start, int end, KrbMessage m) {
        Tlv seq = new Tlv();
        header(b, start, end, seq);
        Tlv t = new Tlv();
        int pos = seq.start;
        boolean body = false;
        while (pos < seq.end) {
            header(b, pos, seq.end, t);
            switch (t.index()) {
                case 3 -> padata(b, t.start, t.end, m);
                case 4 -> {
                    reqBody(b, t.start, t.end, m);
                    body = true;
                }
                default -> {
                }
            }
            pos = t.end;
        }
        if (!body) {
            throw MALFORMED;
        }
    }

    private static void reqBody(byte[] b, int start, int end, KrbMessage m) {
        Tlv seq = new Tlv();
        header(b, start, end, seq);
        Tlv t = new Tlv();
        Tlv v = new Tlv();
        int pos = seq.start;
        while (pos < seq.end) {
            header(b, pos, seq.end, t);
            switch (t.index()) {
                case 0 -> {
                    // KRB_KDC_Options: BIT STRING header, unused-bits byte, 32 flag bits
                    header(b, t.start, t.end, v);
                    int f = v.start + 1;
                    if (f + 4 > t.end) {
                        throw MALFORMED;
                    }
                    m.hasOptions = true;
                    m.forwardable = (b[f] & 0x40) != 0;
                    m.renewable = (b[f + 1] & 0x80) != 0;
                }
                case 1 -> m.clientName = principal(b, t.start, t.end);
                case 2 -> m.realm = inner(b, t.start, t.end);
                case 3 -> m.serviceName = principal(b, t.start, t.end);
                case 4, 5 -> {
                    header(b, t.start, t.end, v);
                    Double time = time(b, v.start, t.end);
                    if (t.index() == 4) {
                        m.from = time;
                    } else {
                        m.till = time;
                    }
                }
                default -> {
                }
            }
            pos = t.end;
        }
    }

    /**
     * KDC-REP ::= SEQUENCE { pvno[0], msg-type[1], padata[2] OPTIONAL, crealm[3], cname[4],
     * ticket[5], enc-part[6] }.
     */
    private static void kdcRep(byte[] b, int start, int end, KrbMessage m) {
        Tlv seq = new Tlv();
        header(b, start, end, seq);
        Tlv t = new Tlv();
        int pos = seq.start;
        boolean crealm = false;
        boolean cname = false;
        while (pos < seq.end) {
            header(b, pos, seq.end, t);
            switch (t.index()) {
                case 2 -> padata(b, t.start, t.end, m);
                case 3 -> {
                    m.clientRealm = inner(b, t.start, t.end);
                    crealm = true;
                }
                case 4 -> {
                    m.clientName = principal(b, t.start, t.end);
                    cname = true;
                }
                case 5 -> ticket(b, t.start, t.end, m);
                default -> {
                }
            }
            pos = t.end;
        }
        if (!crealm || !cname || !m.hasTicket) {
            throw MALFORMED;
        }
    }

    /** Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno[0], realm[1], sname[2], enc-part[3] }. */
    private static void ticket(byte[] b, int start, int end, KrbMessage m) {
        Tlv app = new Tlv();
        header(b, start, end, app);
        Tlv seq = new Tlv();
        header(b, app.start, app.end, seq);
        Tlv t = new Tlv();
        int pos = seq.start;
        boolean sname = false;
        boolean etype = false;
        while (pos < seq.end) {
            header(b, pos, seq.end, t);
            switch (t.index()) {
                case 2 -> {
                    m.ticketServiceName = principal(b, t.start, t.end);
                    sname = true;
                }
                case 3 -> {
                    // EncryptedData ::= SEQUENCE { etype[0], kvno[1] OPTIONAL, cipher[2] }
                    Tlv enc = new Tlv();
                    header(b, t.start, t.end, enc);
                    Tlv e = new Tlv();
                    header(b, enc.start, enc.end, e);
                    m.ticketCipher = innerInteger(b, e.start, e.end);
                    etype = true;
                }
                default -> {
                }
            }
            pos = t.end;
        }
        if (!sname || !etype) {
            throw MALFORMED;
        }
        m.hasTicket = true;
    }

    /**
     * KRB-ERROR ::= [APPLICATION 30] SEQUENCE { pvno[0], msg-type[1], ctime[2], cusec[3], stime[4],
     * susec[5], error-code[6], crealm[7], cname[8], realm[9], sname[10], e-text[11], e-data[12] }.
     */
    private static void error(byte[] b, int start, int end, KrbMessage m) {
        Tlv seq = new Tlv();
        header(b, start, end, seq);
        Tlv t = new Tlv();
        int pos = seq.start;
        boolean code = false;
        while (pos < seq.end) {
            header(b, pos, seq.end, t);
            switch (t.index()) {
                case 6 -> {
                    m.errorCode = innerInteger(b, t.start, t.end);
                    code = true;
                }
                case 7 -> m.clientRealm = inner(b, t.start, t.end);
                case 8 -> m.clientName = principal(b, t.start, t.end);
                case 9 -> m.realm = inner(b, t.start, t.end);
                case 10 -> m.serviceName = principal(b, t.start, t.end);
                case 11 -> m.errorText = inner(b, t.start, t.end);
                default -> {
                }
            }
            pos = t.end;
        }
        if (!code) {
            throw MALFORMED;
        }
    }

    // ------------------------------------------------------------------ pre-authentication

    /** METHOD-DATA ::= SEQUENCE OF PA-DATA { padata-type[1] Int32, padata-value[2] OCTET STRING }. */
    private static void padata(byte[] b, int start, int end, KrbMessage m) {
        Tlv seq = new Tlv();
        header(b, start, end, seq);
        if (seq.tag != SEQUENCE) {
            return; // krb-padata.pac: anything but a sequence is kept as opaque bytes
        }
        Tlv pa = new Tlv();
        Tlv t = new Tlv();
        int pos = seq.start;
        while (pos < seq.end) {
            header(b, pos, seq.end, pa);
            long type = -1;
            int valueStart = -1;
            int valueEnd = -1;
            int p = pa.start;
            while (p < pa.end) {
                header(b, p, pa.end, t);
                if (t.index() == 1) {
                    type = innerInteger(b, t.start, t.end);
                } else if (t.index() == 2) {
                    valueStart = t.start;
                    valueEnd = t.end;
                }
                p = t.end;
            }
            if (valueStart >= 0 && (type == PA_PW_AS_REQ || type == PA_PW_AS_REP)) {
                pkCert(b, valueStart, valueEnd, type == PA_PW_AS_REQ, m);
            }
            pos = pa.end;
        }
    }

    /**
     * The certificate field of {@code KRB_PA_PK_AS_Req}/{@code KRB_PA_PK_AS_Rep}, walked as binpac
     * does: a fixed run of headers (descended into) and elements (skipped) down to the SignedData
     * {@code certificates [0]}, whose content goes to the file framework.
     */
    private static void pkCert(byte[] b, int start, int end, boolean request, KrbMessage m) {
        Tlv t = new Tlv();
        int pos = start;
        int headersBeforeOid = request ? 4 : 5;
        for (int i = 0; i < headersBeforeOid; i++) {
            header(b, pos, end, t);
            pos = t.start;
        }
        header(b, pos, end, t); // oid
        pos = t.end;
        for (int i = 0; i < 2; i++) { // [0] content, SignedData SEQUENCE
            header(b, pos, end, t);
            pos = t.start;
        }
        for (int i = 0; i < 3; i++) { // version, digestAlgorithms, encapContentInfo
            header(b, pos, end, t);
            pos = t.end;
        }
        header(b, pos, end, t); // certificates [0] IMPLICIT
        int certsStart = t.start;
        int certsEnd = t.end;
        int certOff = certsStart;
        int certLen = 0;
        if (certsEnd - certsStart >= 2) {
            try {
                Tlv c = new Tlv();
                header(b, certsStart, certsEnd, c);
                certLen = c.end - certsStart;
            } catch (Malformed e) {
                certLen = 0;
            }
        }
        m.certs.add(new KrbMessage.PkCert(request, certsStart, certsEnd - certsStart, certOff, certLen));
    }
}
