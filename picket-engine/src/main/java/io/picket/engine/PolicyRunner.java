package io.picket.engine;

import io.picket.analyzer.ConnectionPolicy;
import io.picket.analyzer.spi.HttpContentObserver;
import io.picket.decode.Addresses;
import io.picket.flow.Connection;
import io.picket.log.LogRecord;
import io.picket.policy.bundle.PolicyBundle;
import io.picket.policy.intel.IntelMatch;
import io.picket.policy.intel.IntelSeen;
import io.picket.policy.intel.IntelType;
import io.picket.policy.intel.IntelWhere;
import io.picket.policy.signature.ConnectionFacts;
import io.picket.policy.signature.ConnectionMatcher;
import io.picket.policy.signature.MatchListener;
import io.picket.policy.signature.SignatureLog;
import io.picket.policy.signature.SignatureNotice;
import io.picket.policy.signature.SignatureSet;
import io.picket.policy.steering.SteeringProfile;
import java.lang.foreign.MemorySegment;

/**
 * One connection under its tenant's policy: signatures over the payload (the matcher stops at
 * the bundle's payload depth), intel over what the analyzers saw. signatures.log and intel.log
 * records go to the tenant's sink. HTTP request URIs, headers and decoded bodies reach the matcher
 * through {@link #httpContent()} only when a signature of the tenant has an HTTP content
 * condition. Owned by the shard thread.
 */
final class PolicyRunner implements ConnectionPolicy, MatchListener, SignatureLog.Sink, HttpContentObserver {
    private final Shard shard;
    private final Connection conn;
    private final PolicyBundle bundle;
    private final ConnectionFacts facts;
    private final ConnectionMatcher matcher;
    private final SignatureLog signatureLog;
    private final int depth;
    private final boolean http;
    private long fed;
    /** The connection's steering profile, or null when the tenant has no steering. */
    private final SteeringProfile profile;

    PolicyRunner(Shard shard, Connection conn, PolicyBundle bundle, SignatureLog signatureLog) {
        this(shard, conn, bundle, signatureLog, null);
    }

    /** A runner whose signatures, payload depth and analyzers are those of {@code profile} (null = the bundle's). */
    PolicyRunner(Shard shard, Connection conn, PolicyBundle bundle, SignatureLog signatureLog,
            SteeringProfile profile) {
        this.shard = shard;
        this.conn = conn;
        this.bundle = bundle;
        this.signatureLog = signatureLog;
        this.profile = profile;
        this.facts = new ConnectionFacts(conn.ipProto(), conn.origHi(), conn.origLo(), conn.origPort(),
                conn.respHi(), conn.respLo(), conn.respPort());
        SignatureSet sigs = profile == null ? bundle.signatures() : profile.signatures();
        this.matcher = sigs.size() == 0 ? null : sigs.newConnectionMatcher(facts, this);
        if (matcher != null && conn.ipProto() == ConnectionFacts.TCP) {
            matcher.establishedBy(this::tcpEstablished);
        }
        this.depth = profile == null ? bundle.limits().payloadDepth() : profile.payloadDepth();
        this.http = matcher != null && sigs.usesHttp();
    }

    @Override
    public boolean allowsAnalyzer(String analyzer) {
        return profile == null || profile.allowsAnalyzer(analyzer);
    }

