package io.picket.decode;

/**
 * Counters of one {@link PacketDecoder}: outcomes, details and weirds by kind.
 *
 * <p>Written only by the decoder's shard thread with plain stores; other threads may read them for
 * statistics and then see slightly stale values.
 */
public final class DecoderCounters {
    long ip;
    long nonIp;
    long dropped;
    long fragment;
    long reassembled;
    long fragmentDatagramsExpired;
    long fragmentDatagramsEvicted;
    long fragmentBytesInUse;
    long fragmentDatagramsPending;
    long ipWithoutSession;
    long unsupportedLinkType;
    long badTransportChecksum;
    final long[] weirds = new long[DecodeWeird.count()];

    /** Packets returned as {@link PacketDecoder#IP} (including reassembled datagrams). */
    public long ip() {
        return ip;
    }

    /** Frames returned as {@link PacketDecoder#NON_IP}. */
    public long nonIp() {
        return nonIp;
    }

    /** Frames returned as {@link PacketDecoder#DROPPED}. */
    public long dropped() {
        return dropped;
    }

    /** Fragments stored without completing a datagram ({@link PacketDecoder#FRAGMENT}). */
    public long fragment() {
        return fragment;
    }

    /** Datagrams completed by fragment reassembly. */
    public long reassembled() {
        return reassembled;
    }

    /** Pending datagrams discarded because the fragment timeout passed. */
    public long fragmentDatagramsExpired() {
        return fragmentDatagramsExpired;
    }

    /** Pending datagrams discarded to stay within the fragment memory bound. */
    public long fragmentDatagramsEvicted() {
        return fragmentDatagramsEvicted;
    }

    /** Bytes currently accounted to pending reassemblies. */
    public long fragmentBytesInUse() {
        return fragmentBytesInUse;
    }

    /** Datagrams currently being reassembled. */
    public long fragmentDatagramsPending() {
        return fragmentDatagramsPending;
    }

    /** IPv6 packets ending in ESP or a mobility header, which Zeek analyses without a connection (returned as NON_IP). */
    public long ipWithoutSession() {
        return ipWithoutSession;
    }

    /** Frames of a link type this decoder does not handle (returned as NON_IP). */
    public long unsupportedLinkType() {
        return unsupportedLinkType;
    }

    /** IP packets whose verified transport checksum was bad ({@link Packet#l4ChecksumOk} false). */
    public long badTransportChecksum() {
        return badTransportChecksum;
    }

    /** Times the given weird was raised. */
    public long weird(DecodeWeird weird) {
        return weirds[weird.ordinal()];
    }

    /** Times weirds with this Zeek name were raised, over all sources. */
    public long weird(String zeekName) {
        long sum = 0;
        for (int i = 0; i < weirds.length; i++) {
            if (DecodeWeird.of(i).zeekName().equals(zeekName)) {
                sum += weirds[i];
            }
        }
        return sum;
    }

    /** Total weirds raised. */
    public long weirds() {
        long sum = 0;
        for (long w : weirds) {
            sum += w;
        }
        return sum;
    }
}
