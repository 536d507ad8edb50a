package io.picket.engine;

import io.picket.capture.RawPacket;
import io.picket.decode.Packet;
import io.picket.tenant.TenantSelector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Picks the shard of a raw frame by a symmetric hash of its tenant (and VLAN ids when they are
 * part of the connection key) and IP address pair, so both directions of a flow and all
 * fragments of a datagram land on one shard. Ports are deliberately left out (fragments carry
 * none). A light parse of the link and network headers only; anything it cannot parse goes by
 * its tenant alone. Called on the capture thread; allocates nothing.
 *
 * <p>Known limit: connections inside tunnels are processed on the shard of their tunnel, so an
 * inner flow seen through two different tunnels is tracked twice (one worker merges it).
 */
final class FlowRouter {
    private final TenantSelector selector;
    private final boolean vlanKey;
    private final int shards;
    private final Packet scratch = new Packet();
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** First shard and number of shards of each tenant's group (tenant index; pool for shared). */
    private final int[] groupStart;
    private final int[] groupSize;
    private final int poolSize;
    private long lastTenant;

    FlowRouter(TenantSelector selector, boolean vlanKey, int shards) {
        this(selector, vlanKey, shards, null, null);
    }

    /**
     * @param groupStart per tenant index, the first shard of its group (null: every tenant in the
     *        pool of {@code poolSize} shards starting at 0)
     */
    FlowRouter(TenantSelector selector, boolean vlanKey, int poolSize, int[] groupStart, int[] groupSize) {
        this.selector = selector;
        this.vlanKey = vlanKey;
        this.shards = poolSize + (groupSize == null ? 0 : java.util.Arrays.stream(groupSize).sum());
        this.poolSize = poolSize;
        this.groupStart = groupStart;
        this.groupSize = groupSize;
    }

    /**
     * The shard of a frame: a symmetric hash of what the connection key holds — the tenant (from
     * the VLAN tags or the interface, as the tenant selector decides), the VLAN ids only when they
     * are part of the key, and the address pair.
     */
    int shardOf(RawPacket r) {
        if (shards <= 1) {
            return 0;
        }
        return route(r);
    }

    /** Like {@link #shardOf}, and always finds the frame's tenant ({@link #lastTenant()}), even with one shard. */
    int route(RawPacket r) {
        long h = mix(hash(r));
        if (shards <= 1) {
            return 0;
        }
        if (groupStart != null) {
            int t = (int) lastTenant;
            if (t >= 0 && groupSize[t] > 0) {
                return groupStart[t] + (int) Long.remainderUnsigned(h, groupSize[t]);
            }
        }
        return (int) Long.remainderUnsigned(h, poolSize);
    }

    /** Tenant index of the frame last routed, or {@link TenantSelector#UNASSIGNED}. */
    int lastTenant() {
        return (int) lastTenant;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private long context(int vlan, int innerVlan, String iface) {
        Packet p = scratch;
        p.vlan = vlan;
        p.innerVlan = innerVlan;
        p.interfaceName = iface;
        long tenant = selector.select(p);
        lastTenant = tenant;
        return vlanKey ? (tenant * 4099 + (vlan & 0xFFFF)) * 4099 + (innerVlan & 0xFFFF) : tenant;
    }

    private long hash(RawPacket r) {
        MemorySegment s = r.segment;
        long base = r.offset;
        int len = r.capturedLength;
        int vlan = r.outOfBandVlanTci >= 0 ? r.outOfBandVlanTci & 0xFFF : -1;
        int innerVlan = -1;
        int pos;
        int etherType;
        switch (r.linkType) {
            case 1 -> {
                if (len < 14) {
                    return context(vlan, innerVlan, r.interfaceName);
                }
                etherType = u16(s, base + 12);
                pos = 14;
                int tags = 0;
                while ((etherType == 0x8100 || etherType == 0x88a8 || etherType == 0x9100) && tags < 4) {
                    if (pos + 4 > len) {
                        return context(vlan, innerVlan, r.interfaceName);
                    }
                    int id = u16(s, base + pos) & 0xFFF;
                    if (vlan < 0) {
                        vlan = id;
                    } else {
                        innerVlan = id;
                    }
                    etherType = u16(s, base + pos + 2);
                    pos += 4;
                    tags++;
                }
            }
            case 113 -> {
                if (len < 16) {
                    return context(vlan, innerVlan, r.interfaceName);
                }
                etherType = u16(s, base + 14);
                pos = 16;
            }
            case 276 -> {
                if (len < 20) {
                    return context(vlan, innerVlan, r.interfaceName);
                }
                etherType = u16(s, base);
                pos = 20;
            }
            case 0 -> {
                pos = 4;
                etherType = -1;
            }
            default -> {
                pos = 0;
                etherType = -1;
            }
        }
        long ctx = context(vlan, innerVlan, r.interfaceName);
        if (etherType == 0x8847) {
            int labels = 0;
            while (pos + 4 <= len && labels < 8) {
                int label = s.get(U32, base + pos);
                pos += 4;
                labels++;
                if ((label & 0x100) != 0) {
                    break;
                }
            }
            etherType = -1;
        } else if (etherType == 0x8864) {
            if (pos + 8 > len) {
                return ctx;
            }
            int ppp = u16(s, base + pos + 6);
            pos += 8;
            etherType = ppp == 0x0021 ? 0x0800 : ppp == 0x0057 ? 0x86dd : 0;
        }
        if (pos >= len) {
            return ctx;
        }
        int version = (s.get(ValueLayout.JAVA_BYTE, base + pos) & 0xF0) >>> 4;
        if (etherType == 0x0800 || (etherType == -1 && version == 4)) {
            if (pos + 20 > len) {
                return ctx;
            }
            long a = s.get(U32, base + pos + 12) & 0xFFFF_FFFFL;
            long b = s.get(U32, base + pos + 16) & 0xFFFF_FFFFL;
            return ctx * 0x9E3779B97F4A7C15L + Math.min(a, b) * 0x100000001B3L + Math.max(a, b);
        }
        if (etherType == 0x86dd || (etherType == -1 && version == 6)) {
            if (pos + 40 > len) {
                return ctx;
            }
            long a = s.get(U64, base + pos + 8) * 31 + s.get(U64, base + pos + 16);
            long b = s.get(U64, base + pos + 24) * 31 + s.get(U64, base + pos + 32);
            long lo = Math.min(a, b);
            long hi = Math.max(a, b);
            return ctx * 0x9E3779B97F4A7C15L + lo * 0x100000001B3L + hi;
        }
        return ctx;
    }

    private static int u16(MemorySegment s, long at) {
        return s.get(U16, at) & 0xFFFF;
    }
}
