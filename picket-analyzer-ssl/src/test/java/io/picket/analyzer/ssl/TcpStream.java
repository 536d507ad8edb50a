package io.picket.analyzer.ssl;

import io.picket.analyzer.spi.Analyzer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP connection's in-order byte streams as written by src/test/tools/pcap2streams.py:
 * chunks of either direction with the time of the packet that delivered them.
 */
final class TcpStream {
    record Chunk(boolean fin, boolean isOrig, double ts, byte[] data) {
    }

    final String origHost;
    final int origPort;
    final String respHost;
    final int respPort;
    final double start;
    /** The first packet seen was not a SYN (Zeek's {@code IsPartial()}). */
    final boolean partial;
    final List<Chunk> chunks;

    private TcpStream(String oh, int op, String rh, int rp, double start, boolean partial, List<Chunk> chunks) {
        this.origHost = oh;
        this.origPort = op;
        this.respHost = rh;
        this.respPort = rp;
        this.start = start;
        this.partial = partial;
        this.chunks = chunks;
    }

    static TcpStream loadFile(java.nio.file.Path path) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    static TcpStream load(String resource) {
        try (InputStream in = TcpStream.class.getResourceAsStream("/streams/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no stream " + resource);
            }
            return read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TcpStream read(InputStream in, String resource) throws IOException {
        {
            DataInputStream d = new DataInputStream(in);
            byte[] magic = d.readNBytes(4);
            int version = "TCPS".equals(new String(magic, StandardCharsets.US_ASCII)) ? d.readUnsignedShort() : -1;
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("not a stream file: " + resource);
            }
            String oh = new String(d.readNBytes(d.readUnsignedShort()), StandardCharsets.UTF_8);
            int op = d.readUnsignedShort();
            String rh = new String(d.readNBytes(d.readUnsignedShort()), StandardCharsets.UTF_8);
            int rp = d.readUnsignedShort();
            double start = d.readDouble();
            boolean partial = version >= 2 && d.readUnsignedByte() == 1;
            List<Chunk> chunks = new ArrayList<>();
            int kind;
            while ((kind = d.read()) >= 0) {
                boolean isOrig = d.readUnsignedByte() == 1;
                double ts = d.readDouble();
                byte[] data = d.readNBytes(d.readInt());
                chunks.add(new Chunk(kind == 'F', isOrig, ts, data));
            }
            return new TcpStream(oh, op, rh, rp, start, partial, chunks);
        }
    }

    FakeContext context(String uid) {
        return new FakeContext(uid, origHost, origPort, respHost, respPort);
    }

    /** Replays the stream into a new analyzer of {@code provider}; returns what it logged. */
    FakeContext run(SslAnalyzerProvider provider, String uid) {
        FakeContext ctx = context(uid);
        replay(new SslAnalyzer(ctx, provider, () -> partial), ctx);
        return ctx;
    }

    /** Feeds every chunk to the analyzer (network time = chunk time), then ends the connection. */
    void replay(Analyzer analyzer, FakeContext ctx) {
        for (Chunk c : chunks) {
            ctx.now = c.ts();
            if (c.fin()) {
                analyzer.onEndOfStream(c.isOrig());
            } else {
                MemorySegment seg = MemorySegment.ofArray(c.data());
                analyzer.onStream(c.isOrig(), seg, 0, c.data().length);
            }
        }
        analyzer.onConnectionDone();
    }

    /** Same, but cuts every chunk into pieces of at most {@code piece} bytes. */
    void replaySplit(Analyzer analyzer, FakeContext ctx, int piece) {
        for (Chunk c : chunks) {
            ctx.now = c.ts();
            if (c.fin()) {
                analyzer.onEndOfStream(c.isOrig());
                continue;
            }
            MemorySegment seg = MemorySegment.ofArray(c.data());
            for (int off = 0; off < c.data().length; off += piece) {
                analyzer.onStream(c.isOrig(), seg, off, Math.min(piece, c.data().length - off));
            }
        }
        analyzer.onConnectionDone();
    }
}
