package io.picket.flow;

import io.picket.log.Uid;

import io.picket.decode.Packet;
import io.picket.flow.tcp.TcpConfig;
import io.picket.flow.tcp.TcpSession;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The connection stage of one shard: finds or creates the connection of each decoded packet
 * (keyed by tenant and 5-tuple, optionally VLANs), runs Zeek's per-protocol connection
 * semantics and timers on network time, and hands every removed connection to a
 * {@link Listener}, which turns it into a conn.log record.
 *
 * <p>Single-threaded: owned by its shard thread. Nothing is allocated per packet on the
 * steady path (connections and timers are per flow).
 */
public final class ConnTracker implements TcpSession.TcpTimers {

    /** Receives connection-level events on the shard thread. */
    public interface Listener {
        /** The connection was removed (timeout, close delay, reuse or end of input). */
        void onConnectionRemoved(Connection c);

        /**
         * A connection was created inside {@code tunnel}, or an existing one was first seen inside
         * it (Zeek's {@code tunnel_changed}).
         */
        default void onTunnelConnection(Connection inner, Encapsulation tunnel) {
        }

        /** Zeek's {@code connection_established} for a TCP connection (see {@link TcpSession.TcpTimers#established}). */
        default void onConnectionEstablished(Connection c) {
        }

        /** A connection weird (Zeek's {@code conn_weird}). */
        default void onConnectionWeird(Connection c, String name, String addl, String source) {
        }
    }

    /** Source of connection uids (Zeek format, seedable). */
    @FunctionalInterface
    public interface UidSource {
        String next();

        /**
         * A source over a {@link Uid.Generator} whose connections keep only the generator state
         * and format their uid the first time it is asked for (the same ids, in the same order).
         */
        static UidSource of(Uid.Generator generator) {
            return new Lazy(generator);
        }
    }

    private record Lazy(Uid.Generator generator) implements UidSource {
        @Override
        public String next() {
            return generator.connection();
        }
    }

    /** Options of the connection stage. */
    public record Options(boolean vlanKey, IntPredicate likelyTcpServerPort, IntPredicate likelyUdpServerPort,
            double udpInactivityTimeout, double icmpInactivityTimeout, double unknownIpInactivityTimeout,
            double tcpInactivityTimeout, int initialCapacity, int maxConnections) {

        public static Options zeekDefaults(IntPredicate tcpPorts, IntPredicate udpPorts) {
            return new Options(false, tcpPorts, udpPorts, 60, 60, 60, TcpConfig.INACTIVITY_TIMEOUT, 1 << 14,
                    1 << 22);
        }

        public Options withVlanKey(boolean v) {
            return new Options(v, likelyTcpServerPort, likelyUdpServerPort, udpInactivityTimeout,
                    icmpInactivityTimeout, unknownIpInactivityTimeout, tcpInactivityTimeout, initialCapacity,
                    maxConnections);
        }
    }

    private static final int T_INACTIVITY = 0;
    private static final int T_TCP_EXPIRE = 1;
    private static final int T_TCP_ATTEMPT = 2;
    private static final int T_TCP_CONN_DELETE = 3;
    private static final int T_CALLBACK = 4;

    /** Runs {@code action} when network time reaches {@code time}, unless {@code c} is removed first. */
    public void schedule(Connection c, double time, Runnable action) {
        timers.add(time, c, T_CALLBACK, 0, action);
    }

    private final Options options;
    private final Listener listener;
    private final UidSource uids;
    private final ConnectionObserver.Factory observers;
    private UdpPayloadHook udpHook;
    /** The tunnel connection whose inner packet is being processed, or null. */
    private Encapsulation encapsulation;

    /** Sees every checksum-valid UDP datagram after the connection stage (tunnel decapsulation). */
    @FunctionalInterface
    public interface UdpPayloadHook {
        void onUdp(Connection c, boolean isOrig, Packet p);
    }

