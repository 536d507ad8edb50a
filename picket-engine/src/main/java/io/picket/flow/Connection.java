package io.picket.flow;

import io.picket.flow.tcp.TcpSession;

/**
 * One tracked connection (Zeek's {@code Connection}): identity, roles, history, per-direction
 * packet/byte counters and, for TCP, the {@link TcpSession}. Created on the first packet of a
 * flow and owned from lookup to log record by one shard thread.
 */
public final class Connection {
    public static final int TRANSPORT_TCP = 1;
    public static final int TRANSPORT_UDP = 2;
    public static final int TRANSPORT_ICMP = 3;
    public static final int TRANSPORT_UNKNOWN = 4;

    // ---- identity ----
    int tenant;
    int transport;
    int ipProto;
    boolean ipv6;
    long origHi, origLo, respHi, respLo;
    int origPort, respPort;
    /** VLAN ids of the first packet (Zeek's vlan-logging), -1 if none. */
    int vlan = -1, innerVlan = -1;
    /** VLAN ids that are part of the key (--conn-key vlan), -1 if none or not keyed. */
    int ctxVlan = -1, ctxInnerVlan = -1;
    boolean vlanKeyed;
    String uid;

    // ---- table bookkeeping ----
    final long[] key = new long[ConnTable.KEY_LONGS];
    boolean removed;

    // ---- time ----
    double startTime;
    double lastTime;

    // ---- history ----
    private char[] history = new char[8];
    private int historyLength;
    private int histSeen;

    // ---- counters (ConnSize) ----
    long origPkts, origIpBytes, respPkts, respIpBytes;
    /** UDP/ICMP payload sizes; -1 = no packet seen from that side. */
    long origSize = -1, respSize = -1;
    long missedBytes;
    int origChkCnt, origChkThresh = 1, respChkCnt, respChkThresh = 1;

    TcpSession tcp;

    /** The analyzer stage's view of this connection, or null. */
    ConnectionObserver observer;

    // ---- tunnels ----
    /** uids of the tunnel connections this connection was seen through (conn.log tunnel_parents). */
    private java.util.List<String> tunnelParents;
    /** Tunnel decapsulation state of this (outer) connection, owned by the tunnel stage. */
    public int tunnelState;
    public boolean tunnelValidOrig;
    public boolean tunnelValidResp;
    /** True once tunnel.log has a DISCOVER line for this (outer) connection. */
    public boolean tunnelDiscovered;
    public long tunnelBytesSeen;

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
        return uid;
    }

    public int transport() {
        return transport;
    }

    public int ipProto() {
        return ipProto;
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

    public boolean vlanKeyed() {
        return vlanKeyed;
    }

    public int ctxVlan() {
        return ctxVlan;
    }

    public int ctxInnerVlan() {
        return ctxInnerVlan;
    }

    /** Removes a service again (an analyzer that violated its protocol early). */
    public void removeService(String name) {
        if (services != null) {
            services.remove(name);
        }
    }

    public void addMissedBytes(long len) {
        missedBytes += len;
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
        if (tunnelParents == null) {
            tunnelParents = new java.util.ArrayList<>(1);
        }
        if (!tunnelParents.contains(uid)) {
            tunnelParents.add(uid);
        }
    }

    /** Tunnel parents, or null when the connection was never seen inside a tunnel. */
    public java.util.List<String> tunnelParents() {
        return tunnelParents;
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
        if (historyLength == history.length) {
            history = java.util.Arrays.copyOf(history, history.length * 2);
        }
        history[historyLength++] = code;
    }

    public boolean historyIs(char only) {
        return historyLength == 1 && history[0] == only;
    }

    public String history() {
        return historyLength == 0 ? null : new String(history, 0, historyLength);
    }

    /** Zeek's logarithmic history entry for UDP/ICMP checksum errors. */
    void badChecksum(boolean isOrig) {
        if (isOrig) {
            if (++origChkCnt == origChkThresh) {
                addHistory('C');
                origChkThresh = origChkThresh * 10;
            }
        } else if (++respChkCnt == respChkThresh) {
            addHistory('c');
            respChkThresh = respChkThresh * 10;
        }
    }

    /** Swaps originator and responder (Zeek's {@code Connection::FlipRoles}); appends '^'. */
    public void flipRoles() {
        long h = origHi, l = origLo;
        origHi = respHi;
        origLo = respLo;
        respHi = h;
        respLo = l;
        int p = origPort;
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
        addHistory('^');
        addHistory('h');
        histSeen = (histSeen >>> 16) | (histSeen << 16);
    }

    boolean isFromOrig(long srcHi, long srcLo, int srcPort) {
        return srcHi == origHi && srcLo == origLo && srcPort == origPort;
    }
}
