package io.picket.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a classic little-endian, microsecond pcap file (version 2.4) through a buffer. Used by
 * the demo and by tests to produce traces. One thread writes; {@link #close()} flushes and closes.
 * Frames longer than the snaplen are cut to it, as a capture would.
 */
public final class PcapWriter implements AutoCloseable {
    private final OutputStream out;
    private final int linkType;
    private final int snaplen;
    private final byte[] recordHeader = new byte[16];
    private long packets;
    private boolean closed;

    /**
     * Creates (or truncates) {@code path} and writes the file header.
     *
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if {@code snaplen} is not positive
     */
    public PcapWriter(Path path, int linkType, int snaplen) throws IOException {
        this(Files.newOutputStream(path), linkType, snaplen);
    }

    /** Writes to {@code out}, which this writer then owns and closes. */
    public PcapWriter(OutputStream out, int linkType, int snaplen) throws IOException {
        if (snaplen <= 0) {
            out.close();
            throw new IllegalArgumentException("snaplen must be positive: " + snaplen);
        }
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.linkType = linkType;
        this.snaplen = snaplen;
        byte[] header = new byte[PcapReader.FILE_HEADER_LENGTH];
        putInt(header, 0, PcapReader.MAGIC_MICROS);
        header[4] = 2; // version 2.4
        header[6] = 4;
        // 8 thiszone, 12 sigfigs: 0
        putInt(header, 16, snaplen);
        putInt(header, 20, linkType);
        this.out.write(header);
    }

    /**
     * Appends one record.
     *
     * @param tsSeconds seconds since the epoch, 0..2^32-1
     * @param tsMicros microseconds, 0..999999
     * @param len captured bytes taken from {@code frame[off..off+len)}, cut to the snaplen
     * @param wireLen length on the wire, at least {@code len}
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if a value does not fit the format
     */
    public void write(long tsSeconds, int tsMicros, byte[] frame, int off, int len, int wireLen) throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        Objects.checkFromIndexSize(off, len, frame.length);
        if (tsSeconds < 0 || tsSeconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("seconds out of range: " + tsSeconds);
        }
        if (tsMicros < 0 || tsMicros > 999_999) {
            throw new IllegalArgumentException("microseconds out of range: " + tsMicros);
        }
        if (wireLen < len) {
            throw new IllegalArgumentException("wire length " + wireLen + " smaller than captured length " + len);
        }
        int captured = Math.min(len, snaplen);
        putInt(recordHeader, 0, (int) tsSeconds);
        putInt(recordHeader, 4, tsMicros);
        putInt(recordHeader, 8, captured);
        putInt(recordHeader, 12, wireLen);
        out.write(recordHeader);
        out.write(frame, off, captured);
        packets++;
    }

    /** Appends a whole frame as captured and seen on the wire. */
    public void write(long tsSeconds, int tsMicros, byte[] frame) throws IOException {
        write(tsSeconds, tsMicros, frame, 0, frame.length, frame.length);
    }

    /** Link type written in the header. */
    public int linkType() {
        return linkType;
    }

    /** Snaplen written in the header. */
    public int snaplen() {
        return snaplen;
    }

    /** Records written so far. */
    public long packetsWritten() {
        return packets;
    }

    /** Pushes buffered records to the file. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