    public void setUdpPayloadHook(UdpPayloadHook hook) {
        this.udpHook = hook;
    }

    /** Processes a packet decapsulated from the tunnel connection {@code tunnel}. */
    public void onInnerPacket(int tenant, Packet inner, Encapsulation tunnel) {
        Encapsulation saved = encapsulation;
        encapsulation = tunnel;
        try {
            onPacket(tenant, inner);
        } finally {
            encapsulation = saved;
        }
    }

    private void encapsulated(Connection c, boolean created) {
        if (encapsulation != null) {
            String uid = encapsulation.uid();
            java.util.List<String> parents = c.tunnelParents();
            boolean changed = !created && (parents == null || !parents.contains(uid));
            c.addTunnelParent(uid);
            if (created || changed) {
                // new_connection, or Zeek's tunnel_changed: both register the tunnel chain
                listener.onTunnelConnection(c, encapsulation);
            }
        }
    }
    private final ConnTable table;
    private final TimerHeap timers = new TimerHeap();
    private final long[] keyScratch = new long[ConnTable.KEY_LONGS];
    private double networkTime;

    private long connectionsCreated;
    private long tableFullDrops;
    /** Per-tenant flow and reassembly quotas of this shard, or null (unlimited). */
    private ShardQuotas quotas;

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    public ConnTracker(Options options, Listener listener, UidSource uids) {
        this(options, listener, uids, ConnectionObserver.Factory.NONE);
    }

    public ConnTracker(Options options, Listener listener, UidSource uids, ConnectionObserver.Factory observers) {
        this.options = options;
        this.listener = listener;
        this.uids = uids;
        this.observers = observers;
        this.table = new ConnTable(options.initialCapacity(), options.maxConnections());
    }

    /**
     * Enforces {@code q} from now on: a new connection of a tenant at its flow quota is not
     * created (its packet is dropped and counted), and TCP data beyond its reassembly quota is
     * not buffered (a content gap). Set before the first packet.
     */
    public void setQuotas(ShardQuotas q) {
        this.quotas = q;
    }

    /** The quotas set by {@link #setQuotas}, or null. */
    public ShardQuotas quotas() {
        return quotas;
    }

    public long connectionsCreated() {
        return connectionsCreated;
    }

    public long tableFullDrops() {
        return tableFullDrops;
    }

    public int activeConnections() {
        return table.size();
    }

    /**
     * Bytes of the connection table's own arrays (keys and references, at {@code referenceBytes}
     * per reference: 4 with compressed oops), not of the connections they point to.
     */
    public long tableBytes(int referenceBytes) {
        return table.bytes(referenceBytes);
    }

    /** Processes one decoded IP packet of {@code tenant}. */
    public void onPacket(int tenant, Packet p) {
        advance(p.time);
        switch (p.ipProto) {
            case 6 -> tcp(tenant, p);
            case 17 -> udp(tenant, p);
            case 1 -> {
                if (p.ipVersion == 4) {
                    icmp(tenant, p);
                } else {
                    unknown(tenant, p);
                }
            }
            case 58 -> {
                if (p.ipVersion == 6) {
                    icmp(tenant, p);
                } else {
                    unknown(tenant, p);
                }
            }
            default -> unknown(tenant, p);
        }
    }

    /** Fires every timer due at or before {@code t} (network time). */
    public void advance(double t) {
        if (t > networkTime) {
            networkTime = t;
        }
        while (!timers.isEmpty() && timers.peekTime() <= t) {
            double due = timers.peekTime();
            Connection c = timers.peekConn();
            int kindGen = timers.peekKindGen();
            Runnable action = timers.peekAction();
            timers.poll();
            dispatch(c, kindGen & 0xF, kindGen >>> 4, action, due);
        }
    }

    /** End of input: every remaining connection is removed and logged. */
    public void flush() {
        List<Connection> rest = table.all();
        rest.sort(Comparator.comparingDouble(Connection::startTime).thenComparing(Connection::uid));
        for (Connection c : rest) {
            remove(c);
        }
        timers.clear();
    }

