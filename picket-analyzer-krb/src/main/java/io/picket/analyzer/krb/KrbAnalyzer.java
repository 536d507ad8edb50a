package io.picket.analyzer.krb;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.ssl.X509Certificate;
import io.picket.analyzer.ssl.X509Dedup;
import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Zeek's KRB (UDP, one PDU per datagram) and KRB_TCP (a 4-byte big-endian record length before
 * each PDU) analyzers with the script layer of {@code base/protocols/krb} (main.zeek, files.zeek):
 * one kerberos.log row per connection session, and the PKINIT certificates of PA-PK-AS-REQ /
 * PA-PK-AS-REP as files whose x509.log rows follow the TLS rules ({@code host_cert} T as a user
 * certificate, {@code client_cert} for the request's, deduplicated). Malformed PDUs are a protocol
 * violation (binpac's exception); a TCP record over {@link #MAX_RECORD} is the weird
 * {@code krb_message_too_large} and a violation. Confined to the shard thread of its connection.
 */
public final class KrbAnalyzer implements Analyzer {
    /** Zeek's {@code X509::relog_known_certificates_after}. */
    static final double RELOG_KNOWN_CERTIFICATES_AFTER = 86400.0;
    /** Bound of the x509 deduplication set. */
    static final int KNOWN_CERTIFICATES_MAXIMUM = 1_000_000;
    /** Largest TCP record buffered (Picket limit). */
    static final int MAX_RECORD = 1 << 20;
    /** Weirds this analyzer raises. */
    static final List<String> WEIRDS = List.of(
            "krb_message_too_large");   // Picket limit: TCP record over MAX_RECORD

    /** {@code KRB::ignored_errors}. */
    private static final Set<String> IGNORED_ERRORS = Set.of("NEEDED_PREAUTH",
            "Need to use PA-ENC-TIMESTAMP/PA-PK-AS-REQ");
    private static final Object DEDUP_SCOPE = new Object();
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final AnalyzerContext ctx;
    private final boolean tcp;
    private final X509Dedup dedup;
    private boolean stopped;
    private boolean hadGap;
    private boolean confirmed;
    private final byte[][] pending = new byte[2][];
    private final int[] pendingLen = new int[2];
    private byte[] scratch;
    private final String[] reason = new String[1];

    /** {@code c$krb}; null when unset. */
    private Info info;

    private static final class Info {
        final double ts;
        String requestType;
        byte[] client;
        byte[] service;
        Boolean success;
        byte[] errorMsg;
        Double from;
        Double till;
        String cipher;
        Boolean forwardable;
        Boolean renewable;
        boolean clientCert;
        X509Certificate clientX509;
        String clientCertFuid;
        String clientCertSubject;
        boolean serverCert;
        X509Certificate serverX509;
        String serverCertFuid;
        String serverCertSubject;
        boolean logged;

        Info(double ts) {
            this.ts = ts;
        }
    }

    public KrbAnalyzer(AnalyzerContext ctx, boolean tcp, X509Dedup dedup) {
        this.ctx = ctx;
        this.tcp = tcp;
        this.dedup = dedup;
    }

    @Override
    public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
        if (stopped || tcp) {
            return;
        }
        if (scratch == null || scratch.length < length) {
            scratch = new byte[Math.max(length, 512)];
        }
        MemorySegment.copy(data, BYTE, offset, scratch, 0, length);
        pdu(scratch, 0, length);
    }

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (stopped || !tcp || hadGap || ctx.partial()) {
            return;
        }
        int d = isOrig ? 0 : 1;
        long pos = offset;
        long end = offset + length;
        while (pos < end && !stopped) {
            int have = pendingLen[d];
            int need = have < 4 ? 4 : 4 + recordSize(pending[d]);
            byte[] buf = ensure(d, need, have);
            int take = (int) Math.min(need - have, end - pos);
            MemorySegment.copy(data, BYTE, pos, buf, have, take);
            pos += take;
            have += take;
            pendingLen[d] = have;
            if (have < 4) {
                continue;
            }
            long size = ((buf[0] & 0xffL) << 24) | ((buf[1] & 0xff) << 16) | ((buf[2] & 0xff) << 8) | (buf[3] & 0xff);
            if (size > MAX_RECORD) {
                ctx.weird("krb_message_too_large", Long.toString(size));
                stop("KRB_TCP record too large");
                return;
            }
            if (have == 4 + size) {
                pendingLen[d] = 0;
                pdu(buf, 4, (int) size);
                if (size > 4096) {
                    pending[d] = null;
                }
            }
        }
    }

    /** The record length of a buffered 4-byte prefix (bounded by {@link #MAX_RECORD} before use). */
    private static int recordSize(byte[] buf) {
        return (int) Math.min(MAX_RECORD, ((buf[0] & 0xffL) << 24) | ((buf[1] & 0xff) << 16)
                | ((buf[2] & 0xff) << 8) | (buf[3] & 0xff));
    }

    private byte[] ensure(int d, int need, int have) {
        byte[] buf = pending[d];
        if (buf == null || buf.length < need) {
            byte[] grown = new byte[Math.max(need, 64)];
            if (buf != null) {
                System.arraycopy(buf, 0, grown, 0, have);
            }
            pending[d] = grown;
            return grown;
        }
        return buf;
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        hadGap = true;
    }

    @Override
    public void onConnectionDone() {
        fillInSubjects();
        doLog();
    }

    private void stop(String why) {
        stopped = true;
        pending[0] = null;
        pending[1] = null;
        ctx.violation(why);
    }

    // ------------------------------------------------------------------ analyzer (krb-analyzer.pac)

    private void pdu(byte[] buf, int off, int len) {
        KrbMessage m = KrbParser.parse(buf, off, len, reason);
        if (m == null) {
            stop(reason[0]);
            return;
        }
        if (!confirmed) {
            confirmed = true;
            ctx.confirm();
        }
        for (KrbMessage.PkCert c : m.certs) {
            certificate(buf, c);
        }
        switch (m.type) {
            case KrbParser.AS_REQ, KrbParser.TGS_REQ -> request(m);
            case KrbParser.AS_REP, KrbParser.TGS_REP -> response(m);
            case KrbParser.KRB_ERROR -> error(m);
            case KrbParser.AP_REQ -> setSession();
            default -> {
            }
        }
    }

    /**
     * A PKINIT certificate as a file: {@code file_over_new_connection} (files.zeek) records its fuid
     * on the session, the x509 file analyzer parses the first certificate, and its x509.log row is
     * written unless known ({@code X509::known_log_certs}).
     */
    private void certificate(byte[] buf, KrbMessage.PkCert c) {
        double now = ctx.networkTime();
        String fuid = ctx.newFileId();
        setSession();
        X509Certificate cert = c.certLen() > 0 ? X509Certificate.parse(buf, c.certOff(), c.certLen()) : null;
        if (c.isOrig()) {
            info.clientCert = true;
            info.clientX509 = cert;
            info.clientCertFuid = fuid;
        } else {
            info.serverCert = true;
            info.serverX509 = cert;
            info.serverCertFuid = fuid;
        }
        if (cert != null && dedup.shouldLog(DEDUP_SCOPE, cert.fingerprint, true, c.isOrig(), now)) {
            ctx.log(cert.x509Record(now, true, c.isOrig()));
        }
    }

    // ------------------------------------------------------------------ script layer (main.zeek)

    /** {@code set_session}: creates {@code c$krb} when unset; true when it was already logged. */
    private boolean setSession() {
        if (info == null) {
            info = new Info(ctx.networkTime());
        }
        return info.logged;
    }

    private void request(KrbMessage m) {
        if (setSession()) {
            return;
        }
        if (m.type == KrbParser.AS_REQ) {
            info.requestType = "AS";
            info.client = cat(m.clientName == null ? EMPTY : m.clientName, SLASH,
                    m.realm == null ? EMPTY : m.realm);
        } else {
            info.requestType = "TGS";
        }
        if (m.serviceName != null) {
            info.service = m.serviceName;
        }
        if (m.from != null) {
            info.from = m.from;
        }
        if (m.till != null) {
            info.till = m.till;
        }
        if (m.hasOptions) {
            info.forwardable = m.forwardable;
            info.renewable = m.renewable;
        }
    }

    private void response(KrbMessage m) {
        if (!setSession()) {
            if (info.client == null) {
                info.client = cat(m.clientName, SLASH, m.clientRealm);
            }
            info.service = m.ticketServiceName;
            info.cipher = cipherName(m.ticketCipher);
            info.success = Boolean.TRUE;
        }
        fillInSubjects();
        doLog();
    }

    private void error(KrbMessage m) {
        if (setSession()) {
            fillInSubjects();
            doLog();
            return;
        }
        if (m.errorText != null && IGNORED_ERRORS.contains(new String(m.errorText, StandardCharsets.ISO_8859_1))) {
            info = null;
            return;
        }
        if (info.client == null && (m.clientName != null || m.clientRealm != null)) {
            info.client = cat(m.clientName == null ? EMPTY : cat(m.clientName, SLASH),
                    m.clientRealm == null ? EMPTY : m.clientRealm);
        }
        if (m.serviceName != null) {
            info.service = m.serviceName;
        }
        info.success = Boolean.FALSE;
        if (m.errorText != null) {
            info.errorMsg = m.errorText;
        } else {
            String msg = KrbConstants.errorMessage(m.errorCode);
            if (msg != null) {
                info.errorMsg = msg.getBytes(StandardCharsets.US_ASCII);
            }
        }
        fillInSubjects();
        doLog();
    }

    /** files.zeek {@code fill_in_subjects}. */
    private void fillInSubjects() {
        if (info == null) {
            return;
        }
        if (info.clientX509 != null) {
            info.clientCertSubject = info.clientX509.subject;
        }
        if (info.serverX509 != null) {
            info.serverCertSubject = info.serverX509.subject;
        }
    }

    /** main.zeek {@code do_log}. */
    private void doLog() {
        if (info == null || info.logged) {
            return;
        }
        info.logged = true;
        LogRecord r = new LogRecord(ctx.schema(KrbLog.SCHEMA));
        ctx.setConnectionId(r);
        r.set("ts", info.ts);
        r.set("request_type", info.requestType);
        r.set("client", info.client);
        r.set("service", info.service);
        r.set("success", info.success);
        r.set("error_msg", info.errorMsg);
        r.set("from", info.from);
        r.set("till", info.till);
        r.set("cipher", info.cipher);
        r.set("forwardable", info.forwardable);
        r.set("renewable", info.renewable);
        r.set("client_cert_subject", info.clientCertSubject);
        r.set("client_cert_fuid", info.clientCertFuid);
        r.set("server_cert_subject", info.serverCertSubject);
        r.set("server_cert_fuid", info.serverCertFuid);
        ctx.log(r);
    }

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] SLASH = {'/'};

    private static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p == null ? 0 : p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            if (p != null) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
        }
        return out;
    }

    private static String cipherName(long etype) {
        return KrbConstants.cipherName(etype);
    }
}
