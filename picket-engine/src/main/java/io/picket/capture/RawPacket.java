package io.picket.capture;

import java.lang.foreign.MemorySegment;

/**
 * One captured frame as a capture source hands it to the decoder: a window into a memory
 * segment (usually the memory-mapped capture file), never a copy.
 *
 * <p>Mutable and reused: a {@link PacketSource} fills the same instance for every packet, so
 * nothing is allocated per packet. Owned by the thread that polls the source.
 */
public final class RawPacket {
    /** Segment holding the frame bytes (the whole mapped file, or a ring block). */
    public MemorySegment segment;
    /** Offset of the first frame byte within {@link #segment}. */
    public long offset;
    /** Number of bytes captured (available in {@link #segment}). */
    public int capturedLength;
    /** Length of the frame on the wire (may exceed {@link #capturedLength} when truncated by snaplen). */
    public int wireLength;
    /** Timestamp, seconds since the epoch. */
    public long tsSeconds;
    /** Sub-second part of the timestamp in nanoseconds (0..999_999_999). */
    public int tsNanos;
    /** Link-layer type (LINKTYPE_* from the pcap spec: 1 Ethernet, 113 Linux SLL, 276 SLL2, 101 raw IP, ...). */
    public int linkType;
    /** Capture interface index (pcapng IDB index; 0 for pcap and single interfaces). */
    public int interfaceId;
    /** Interface name when known (pcapng if_name, live interface), else null. */
    public String interfaceName;
    /** VLAN TCI delivered out of band (AF_PACKET aux data), or -1 if the tag, if any, is in the bytes. */
    public int outOfBandVlanTci = -1;
    /** Position of this record in its source (file offset of the record header), for error messages. */
    public long sourcePosition;

    /**
     * Packet time as Zeek computes it: {@code tv_sec + tv_usec / 1e6} in double precision, with
     * the sub-second part truncated to microseconds as libpcap delivers it.
     */
    public double time() {
        return tsSeconds + (tsNanos / 1000) / 1e6;
    }

    /** Timestamp in microseconds since the epoch. */
    public long timeMicros() {
        return tsSeconds * 1_000_000L + tsNanos / 1000;
    }

    public RawPacket copyFrom(RawPacket o) {
        segment = o.segment;
        offset = o.offset;
        capturedLength = o.capturedLength;
        wireLength = o.wireLength;
        tsSeconds = o.tsSeconds;
        tsNanos = o.tsNanos;
        linkType = o.linkType;
        interfaceId = o.interfaceId;
        interfaceName = o.interfaceName;
        outOfBandVlanTci = o.outOfBandVlanTci;
        sourcePosition = o.sourcePosition;
        return this;
    }
}
