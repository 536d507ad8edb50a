package io.picket.decode;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * IPv4/IPv6 fragment reassembly with the semantics of Zeek's {@code Frag.cc} and {@code Reassem.cc}:
 * the first data seen for a byte range wins, overlaps are reported as {@code fragment_overlap} or
 * (differing bytes) {@code fragment_inconsistency}, the datagram size comes from the last fragment
 * and is corrected with {@code fragment_size_inconsistency}, and the header of the first fragment
 * that arrived (IPv6: its unfragmentable part) heads the reassembled datagram with its length
 * fields rewritten (16 bits, as Zeek does).
 *
 * <p>Datagrams are keyed by source, destination, identification and the outer and inner VLAN ids
 * (Zeek uses the first three only). Pending datagrams expire {@code fragmentTimeoutSeconds} of
 * network time after their first fragment, and the oldest are evicted when the accounted memory
 * (fragment bytes, header and a fixed per-datagram overhead) exceeds {@code maxFragmentBytes}.
 * Fragment data is kept compactly per datagram, so memory follows the bytes actually received.
 *
 * <p>Owned by the shard thread of its {@link PacketDecoder}; the reassembled datagram stays valid
 * until the next call of {@link #add}.
 */
final class FragmentReassembler {
    static final int MIN_ACCEPTABLE_FRAG_SIZE = 64;
    static final int MAX_ACCEPTABLE_FRAG_SIZE = 64000;
    /** Bytes accounted to every pending datagram on top of its data. */
    static final int DATAGRAM_OVERHEAD = 256;
    private static final int RETAINED_ARRAY_BYTES = 16 * 1024;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final PacketDecoder decoder;
    private final DecoderCounters counters;
    private final double timeout;
    private final long maxBytes;

    private Datagram[] table = new Datagram[64];
    private int size;
    private Datagram oldest;
    private Datagram newest;
    private Datagram free;

    /**
     * The reassembled datagram: native memory like the packets themselves (one segment class on
     * the decode path), grown by doubling, each size in an automatic arena of its own so an
     * outgrown buffer is freed once unreachable.
     */
    private MemorySegment outSegment = Arena.ofAuto().allocate(4096);
    private int lastNextProto;

    FragmentReassembler(PacketDecoder decoder, DecoderCounters counters, DecoderOptions options) {
        this.decoder = decoder;
        this.counters = counters;
        this.timeout = options.fragmentTimeoutSeconds();
        this.maxBytes = options.maxFragmentBytes();
    }

    /** Segment holding the last reassembled datagram at offset 0. */
    MemorySegment outSegment() {
        return outSegment;
    }

    /** IPv6: the upper-layer protocol of the last reassembled datagram (first fragment's Next Header). */
    int lastNextProto() {
        return lastNextProto;
    }

    /** Number of datagrams pending. */
    int pending() {
        return size;
    }

    /** Discards datagrams whose timeout passed at network time {@code now}. */
    void expire(double now) {
        if (timeout <= 0) {
            return;
        }
        while (oldest != null && oldest.deadline <= now) {
            counters.fragmentDatagramsExpired++;
            remove(oldest);
        }
    }

    /**
     * Adds one complete (fully captured) fragment.
     *
     * @param seg segment holding the fragment, IP header at {@code ipOff}
     * @param hdrLen IP header length (IPv6: header chain up to and including the fragment header)
     * @param totalLen IP total length
     * @param fragOffset fragment offset in bytes
     * @param nextProto IPv4 protocol, IPv6 the fragment header's Next Header
     * @return length of the reassembled datagram now in {@link #outSegment()}, or -1 if still incomplete
     */
    int add(double now, int version, MemorySegment seg, long ipOff, int hdrLen, int totalLen, int fragOffset,
            boolean mf, boolean df, long id, int nextProto, Packet key) {
        int hash = hash(key.srcHi, key.srcLo, key.dstHi, key.dstLo, id, key.vlan, key.innerVlan);
        Datagram d = find(hash, key, id);
        if (d == null) {
            d = create(hash, key, id, now, version, seg, ipOff, hdrLen, nextProto);
        }
        long before = d.accounted;
        int result = addFragment(d, version, seg, ipOff, hdrLen, totalLen, fragOffset, mf, df, nextProto);
        if (result >= 0 || d.removed) {
            return result;
        }
        d.accounted = DATAGRAM_OVERHEAD + d.hdrLen + d.dataLen;
        counters.fragmentBytesInUse += d.accounted - before;
        while (counters.fragmentBytesInUse > maxBytes && oldest != null) {
            counters.fragmentDatagramsEvicted++;
            remove(oldest);
        }
        return -1;
    }

    private int addFragment(Datagram d, int version, MemorySegment seg, long ipOff, int hdrLen, int totalLen,
                            int fragOffset, boolean mf, boolean df, int nextProto) {
        if (version == 4) {
            if (nextProto != d.v4Proto || hdrLen / 4 != d.v4Hl) {
                decoder.weird(DecodeWeird.FRAGMENT_PROTOCOL_INCONSISTENCY);
            }
        } else if (nextProto != d.nextProto || hdrLen - 8 != d.hdrLen) {
            decoder.weird(DecodeWeird.FRAGMENT_PROTOCOL_INCONSISTENCY);
        }
        if (df) {
            decoder.weird(DecodeWeird.FRAGMENT_WITH_DF);
        }
        if (totalLen < hdrLen) {
            decoder.weird(DecodeWeird.FRAGMENT_PROTOCOL_INCONSISTENCY);
            return -1;
        }
        long upperSeq = (long) fragOffset + totalLen - hdrLen;
        if (fragOffset == 0) {
            d.nextProto = nextProto;
        }
        if (!mf) {
            if (d.fragSize == 0) {
                d.fragSize = upperSeq;
            } else if (upperSeq != d.fragSize) {
                decoder.weird(DecodeWeird.FRAGMENT_SIZE_INCONSISTENCY);
                if (upperSeq > d.fragSize) {
                    d.fragSize = upperSeq;
                }
            }
        } else if (totalLen < MIN_ACCEPTABLE_FRAG_SIZE) {
            decoder.weird(DecodeWeird.EXCESSIVELY_SMALL_FRAGMENT);
        }
        if (upperSeq > MAX_ACCEPTABLE_FRAG_SIZE) {
            decoder.weird(DecodeWeird.EXCESSIVELY_LARGE_FRAGMENT);
        }
        if (d.fragSize != 0 && upperSeq > d.fragSize) {
            decoder.weird(DecodeWeird.FRAGMENT_SIZE_INCONSISTENCY);
            d.fragSize = upperSeq;
        }
        int len = totalLen - hdrLen;
        if (len == 0) {
            return -1;
        }
        newBlock(d, fragOffset, len, seg, ipOff + hdrLen);
        return blockInserted(d);
    }

    /** Reassembler::NewBlock: overlap reports against existing blocks, then first-wins insertion of the gaps. */
    private void newBlock(Datagram d, int seq, int len, MemorySegment seg, long dataOff) {
        int upper = seq + len;
        int n = d.blocks;
        if (n > 0 && seq != d.upper[n - 1]) {
            for (int i = 0; i < n; i++) {
                int bSeq = d.seq[i];
                int bUpper = d.upper[i];
                if (upper <= bSeq) {
                    break;
                }
                if (seq >= bUpper) {
                    continue;
                }
                int from = Math.max(seq, bSeq);
                int to = Math.min(upper, bUpper);
                boolean same = true;
                int existing = d.pos[i] + (from - bSeq);
                long incoming = dataOff + (from - seq);
                for (int k = 0; k < to - from; k++) {
                    if (d.data[existing + k] != seg.get(ValueLayout.JAVA_BYTE, incoming + k)) {
                        same = false;
                        break;
                    }
                }
                decoder.weird(same ? DecodeWeird.FRAGMENT_OVERLAP : DecodeWeird.FRAGMENT_INCONSISTENCY);
            }
        }
        int cur = seq;
        int i = 0;
        while (i < d.blocks && cur < upper) {
            int bSeq = d.seq[i];
            int bUpper = d.upper[i];
            if (bUpper <= cur) {
                i++;
                continue;
            }
            if (bSeq >= upper) {
                break;
            }
            if (bSeq > cur) {
                insertBlock(d, i, cur, bSeq, seg, dataOff + (cur - seq));
                i++;
            }
            cur = Math.max(cur, bUpper);
            i++;
        }
        if (cur < upper) {
            insertBlock(d, i, cur, upper, seg, dataOff + (cur - seq));
        }
    }

    private static void insertBlock(Datagram d, int index, int seq, int upper, MemorySegment seg, long srcOff) {
        int len = upper - seq;
        if (d.dataLen + len > d.data.length) {
            d.data = Arrays.copyOf(d.data, Math.max(d.dataLen + len, d.data.length * 2));
        }
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, srcOff, d.data, d.dataLen, len);
        if (d.blocks == d.seq.length) {
            int cap = d.seq.length * 2;
            d.seq = Arrays.copyOf(d.seq, cap);
            d.upper = Arrays.copyOf(d.upper, cap);
            d.pos = Arrays.copyOf(d.pos, cap);
        }
        int move = d.blocks - index;
        if (move > 0) {
            System.arraycopy(d.seq, index, d.seq, index + 1, move);
            System.arraycopy(d.upper, index, d.upper, index + 1, move);
            System.arraycopy(d.pos, index, d.pos, index + 1, move);
        }
        d.seq[index] = seq;
        d.upper[index] = upper;
        d.pos[index] = d.dataLen;
        d.blocks++;
        d.dataLen += len;
    }

    /** FragReassembler::BlockInserted: completes the datagram once it is contiguous up to its size. */
    private int blockInserted(Datagram d) {
        if (d.seq[0] > 0 || d.fragSize == 0) {
            return -1;
        }
        int it = 0;
        int next = 1;
        while (next < d.blocks && d.upper[it] == d.seq[next]) {
            it++;
            next++;
        }
        int lastUpper = d.upper[d.blocks - 1];
        if (next < d.blocks) {
            if (d.upper[it] >= d.fragSize) {
                decoder.weird(DecodeWeird.FRAGMENT_SIZE_INCONSISTENCY);
                d.fragSize = d.upper[it];
            } else {
                return -1;
            }
        } else if (lastUpper > d.fragSize) {
            decoder.weird(DecodeWeird.FRAGMENT_SIZE_INCONSISTENCY);
            d.fragSize = lastUpper;
        } else if (lastUpper < d.fragSize) {
            return -1;
        }
        int n = (int) (d.hdrLen + d.fragSize);
        if (outSegment.byteSize() < n) {
            outSegment = Arena.ofAuto().allocate(Math.max(n, outSegment.byteSize() * 2));
        }
        MemorySegment.copy(d.hdr, 0, outSegment, ValueLayout.JAVA_BYTE, 0, d.hdrLen);
        for (int i = 0; i < d.blocks; i++) {
            if (i > 0 && d.upper[i - 1] < d.seq[i]) {
                break;
            }
            if (d.upper[i] > n) {
                // Zeek: InternalWarning("bad fragment reassembly") and the datagram is dropped.
                remove(d);
                return -1;
            }
            MemorySegment.copy(d.data, d.pos[i], outSegment, ValueLayout.JAVA_BYTE, d.hdrLen + d.seq[i],
                    d.upper[i] - d.seq[i]);
        }
        if (d.version == 4) {
            outSegment.set(U16, 2, (short) (d.fragSize + d.hdrLen));
        } else {
            outSegment.set(U16, 4, (short) (d.fragSize + d.hdrLen - 40));
        }
        lastNextProto = d.nextProto;
        counters.reassembled++;
        remove(d);
        return n;
    }

    private Datagram create(int hash, Packet key, long id, double now, int version, MemorySegment seg, long ipOff,
                            int hdrLen, int nextProto) {
        Datagram d = free;
        if (d != null) {
            free = d.newer;
        } else {
            d = new Datagram();
        }
        d.hash = hash;
        d.srcHi = key.srcHi;
        d.srcLo = key.srcLo;
        d.dstHi = key.dstHi;
        d.dstLo = key.dstLo;
        d.id = id;
        d.vlan = key.vlan;
        d.innerVlan = key.innerVlan;
        d.deadline = now + timeout;
        d.version = version;
        d.hdrLen = version == 4 ? hdrLen : hdrLen - 8;
        if (d.hdr.length < d.hdrLen) {
            d.hdr = new byte[Math.max(d.hdrLen, 64)];
        }
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, ipOff, d.hdr, 0, d.hdrLen);
        d.v4Proto = version == 4 ? Byte.toUnsignedInt(d.hdr[9]) : -1;
        d.v4Hl = version == 4 ? d.hdr[0] & 0x0F : -1;
        d.fragSize = 0;
        d.nextProto = nextProto;
        d.blocks = 0;
        d.dataLen = 0;
        d.removed = false;
        d.accounted = DATAGRAM_OVERHEAD + d.hdrLen;
        counters.fragmentBytesInUse += d.accounted;
        // creation order
        d.older = newest;
        d.newer = null;
        if (newest != null) {
            newest.newer = d;
        } else {
            oldest = d;
        }
        newest = d;
        insert(d);
        counters.fragmentDatagramsPending = size;
        return d;
    }

    private void remove(Datagram d) {
        if (d.removed) {
            return;
        }
        d.removed = true;
        delete(d);
        if (d.older != null) {
            d.older.newer = d.newer;
        } else {
            oldest = d.newer;
        }
        if (d.newer != null) {
            d.newer.older = d.older;
        } else {
            newest = d.older;
        }
        counters.fragmentBytesInUse -= d.accounted;
        d.accounted = 0;
        counters.fragmentDatagramsPending = size;
        if (d.data.length > RETAINED_ARRAY_BYTES) {
            d.data = new byte[1024];
        }
        if (d.seq.length > RETAINED_ARRAY_BYTES / 4) {
            d.seq = new int[16];
            d.upper = new int[16];
            d.pos = new int[16];
        }
        if (d.hdr.length > RETAINED_ARRAY_BYTES) {
            d.hdr = new byte[64];
        }
        d.older = null;
        d.newer = free;
        free = d;
    }

    // ---- open-addressing table keyed by (src, dst, id, vlan, inner vlan)

    private static int hash(long srcHi, long srcLo, long dstHi, long dstLo, long id, int vlan, int innerVlan) {
        long h = srcHi * 0x9E3779B97F4A7C15L;
        h = (h ^ srcLo) * 0x9E3779B97F4A7C15L;
        h = (h ^ dstHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ dstLo) * 0x9E3779B97F4A7C15L;
        h = (h ^ id) * 0x9E3779B97F4A7C15L;
        h = (h ^ (((long) vlan << 32) | (innerVlan & 0xFFFF_FFFFL))) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private Datagram find(int hash, Packet k, long id) {
        int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Datagram d = table[i];
            if (d == null) {
                return null;
            }
            if (d.hash == hash && d.id == id && d.srcHi == k.srcHi && d.srcLo == k.srcLo && d.dstHi == k.dstHi
                    && d.dstLo == k.dstLo && d.vlan == k.vlan && d.innerVlan == k.innerVlan) {
                return d;
            }
        }
    }

    private void insert(Datagram d) {
        if ((size + 1) * 2 > table.length) {
            Datagram[] old = table;
            table = new Datagram[old.length * 2];
            for (Datagram e : old) {
                if (e != null) {
                    place(e);
                }
            }
        }
        place(d);
        size++;
    }

    private void place(Datagram d) {
        int mask = table.length - 1;
        int i = d.hash & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = d;
    }

    private void delete(Datagram d) {
        int mask = table.length - 1;
        int i = d.hash & mask;
        while (table[i] != d) {
            i = (i + 1) & mask;
        }
        table[i] = null;
        size--;
        // backward-shift the following cluster
        int j = (i + 1) & mask;
        while (table[j] != null) {
            Datagram e = table[j];
            int home = e.hash & mask;
            boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                table[i] = e;
                table[j] = null;
                i = j;
            }
            j = (j + 1) & mask;
        }
    }

    /** One pending datagram: header of its first fragment plus received data blocks, sorted by offset. */
    private static final class Datagram {
        int hash;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        long id;
        int vlan;
        int innerVlan;
        double deadline;
        Datagram older;
        Datagram newer;
        boolean removed;
        int version;
        byte[] hdr = new byte[64];
        int hdrLen;
        int v4Proto;
        int v4Hl;
        long fragSize;
        int nextProto;
        int[] seq = new int[16];
        int[] upper = new int[16];
        int[] pos = new int[16];
        int blocks;
        byte[] data = new byte[1024];
        int dataLen;
        long accounted;
    }
}
