package io.picket.flow;

import io.picket.flow.tcp.TcpSession;
import io.picket.log.Uid;

/**
 * One tracked connection (Zeek's {@code Connection}): identity, roles, history, per-direction
 * packet/byte counters and, for TCP, the {@link TcpSession}. Created on the first packet of a
 * flow and owned from lookup to log record by one shard thread.
 */
public final class Connection implements Encapsulation {
    public static final int TRANSPORT_TCP = 1;
    public static final int TRANSPORT_UDP = 2;
    public static final int TRANSPORT_ICMP = 3;
    public static final int TRANSPORT_UNKNOWN = 4;

    private static final int TRANSPORT_BITS = 0x7;
    private static final int VLAN_KEYED = 0x8;
    private static final int REMOVED = 0x10;

    // ---- identity ----
    // Narrow types keep the per-flow footprint small; the accessors return ints.
    int tenant;
    /** Transport ({@code TRANSPORT_*}) in the low 3 bits, {@link #VLAN_KEYED} and {@link #REMOVED}. */
    private byte flags;
    byte ipProto;
    long origHi, origLo, respHi, respLo;
    char origPort, respPort;
    /** VLAN ids of the first packet (Zeek's vlan-logging), -1 if none. */
    short vlan = -1, innerVlan = -1;
    /** The uid, or null until first asked for when it is made from {@link #uidState}. */
    String uid;
    /** Uid generator state the uid is formatted from ({@link Uid#fromState}) while {@link #uid} is null. */
    long uidState;

    // ---- table bookkeeping ----
    /** Hash of the table key (set by {@link ConnTable#put}; the key itself lives in the table). */
    int keyHash;

    // ---- time ----
    double startTime;
    double lastTime;

    // ---- history ----
    /** The first 8 history letters, 8 bits each (letter i in bits 8i..8i+7), while {@link #historyMore} is null. */
    private long historyBits;
    /** The whole history once it is longer than 8 letters (or holds a letter above U+00FF); else null. */
    private char[] historyMore;
    private short historyLength;
    private int histSeen;

    // ---- counters (ConnSize) ----
    long origPkts, origIpBytes, respPkts, respIpBytes;
    /** UDP/ICMP payload sizes; -1 = no packet seen from that side. */
    long origSize = -1, respSize = -1;
    // missed_bytes is kept by the TcpSession: only TCP has content gaps.
    /** Checksum-error counts and tunnel parents, null until one is needed (few connections have either). */
    private Rare rare;

    TcpSession tcp;

    /** The analyzer stage's view of this connection, or null. */
    ConnectionObserver observer;

    // ---- tunnels ----
    /** Tunnel decapsulation state of this (outer) connection, owned by the tunnel stage. */
    public byte tunnelState;
    public boolean tunnelValidOrig;
    public boolean tunnelValidResp;
    /** True once tunnel.log has a DISCOVER line for this (outer) connection. */
    public boolean tunnelDiscovered;
    public int tunnelBytesSeen;
    /** Kind of tunnel this connection carries (a tunnel stage constant, 0 = none yet). */
    public byte tunnelType;
    /** State of the VXLAN/Geneve packet analyzer on this connection (tunnel stage constants). */
    public byte packetTunnelState;

    // ---- steering ----
    /** The steering profile index + 1 decided when the connection started; 0 = not steered. */
    private byte steerProfile;

    // ---- timers ----
    double inactivityTimeout;
    int inactivityGen;
    int analyzerGen;

    /** Services confirmed by analyzers, in confirmation order (filled by the analyzers stage). */
    private java.util.List<String> services;

    public int tenant() {
        return tenant;
    }

    public String uid() {
        String u = uid;
        if (u == null) {
            u = Uid.fromState('C', uidState);
            uid = u;
        }
        return u;
    }

    public int transport() {
        return flags & TRANSPORT_BITS;
    }

    void setTransport(int transport) {
        flags = (byte) ((flags & ~TRANSPORT_BITS) | transport);
    }

    /** True once the connection has left the table. */
    boolean removed() {
        return (flags & REMOVED) != 0;
    }

    void markRemoved() {
        flags |= REMOVED;
    }

    void setVlanKeyed() {
        flags |= VLAN_KEYED;
    }

    public int ipProto() {
        return ipProto & 0xFF;
    }

    public double startTime() {
        return startTime;
    }

    public double lastTime() {
        return lastTime;
    }

    public void setLastTime(double t) {
        lastTime = t;
    }

    public long origHi() {
        return origHi;
    }

    public long origLo() {
        return origLo;
    }

    public long respHi() {
        return respHi;
    }

    public long respLo() {
        return respLo;
    }

    public int origPort() {
        return origPort;
    }

    public int respPort() {
        return respPort;
    }

    public TcpSession tcp() {
        return tcp;
    }

    public ConnectionObserver observer() {
        return observer;
    }

    /** The steering profile index the connection was sent to when it started, -1 if not steered. */
    public int steerProfile() {
        return steerProfile - 1;
    }

    /** Records the steering profile ({@code 0..126}) decided for the connection. */
    public void setSteerProfile(int index) {
        steerProfile = (byte) (index + 1);
    }

    /** True if the VLAN ids of the first packet are part of the key (--conn-key vlan). */
    public boolean vlanKeyed() {
        return (flags & VLAN_KEYED) != 0;
    }

    /** VLAN id that is part of the key (--conn-key vlan), -1 if none or not keyed. */
    public int ctxVlan() {
        return vlanKeyed() ? vlan : -1;
    }