    // ------------------------------------------------------------------ keys

    private void buildKey(long[] k, int tenant, Packet p, int proto, long aHi, long aLo, int aPort, long bHi,
            long bLo, int bPort, boolean oneWay) {
        boolean swap = false;
        if (!oneWay) {
            int cmp = Long.compareUnsigned(aHi, bHi);
            if (cmp == 0) {
                cmp = Long.compareUnsigned(aLo, bLo);
            }
            if (cmp == 0) {
                cmp = Integer.compare(aPort, bPort);
            }
            swap = cmp > 0;
        }
        long ctx = 0;
        if (options.vlanKey()) {
            ctx = ((long) (p.vlan & 0xFFFF) << 16) | (p.innerVlan & 0xFFFF);
        }
        k[0] = ((long) (tenant & 0xFFFF) << 48) | ((long) proto << 40) | (oneWay ? 1L << 32 : 0) | ctx;
        if (swap) {
            k[1] = bHi;
            k[2] = bLo;
            k[3] = aHi;
            k[4] = aLo;
            k[5] = ((long) bPort << 16) | aPort;
        } else {
            k[1] = aHi;
            k[2] = aLo;
            k[3] = bHi;
            k[4] = bLo;
            k[5] = ((long) aPort << 16) | bPort;
        }
    }

    private Connection newConnection(int tenant, Packet p, int transport, int origPort, int respPort) {
        if (quotas != null && !quotas.admitFlow(tenant)) {
            return null;
        }
        Connection c = new Connection();
        c.tenant = tenant;
        c.setTransport(transport);
        c.ipProto = (byte) p.ipProto;
        c.origHi = p.srcHi;
        c.origLo = p.srcLo;
        c.respHi = p.dstHi;
        c.respLo = p.dstLo;
        c.origPort = (char) origPort;
        c.respPort = (char) respPort;
        c.vlan = (short) p.vlan;
        c.innerVlan = (short) p.innerVlan;
        if (options.vlanKey()) {
            c.setVlanKeyed();
        }
        c.startTime = p.time;
        c.lastTime = p.time;
        if (uids instanceof Lazy lazy) {
            c.uidState = lazy.generator.reserve();
        } else {
            c.uid = uids.next();
        }
        if (!table.put(keyScratch, c)) {
            tableFullDrops++;
            if (quotas != null) {
                quotas.releaseFlow(tenant);
            }
            return null;
        }
        connectionsCreated++;
        encapsulated(c, true);
        return c;
    }

    // ------------------------------------------------------------------ TCP

    private void tcp(int tenant, Packet p) {
        buildKey(keyScratch, tenant, p, 6, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, false);
        Connection c = table.get(keyScratch);
        int seq = (int) p.seq;
        if (c == null) {
            c = newTcp(tenant, p);
        } else if (c.tcp.isReuse(p.time, p.tcpFlags, seq, p.tcpHeaderLength)) {
            remove(c);
            c = newTcp(tenant, p);
        } else {
            encapsulated(c, false);
        }
        if (c == null) {
            return;
        }
        boolean isOrig = c.isFromOrig(p.srcHi, p.srcLo, p.srcPort);
        if (p.transportWeird != null) {
            // Zeek creates the connection, then rejects a segment with a bad data offset.
            weird(c, p.transportWeird, null);
            return;
        }
        if (!p.l4ChecksumOk) {
            weird(c, "bad_TCP_checksum", null);
            c.tcp.checksumError(isOrig);
            return;
        }
        firstOfDirection(c, isOrig, p);
        int ws = (p.tcpFlags & Packet.TCP_SYN) != 0 ? windowScaleOption(p) : -1;
        c.tcp.process(p.time, isOrig, p.tcpFlags, seq, (int) p.ack, p.window, p.payloadLength,
                p.payloadCapturedLength, ws, p.l4Segment, p.payloadOffset);
        count(c, p);
    }