    @Override
    public boolean wantsPayload() {
        return matcher != null && (conn.transport() == Connection.TRANSPORT_UDP || fed < depth);
    }

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        fed += length;
        matcher.onStream(isOrig, data, offset, length);
    }

    @Override
    public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
        matcher.onDatagram(isOrig, data, offset, length);
    }

    @Override
    public void onIcmp(boolean isOrig, MemorySegment data, long offset, int length) {
        if (matcher != null) {
            matcher.onIcmp(isOrig, data, offset, length);
        }
    }

    @Override
    public HttpContentObserver httpContent() {
        return http ? this : null;
    }

    @Override
    public void request(byte[] unescapedUri, int offset, int length) {
        matcher.onHttpRequest(unescapedUri, offset, length);
    }

    @Override
    public void header(boolean isOrig, byte[] line, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        matcher.onHttpHeader(isOrig, line, nameFrom, nameTo, valueFrom, valueTo);
    }

    @Override
    public void body(boolean isOrig, byte[] data, int offset, int length, boolean first) {
        matcher.onHttpBody(isOrig, data, offset, length, first);
    }

    @Override
    public void bodyEnd(boolean isOrig) {
        matcher.onHttpBodyEnd(isOrig);
    }

    @Override
    public boolean wantsSeen() {
        return bundle.intel().entries() > 0;
    }

    @Override
    public void onFirstPacket(boolean isOrig, int ipProto, MemorySegment packet, long ipOffset, long transportOffset,
            long end) {
        if (matcher != null) {
            matcher.onFirstPacket(isOrig, ipProto, packet, ipOffset, transportOffset, end);
        }
    }

    /** Zeek's {@code is_established} for both endpoints: past the handshake (partial and closing count). */
    private boolean tcpEstablished() {
        io.picket.flow.tcp.TcpSession t = conn.tcp();
        return t != null && pastHandshake(t.orig().state()) && pastHandshake(t.resp().state());
    }

    private static boolean pastHandshake(int state) {
        return state != io.picket.flow.tcp.TcpEndpoint.INACTIVE && state != io.picket.flow.tcp.TcpEndpoint.SYN_SENT
                && state != io.picket.flow.tcp.TcpEndpoint.SYN_ACK_SENT;
    }

    @Override
    public void onSeen(String indicator, String indicatorType, String where) {
        IntelType type = IntelType.fromZeek(indicatorType);
        IntelWhere w = IntelWhere.fromZeek(where);
        if (type == null || w == null || bundle.intel().entries() == 0) {
            return;
        }
        if (type != IntelType.ADDR && !bundle.intel().contains(indicator, type)) {
            return; // the common case (e.g. every URL of a message body): no record built
        }
        String oh = Addresses.format(conn.origHi(), conn.origLo());
        String rh = Addresses.format(conn.respHi(), conn.respLo());
        IntelSeen seen;
        if (type == IntelType.ADDR) {
            long[] a;
            try {
                a = Addresses.parse(indicator);
            } catch (RuntimeException e) {
                return;
            }
            if (a == null) {
                return;
            }
            seen = IntelSeen.address(shard.networkTime(), a[0], a[1], w, conn.uid(), oh, conn.origPort(), rh,
                    conn.respPort());
        } else {
            seen = IntelSeen.indicator(shard.networkTime(), indicator, type, w, conn.uid(), oh, conn.origPort(), rh,
                    conn.respPort());
        }
        report(seen);
    }

    @Override
    public void onSeen(String indicator, String indicatorType, String where, String fuid, String fileMimeType,
            String fileDesc) {
        IntelType type = IntelType.fromZeek(indicatorType);
        IntelWhere w = IntelWhere.fromZeek(where);
        if (type == null || type == IntelType.ADDR || w == null || bundle.intel().entries() == 0) {
            onSeen(indicator, indicatorType, where);
            return;
        }
        report(new IntelSeen(shard.networkTime(), indicator, type, false, 0, 0, w, conn.uid(),
                Addresses.format(conn.origHi(), conn.origLo()), conn.origPort(),
                Addresses.format(conn.respHi(), conn.respLo()), conn.respPort(), fuid, fileMimeType, fileDesc, null));
    }

    /** Matches a sighting: its intel.log row to the tenant's sink, its notices to the hub. */
    private void report(IntelSeen seen) {
        IntelMatch m = bundle.intel().seen(seen);
        if (m != null && m.logRecord() != null) {
            shard.writeFor(conn, m.logRecord());
        }
        if (m != null && !m.notices().isEmpty()) {
            shard.notices().intel(conn, m.notices());
        }
    }

    @Override
    public void onRemove() {
        if (matcher != null) {
            matcher.finish();
        }
    }

    @Override
    public void onMatch(String signatureId, String eventMessage, boolean isOrig, byte[] data, int offset,
            int length) {
        synchronized (signatureLog) { // the tenant's, shared by its shards (NoticeHub#signatureLog)
            signatureLog.onSignatureMatch(shard.networkTime(), conn.uid(), facts, isOrig, signatureId, eventMessage,
                    data, offset, length, this);
        }
    }

    @Override
    public void log(LogRecord record) {
        shard.writeFor(conn, record);
    }

    @Override
    public void notice(SignatureNotice notice) {
        shard.notices().signature(conn, notice);
    }
}
