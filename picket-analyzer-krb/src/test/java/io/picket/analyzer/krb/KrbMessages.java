package io.picket.analyzer.krb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DER builders for Kerberos test messages (RFC 4120 structures, fields named by their tags). */
final class KrbMessages {

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
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
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Context tag [n], constructed. */
    static byte[] ctx(int n, byte[]... parts) {
        return tlv(0xa0 + n, parts);
    }

    static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    static byte[] integer(int v) {
        return v < 0x80 ? tlv(0x02, new byte[] {(byte) v}) : tlv(0x02, new byte[] {(byte) (v >> 8), (byte) v});
    }

    /** KerberosString (GeneralString). */
    static byte[] str(String s) {
        return tlv(0x1b, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** KerberosTime (GeneralizedTime). */
    static byte[] time(String s) {
        return tlv(0x18, s.getBytes(StandardCharsets.US_ASCII));
    }

    /** PrincipalName ::= SEQUENCE { name-type[0] Int32, name-string[1] SEQUENCE OF KerberosString }. */
    static byte[] principal(int type, String... names) {
        byte[][] parts = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            parts[i] = str(names[i]);
        }
        return seq(ctx(0, integer(type)), ctx(1, seq(parts)));
    }

    /** KDCOptions BIT STRING: unused-bits byte 0, then the 32 flag bits. */
    static byte[] options(int flags) {
        return tlv(0x03, new byte[] {0, (byte) (flags >>> 24), (byte) (flags >>> 16), (byte) (flags >>> 8), (byte) flags});
    }

    /** AS-REQ (app 10) or TGS-REQ (app 12) with a req-body of options, cname, realm, sname, till, nonce, etype. */
    static byte[] kdcReq(int app, byte[] cname, String realm, byte[] sname, String till, int flags) {
        byte[] body = seq(
                ctx(0, options(flags)),                       // kdc-options
                cname == null ? new byte[0] : ctx(1, cname),  // cname
                ctx(2, str(realm)),                           // realm
                ctx(3, sname),                                // sname
                ctx(5, time(till)),                           // till
                ctx(7, integer(12345)),                       // nonce
                ctx(8, seq(integer(18), integer(17))));       // etype
        return tlv(0x60 + app, seq(
                ctx(1, integer(5)),                           // pvno
                ctx(2, integer(app)),                         // msg-type
                ctx(4, body)));                               // req-body
    }

    /** AS-REP (app 11) / TGS-REP (app 13): crealm, cname, ticket (realm, sname, enc-part etype), enc-part. */
    static byte[] kdcRep(int app, String crealm, byte[] cname, byte[] sname, int etype) {
        byte[] encData = seq(ctx(0, integer(etype)), ctx(1, integer(1)), ctx(2, tlv(0x04, new byte[16])));
        byte[] ticket = tlv(0x61, seq(
                ctx(0, integer(5)),                           // tkt-vno
                ctx(1, str(crealm)),                          // realm
                ctx(2, sname),                                // sname
                ctx(3, encData)));                            // enc-part
        return tlv(0x60 + app, seq(
                ctx(0, integer(5)),                           // pvno
                ctx(1, integer(app)),                         // msg-type
                ctx(3, str(crealm)),                          // crealm
                ctx(4, cname),                                // cname
                ctx(5, ticket),                               // ticket
                ctx(6, encData)));                            // enc-part
    }

    /** KRB-ERROR (app 30) with error-code, optional crealm/cname, realm, sname and e-text. */
    static byte[] error(int code, String crealm, byte[] cname, byte[] sname, String eText) {
        return tlv(0x7e, seq(
                ctx(0, integer(5)),                           // pvno
                ctx(1, integer(30)),                          // msg-type
                ctx(4, time("20150120000000Z")),              // stime
                ctx(5, integer(0)),                           // susec
                ctx(6, integer(code)),                        // error-code
                crealm == null ? new byte[0] : ctx(7, str(crealm)),
                cname == null ? new byte[0] : ctx(8, cname),
                ctx(9, str("EX.COM")),                        // realm
                ctx(10, sname),                               // sname
                eText == null ? new byte[0] : ctx(11, str(eText))));
    }

    /** A TCP record: 4-byte big-endian length, then the PDU. */
    static byte[] record(byte[] pdu) {
        byte[] out = new byte[pdu.length + 4];
        out[0] = (byte) (pdu.length >>> 24);
        out[1] = (byte) (pdu.length >>> 16);
        out[2] = (byte) (pdu.length >>> 8);
        out[3] = (byte) pdu.length;
        System.arraycopy(pdu, 0, out, 4, pdu.length);
        return out;
    }

    private KrbMessages() {
    }
}