    /** Inner VLAN id that is part of the key, -1 if none or not keyed. */
    public int ctxInnerVlan() {
        return vlanKeyed() ? innerVlan : -1;
    }

    /** Removes a service again (an analyzer that violated its protocol early). */
    public void removeService(String name) {
        if (services != null) {
            services.remove(name);
        }
    }

    /** Payload bytes of both directions (Zeek's {@code c$orig$size + c$resp$size}). */
    public long payloadBytes() {
        return Math.max(0, origSize) + Math.max(0, respSize);
    }

    /** Adds to the TCP session's content gap total (conn.log {@code missed_bytes}); nothing for other transports. */
    public void addMissedBytes(long len) {
        if (tcp != null) {
            tcp.addMissedBytes(len);
        }
    }

    /** conn.log {@code missed_bytes}: the TCP content gaps, 0 for other transports. */
    public long missedBytes() {
        return tcp == null ? 0 : tcp.missedBytes();
    }

    /** Adds a service name as an analyzer confirmed it (conn.log {@code service}). */
    public void addService(String name) {
        if (services == null) {
            services = new java.util.ArrayList<>(2);
        }
        if (!services.contains(name)) {
            services.add(name);
        }
    }

    public void addTunnelParent(String uid) {
        Rare r = rare();
        if (r.tunnelParents == null) {
            r.tunnelParents = new java.util.ArrayList<>(1);
        }
        if (!r.tunnelParents.contains(uid)) {
            r.tunnelParents.add(uid);
        }
    }

    /** Tunnel parents, or null when the connection was never seen inside a tunnel. */
    public java.util.List<String> tunnelParents() {
        return rare == null ? null : rare.tunnelParents;
    }

    private Rare rare() {
        Rare r = rare;
        if (r == null) {
            r = new Rare();
            rare = r;
        }
        return r;
    }

    public java.util.List<String> services() {
        return services == null ? java.util.List.of() : services;
    }

    // ---- history ----

    /**
     * Zeek's {@code CheckHistory}: adds {@code code} the first time {@code mask} is seen.
     *
     * @return true if the mask had been seen before (nothing added)
     */
    public boolean checkHistory(int mask, char code) {
        if ((histSeen & mask) == 0) {
            histSeen |= mask;
            addHistory(code);
            return false;
        }
        return true;
    }

    public void addHistory(char code) {
        char[] more = historyMore;
        if (more == null) {
            if (historyLength < 8 && code <= 0xFF) {
                historyBits |= (long) code << (historyLength << 3);
                historyLength++;
                return;
            }
            more = new char[16];
            for (int i = 0; i < historyLength; i++) {
                more[i] = (char) ((historyBits >>> (i << 3)) & 0xFF);
            }
            historyMore = more;
        } else if (historyLength == more.length) {
            more = java.util.Arrays.copyOf(more, more.length * 2);
            historyMore = more;
        }
        more[historyLength++] = code;
    }

    private char historyAt(int i) {
        return historyMore != null ? historyMore[i] : (char) ((historyBits >>> (i << 3)) & 0xFF);
    }

    public boolean historyIs(char only) {
        return historyLength == 1 && historyAt(0) == only;
    }

    public String history() {
        if (historyLength == 0) {
            return null;
        }
        if (historyMore != null) {
            return new String(historyMore, 0, historyLength);
        }
        byte[] b = new byte[historyLength];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (historyBits >>> (i << 3));
        }
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Zeek's logarithmic history entry for UDP/ICMP checksum errors. */
    void badChecksum(boolean isOrig) {
        Rare r = rare();
        if (isOrig) {
            if (++r.origChkCnt == r.origChkThresh) {
                addHistory('C');
                r.origChkThresh *= 10;
            }
        } else if (++r.respChkCnt == r.respChkThresh) {
            addHistory('c');
            r.respChkThresh *= 10;
        }
    }

    /** Swaps originator and responder (Zeek's {@code Connection::FlipRoles}); appends '^'. */
    public void flipRoles() {
        long h = origHi, l = origLo;
        origHi = respHi;
        origLo = respLo;
        respHi = h;
        respLo = l;
        char p = origPort;
        origPort = respPort;
        respPort = p;
        long t = origPkts;
        origPkts = respPkts;
        respPkts = t;
        t = origIpBytes;
        origIpBytes = respIpBytes;
        respIpBytes = t;
        t = origSize;
        origSize = respSize;
        respSize = t;
        if (tcp != null) {
            tcp.flipRoles();
        }
        addHistory('^');
    }

    /** The flip of a connection whose history is exactly "H": history becomes "^h". */
    public void flipRolesRewritingHistory() {
        flipRoles();
        historyLength = 0;
        historyBits = 0;
        historyMore = null;
        addHistory('^');
        addHistory('h');
        histSeen = (histSeen >>> 16) | (histSeen << 16);
    }

    boolean isFromOrig(long srcHi, long srcLo, int srcPort) {
        return srcHi == origHi && srcLo == origLo && srcPort == origPort;
    }

    /** The parts of a connection few connections need, kept out of line so an idle flow stays small. */
    private static final class Rare {
        /** Checksum-error counts and the next counts that add a history letter (Zeek's logarithmic entry). */
        int origChkCnt, origChkThresh = 1, respChkCnt, respChkThresh = 1;
        /** uids of the tunnel connections this connection was seen through (conn.log tunnel_parents). */
        java.util.List<String> tunnelParents;
    }
}