    private Connection newTcp(int tenant, Packet p) {
        boolean flip = false;
        int flags = p.tcpFlags;
        if ((flags & Packet.TCP_SYN) == 0 || (flags & Packet.TCP_ACK) != 0) {
            if (options.likelyTcpServerPort().test(p.srcPort)) {
                if (options.likelyTcpServerPort().test(p.dstPort)) {
                    flip = (flags & Packet.TCP_SYN) == 0 && p.srcPort < p.dstPort;
                } else {
                    flip = true;
                }
            }
        }
        Connection c = newConnection(tenant, p, Connection.TRANSPORT_TCP, p.srcPort, p.dstPort);
        if (c == null) {
            return null;
        }
        c.tcp = new TcpSession(c, this, p.time);
        c.tcp.setQuotas(quotas);
        setInactivityTimeout(c, options.udpInactivityTimeout());
        if (flip && !isBroadcast(p.dstHi, p.dstLo)) {
            c.flipRoles();
        }
        c.observer = observers.create(c);
        return c;
    }

    private static boolean isBroadcast(long hi, long lo) {
        return hi == 0 && lo == 0x0000_FFFF_FFFF_FFFFL;
    }

    private static int windowScaleOption(Packet p) {
        MemorySegment s = p.l4Segment;
        long off = p.l4Offset + 20;
        long end = p.l4Offset + Math.min(p.tcpHeaderLength, p.l4CapturedLength);
        int scale = -1;
        while (off < end) {
            int opt = s.get(BYTE, off) & 0xFF;
            if (opt == 0) {
                break;
            }
            if (opt == 1) {
                off++;
                continue;
            }
            if (off + 1 >= end) {
                break;
            }
            int len = s.get(BYTE, off + 1) & 0xFF;
            if (off + len > end || len == 0) {
                break;
            }
            if (opt == 3 && len >= 3) {
                scale = s.get(BYTE, off + 2) & 0xFF;
            }
            off += len;
        }
        return scale;
    }

    // ------------------------------------------------------------------ UDP

    private void udp(int tenant, Packet p) {
        buildKey(keyScratch, tenant, p, 17, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, false);
        Connection c = table.get(keyScratch);
        if (c == null) {
            boolean flip = options.likelyUdpServerPort().test(p.srcPort)
                    && !options.likelyUdpServerPort().test(p.dstPort);
            c = newConnection(tenant, p, Connection.TRANSPORT_UDP, p.srcPort, p.dstPort);
            if (c == null) {
                return;
            }
            setInactivityTimeout(c, options.udpInactivityTimeout());
            if (flip && !isBroadcast(p.dstHi, p.dstLo)) {
                c.flipRoles();
            }
            c.observer = observers.create(c);
        } else {
            encapsulated(c, false);
        }
        boolean isOrig = c.isFromOrig(p.srcHi, p.srcLo, p.srcPort);
        if (!p.l4ChecksumOk) {
            weird(c, "bad_UDP_checksum", null);
            c.badChecksum(isOrig);
            return;
        }
        firstOfDirection(c, isOrig, p);
        int len = p.l4Length == 0 ? p.l4CapturedLength : p.l4Length;
        int ulen = p.udpLength;
        if (ulen != len) {
            weird(c, "UDP_datagram_length_mismatch", ulen + " != " + len);
        }
        c.lastTime = p.time;
        long payload = ulen - 8;
        if (isOrig) {
            c.checkHistory(0x1, 'D');
            c.origSize = c.origSize < 0 ? payload : c.origSize + payload;
        } else {
            c.checkHistory(0x2, 'd');
            c.respSize = c.respSize < 0 ? payload : c.respSize + payload;
        }
        count(c, p);
        ConnectionObserver o = c.observer;
        if (o != null && o.wantsPayload()) {
            int n = Math.min(Math.min(len, ulen) - 8, p.payloadCapturedLength);
            if (n > 0) {
                o.onDatagram(isOrig, p.l4Segment, p.payloadOffset, n);
            }
        }
        if (udpHook != null) {
            udpHook.onUdp(c, isOrig, p);
        }
    }

