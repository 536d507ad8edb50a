package io.picket.analyzer.ssh;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the per-connection TCP payload streams extracted from a capture (format of
 * {@code traces/README.md}): for each connection its endpoints and the in-order segments of both
 * directions as they were delivered, encrypted bulk segments stored by length only.
 */
final class StreamTrace {

    /** One delivered segment ({@code data == null}: only the length was kept) or an end of stream. */
    record Event(boolean isOrig, double ts, int length, byte[] data, boolean fin) {
        /** The payload, zero-filled when only its length was kept. */
        byte[] payload() {
            return data != null ? data : new byte[length];
        }
    }

    record Conn(String origHost, int origPort, String respHost, int respPort, boolean partial, List<Event> events) {
    }

    private StreamTrace() {
    }

    static List<Conn> load(String resource) throws IOException {
        try (InputStream raw = StreamTrace.class.getResourceAsStream("traces/" + resource)) {
            if (raw == null) {
                throw new IOException("missing test resource traces/" + resource);
            }
            DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
            List<Conn> conns = new ArrayList<>();
            List<Event> events = null;
            while (true) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 'C' -> {
                        String oh = str(in);
                        int op = in.readUnsignedShort();
                        String rh = str(in);
                        int rp = in.readUnsignedShort();
                        boolean partial = in.readUnsignedByte() != 0;
                        events = new ArrayList<>();
                        conns.add(new Conn(oh, op, rh, rp, partial, events));
                    }
                    case 'S' -> {
                        boolean isOrig = in.readUnsignedByte() != 0;
                        double ts = in.readDouble();
                        int len = in.readInt();
                        boolean kept = in.readUnsignedByte() != 0;
                        byte[] data = null;
                        if (kept) {
                            data = new byte[len];
                            in.readFully(data);
                        }
                        events.add(new Event(isOrig, ts, len, data, false));
                    }
                    case 'F' -> {
                        boolean isOrig = in.readUnsignedByte() != 0;
                        events.add(new Event(isOrig, in.readDouble(), 0, null, true));
                    }
                    case 'E' -> {
                        return conns;
                    }
                    default -> throw new IOException("bad record tag " + tag);
                }
            }
        }
    }

    private static String str(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
