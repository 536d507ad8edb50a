package io.picket.sink.syslog;

import io.picket.log.format.LogBuffer;
import io.picket.sink.spool.Envelope;
import io.picket.sink.spool.Transport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Syslog over TCP with RFC 6587 octet counting ({@code LEN SP MSG}), optionally inside TLS
 * (RFC 5425). Delivery thread of the owning sink, except {@link #close} and the per-connection
 * watcher (a virtual thread that only reads, to notice at once when the receiver closes or resets
 * the connection).
 *
 * <p>Syslog over TCP has no acknowledgements: a write that returned only means the bytes reached
 * the local socket buffer. Messages the receiver had not read when its connection broke are lost
 * by TCP. To deliver at least once anyway, every written message is kept in a replay buffer with
 * its write time; when a connection breaks, the next connection first sends again every message
 * written within {@code replayWindow} before the break was noticed, then goes on in order. So:
 * nothing is lost if the receiver reads what reached it within {@code replayWindow} (and the
 * replay buffer, bounded by {@code replayMaxBytes}, still holds it); duplicates appear only right
 * after a reconnect: at most the messages of that window plus the batch whose write failed
 * ({@link #duplicateBound()}). The replay buffer lives in memory, so a
 * crash of this process at the same time as a receiver failure can lose that window.
 */
public final class TcpSyslogTransport implements Transport {
    private final SyslogSinkConfig config;
    private final Rfc5424Encoder encoder;
    private final SSLContext ssl;
    private final LogBuffer buf = new LogBuffer(1 << 16);
    private final Envelope view = new Envelope();
    private final ArrayDeque<Sent> replay = new ArrayDeque<>();
    private long replayBytes;
    private volatile Connection conn;
    private volatile boolean closed;
    private long brokenAtNanos = Long.MIN_VALUE;
    private long connects;
    private long replayed;
    private long failedWrites;

    private record Sent(byte[] frame, long atNanos) {
    }

    /** One connection and its watcher. */
    private static final class Connection {
        final Socket socket;
        final OutputStream out;
        volatile boolean broken;
        volatile long brokenAtNanos;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        }

        void watch() {
            Thread.ofVirtual().name("picket-syslog-watch").start(() -> {
                byte[] sink = new byte[512];
                try (InputStream in = socket.getInputStream()) {
                    while (in.read(sink) >= 0) {
                        // Receivers send nothing; anything read is ignored.
                    }
                } catch (IOException e) {
                    // Reset or closed: broken either way.
                }
                markBroken();
            });
        }

        void markBroken() {
            if (!broken) {
                brokenAtNanos = System.nanoTime();
                broken = true;
            }
        }

        void close() {
            markBroken();
            try {
                socket.close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
    }

    /** {@code ssl} null for plain TCP. */
    public TcpSyslogTransport(SyslogSinkConfig config, Rfc5424Encoder encoder, SSLContext ssl) {
        this.config = config;
        this.encoder = encoder;
        this.ssl = ssl;
    }

    @Override
    public void deliver(List<byte[]> batch) throws IOException {
        Connection c = conn;
        if (c != null && c.broken) {
            brokenAtNanos = c.brokenAtNanos;
            c.close();
            conn = c = null;
        }
        if (c == null) {
            c = connect();
            try {
                replayAfterBreak(c);
            } catch (IOException e) {
                fail(c);
                throw e;
            }
        }
        buf.clear();
        int[] ends = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            encoder.encodeFramed(view.wrap(batch.get(i)), buf, config.maxMessageBytes());
            ends[i] = buf.length();
        }
        try {
            c.out.write(buf.array(), 0, buf.length());
            c.out.flush();
        } catch (IOException e) {
            // Part of the batch may have arrived; the sink sends the whole batch again.
            failedWrites += batch.size();
            fail(c);
            throw e;
        }
        long now = System.nanoTime();
        int from = 0;
        for (int end : ends) {
            byte[] frame = java.util.Arrays.copyOfRange(buf.array(), from, end);
            replay.addLast(new Sent(frame, now));
            replayBytes += frame.length;
            from = end;
        }
        trim(now, c);
    }

    private void fail(Connection c) {
        c.close();
        brokenAtNanos = c.brokenAtNanos;
        conn = null;
    }

    /** Sends again what was written shortly before the previous connection broke. */
    private void replayAfterBreak(Connection c) throws IOException {
        if (brokenAtNanos == Long.MIN_VALUE || replay.isEmpty()) {
            return;
        }
        long since = brokenAtNanos - config.replayWindow().toNanos();
        for (Sent s : replay) {
            if (s.atNanos() - since >= 0) {
                c.out.write(s.frame());
                replayed++;
            }
        }
        c.out.flush();
        brokenAtNanos = Long.MIN_VALUE;
    }

    /** Forgets messages old enough to count as read, while the connection still stands. */
    private void trim(long now, Connection c) {
        long window = config.replayWindow().toNanos();
        while (!replay.isEmpty()) {
            Sent s = replay.peekFirst();
            boolean old = !c.broken && now - s.atNanos() > window;
            if (!old && replayBytes <= config.replayMaxBytes()) {
                break;
            }
            replay.pollFirst();
            replayBytes -= s.frame().length;
        }
    }

    private Connection connect() throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        InetSocketAddress to = new InetSocketAddress(config.host(), config.port());
        if (to.isUnresolved()) {
            throw new IOException("cannot resolve syslog host " + config.host());
        }
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(to, timeout);
            if (ssl != null) {
                SSLSocket t = (SSLSocket) ssl.getSocketFactory().createSocket(s, config.host(), config.port(), true);
                SSLParameters p = t.getSSLParameters();
                p.setProtocols(config.tls().protocols().toArray(String[]::new));
                if (config.tls().verifyHostname()) {
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                }
                t.setSSLParameters(p);
                t.setSoTimeout(timeout);
                t.startHandshake();
                t.setSoTimeout(0);
                s = t;
            }
            Connection c = new Connection(s);
            c.watch();
            conn = c;
            connects++;
            if (closed) {
                c.close();
                throw new IOException("transport closed");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Connect failed.
            }
            throw e;
        }
    }

    /** Connections opened so far. */
    public long connects() {
        return connects;
    }

    /** Messages sent a second time after a reconnect. */
    public long replayed() {
        return replayed;
    }

    /** Messages of batches whose write failed part-way (sent again whole by the sink). */
    public long failedWrites() {
        return failedWrites;
    }

    /** Upper bound of duplicates a receiver may have seen: {@link #replayed()} + {@link #failedWrites()}. */
    public long duplicateBound() {
        return replayed + failedWrites;
    }

    public long truncated() {
        return encoder.truncated();
    }

    @Override
    public void close() {
        closed = true;
        Connection c = conn;
        if (c != null) {
            try {
                c.out.flush();
            } catch (IOException ignored) {
                // Closing anyway.
            }
            c.close();
        }
    }
}