    // ------------------------------------------------------------------ ICMP

    private void icmp(int tenant, Packet p) {
        boolean v6 = p.ipVersion == 6;
        int type = p.icmpType;
        int counterpart = v6 ? icmp6Counterpart(type) : icmp4Counterpart(type);
        boolean oneWay = counterpart < 0;
        int respPort = oneWay ? p.icmpCode : counterpart;
        buildKey(keyScratch, tenant, p, p.ipProto, p.srcHi, p.srcLo, type, p.dstHi, p.dstLo, respPort, oneWay);
        Connection c = table.get(keyScratch);
        if (c == null) {
            c = newConnection(tenant, p, Connection.TRANSPORT_ICMP, type, respPort);
            if (c == null) {
                return;
            }
            setInactivityTimeout(c, options.icmpInactivityTimeout());
            c.observer = observers.create(c);
        } else {
            encapsulated(c, false);
        }
        boolean isOrig = c.isFromOrig(p.srcHi, p.srcLo, type);
        if (!p.l4ChecksumOk) {
            weird(c, "bad_ICMP_checksum", null);
            return;
        }
        c.lastTime = p.time;
        firstOfDirection(c, isOrig, p);
        long len = (p.l4Length == 0 ? p.l4CapturedLength : p.l4Length) - 8;
        if (isOrig) {
            c.origSize = c.origSize < 0 ? len : c.origSize + len;
        } else {
            c.respSize = c.respSize < 0 ? len : c.respSize + len;
        }
        count(c, p);
        ConnectionObserver o = c.observer;
        if (o != null && o.wantsPayload()) {
            int n = (int) Math.min(len, p.l4CapturedLength - 8L);
            if (n > 0) {
                o.onIcmp(isOrig, p.l4Segment, p.l4Offset + 8, n);
            }
        }
    }

    /** Zeek's ICMP4_counterpart: the paired type of a two-way message, or -1 for one-way types. */
    static int icmp4Counterpart(int type) {
        return switch (type) {
            case 8 -> 0;
            case 0 -> 8;
            case 13 -> 14;
            case 14 -> 13;
            case 15 -> 16;
            case 16 -> 15;
            case 10 -> 9;
            case 9 -> 10;
            case 17 -> 18;
            case 18 -> 17;
            default -> -1;
        };
    }

    /** Zeek's ICMP6_counterpart. */
    static int icmp6Counterpart(int type) {
        return switch (type) {
            case 128 -> 129;
            case 129 -> 128;
            case 133 -> 134;
            case 134 -> 133;
            case 135 -> 136;
            case 136 -> 135;
            case 130 -> 131;
            case 131 -> 130;
            case 139 -> 140;
            case 140 -> 139;
            case 144 -> 145;
            case 145 -> 144;
            default -> -1;
        };
    }

    // ------------------------------------------------------------------ other IP

    private void unknown(int tenant, Packet p) {
        buildKey(keyScratch, tenant, p, p.ipProto, p.srcHi, p.srcLo, 0, p.dstHi, p.dstLo, 0, false);
        Connection c = table.get(keyScratch);
        if (c == null) {
            c = newConnection(tenant, p, Connection.TRANSPORT_UNKNOWN, 0, 0);
            if (c == null) {
                return;
            }
            setInactivityTimeout(c, options.unknownIpInactivityTimeout());
        } else {
            encapsulated(c, false);
        }
        c.lastTime = p.time;
        count(c, p);
    }

    /** The observer sees the headers of each direction's first packet (signature header conditions). */
    private static void firstOfDirection(Connection c, boolean isOrig, Packet p) {
        ConnectionObserver o = c.observer;
        if (o != null && (isOrig ? c.origPkts : c.respPkts) == 0) {
            o.onFirstPacket(isOrig, p);
        }
    }

