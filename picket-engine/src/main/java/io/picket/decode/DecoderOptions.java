package io.picket.decode;

/**
 * Configuration of one {@link PacketDecoder}.
 *
 * @param verifyChecksums verify IPv4 header, TCP, UDP, ICMP/ICMPv6 and mobility header checksums
 *     (Zeek's default; {@code false} is Zeek's {@code -C})
 * @param fragmentTimeoutSeconds network time after the first fragment of a datagram at which its
 *     partial reassembly is discarded (Zeek's {@code frag_timeout}); 0 keeps fragments until they
 *     complete or are evicted
 * @param maxFragmentBytes bound on the memory held by pending fragment reassemblies of one decoder;
 *     beyond it the oldest datagrams are evicted (and counted)
 */
public record DecoderOptions(boolean verifyChecksums, double fragmentTimeoutSeconds, long maxFragmentBytes) {
    /** Five minutes, as Zeek's {@code policy/tuning/defaults/packet-fragments.zeek}. */
    public static final double DEFAULT_FRAGMENT_TIMEOUT_SECONDS = 300.0;
    public static final long DEFAULT_MAX_FRAGMENT_BYTES = 64L << 20;

    public DecoderOptions {
        if (!(fragmentTimeoutSeconds >= 0) || Double.isInfinite(fragmentTimeoutSeconds)) {
            throw new IllegalArgumentException("fragmentTimeoutSeconds must be finite and >= 0: " + fragmentTimeoutSeconds);
        }
        if (maxFragmentBytes <= 0) {
            throw new IllegalArgumentException("maxFragmentBytes must be > 0: " + maxFragmentBytes);
        }
    }

    /** Checksums verified, 300 s fragment timeout, 64 MiB of pending fragments. */
    public static DecoderOptions defaults() {
        return new DecoderOptions(true, DEFAULT_FRAGMENT_TIMEOUT_SECONDS, DEFAULT_MAX_FRAGMENT_BYTES);
    }

    /** Same options with checksum verification switched on or off. */
    public DecoderOptions withVerifyChecksums(boolean verify) {
        return new DecoderOptions(verify, fragmentTimeoutSeconds, maxFragmentBytes);
    }
}