    private static void count(Connection c, Packet p) {
        if (c.isFromOrig(p.srcHi, p.srcLo, c.transport() == Connection.TRANSPORT_ICMP ? p.icmpType
                : c.transport() == Connection.TRANSPORT_UNKNOWN ? 0 : p.srcPort)) {
            c.origPkts++;
            c.origIpBytes += p.ipTotalLength;
        } else {
            c.respPkts++;
            c.respIpBytes += p.ipTotalLength;
        }
    }

    // ------------------------------------------------------------------ timers

    private void schedule(Connection c, double t, int kind, int gen) {
        timers.add(t, c, kind, gen, null);
    }

    private void dispatch(Connection c, int kind, int gen, Runnable action, double t) {
        if (c.removed()) {
            return;
        }
        switch (kind) {
            case T_INACTIVITY -> {
                if (gen != (c.inactivityGen & 0x0FFF_FFFF)) {
                    return;
                }
                if (c.lastTime + c.inactivityTimeout <= t) {
                    remove(c);
                } else {
                    schedule(c, c.lastTime + c.inactivityTimeout, T_INACTIVITY, c.inactivityGen);
                }
            }
            case T_TCP_EXPIRE -> {
                if (gen == (c.analyzerGen & 0x0FFF_FFFF)) {
                    c.tcp.onExpireTimer(t);
                }
            }
            case T_TCP_ATTEMPT -> {
                if (gen == (c.analyzerGen & 0x0FFF_FFFF)) {
                    c.tcp.onAttemptTimer();
                }
            }
            case T_TCP_CONN_DELETE -> {
                if (gen == (c.analyzerGen & 0x0FFF_FFFF)) {
                    remove(c);
                }
            }
            case T_CALLBACK -> action.run();
            default -> {
            }
        }
    }

    @Override
    public void scheduleExpire(Connection c, double t) {
        schedule(c, t, T_TCP_EXPIRE, c.analyzerGen);
    }

    @Override
    public void scheduleAttempt(Connection c, double t) {
        schedule(c, t, T_TCP_ATTEMPT, c.analyzerGen);
    }

    @Override
    public void scheduleConnDelete(Connection c, double t) {
        schedule(c, t, T_TCP_CONN_DELETE, c.analyzerGen);
    }

    @Override
    public void cancelAnalyzerTimers(Connection c) {
        c.analyzerGen++;
    }

    @Override
    public void setInactivityTimeout(Connection c, double timeout) {
        if (timeout == c.inactivityTimeout) {
            return;
        }
        c.inactivityGen++;
        if (timeout > 0) {
            schedule(c, c.lastTime + timeout, T_INACTIVITY, c.inactivityGen);
        }
        c.inactivityTimeout = timeout;
    }

    @Override
    public double tcpInactivityTimeout() {
        return options.tcpInactivityTimeout();
    }

    @Override
    public void weird(Connection c, String name, String addl) {
        listener.onConnectionWeird(c, name, addl, sourceOf(c));
    }

    @Override
    public void established(Connection c) {
        listener.onConnectionEstablished(c);
    }

    private static String sourceOf(Connection c) {
        return switch (c.transport()) {
            case Connection.TRANSPORT_TCP -> "TCP";
            case Connection.TRANSPORT_UDP -> "UDP";
            case Connection.TRANSPORT_ICMP -> "ICMP";
            default -> "UNKNOWN_IP_TRANSPORT";
        };
    }

    @Override
    public void remove(Connection c) {
        if (c.removed()) {
            return;
        }
        c.markRemoved();
        table.remove(c);
        if (c.observer != null) {
            c.observer.onRemove();
        }
        listener.onConnectionRemoved(c);
        if (quotas != null) {
            quotas.releaseFlow(c.tenant);
            if (c.tcp != null) {
                c.tcp.releaseBuffers();
            }
        }
    }
}
