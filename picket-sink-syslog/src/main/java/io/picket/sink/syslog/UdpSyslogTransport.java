package io.picket.sink.syslog;

import io.picket.log.format.LogBuffer;
import io.picket.sink.spool.Envelope;
import io.picket.sink.spool.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * RFC 5426 syslog over UDP: one datagram per message, messages longer than
 * {@code maxMessageBytes} cut (see {@link Rfc5424Encoder}). UDP confirms nothing: a batch counts
 * as delivered once every datagram left this host; a receiver that is down or drops datagrams
 * loses them silently. Only local send errors (no route, ...) fail the batch, which is then sent
 * again whole. Delivery thread of the owning sink.
 */
public final class UdpSyslogTransport implements Transport {
    private final SyslogSinkConfig config;
    private final Rfc5424Encoder encoder;
    private final DatagramChannel channel;
    private final LogBuffer buf = new LogBuffer(8192);
    private final Envelope view = new Envelope();
    private final int max;
    private long sent;

    public UdpSyslogTransport(SyslogSinkConfig config, Rfc5424Encoder encoder) throws IOException {
        this.config = config;
        this.encoder = encoder;
        this.max = config.maxMessageBytes() > 0 ? Math.min(config.maxMessageBytes(), SyslogSinkConfig.MAX_UDP)
                : SyslogSinkConfig.MAX_UDP;
        this.channel = DatagramChannel.open();
    }

    @Override
    public void deliver(List<byte[]> batch) throws IOException {
        InetSocketAddress to = new InetSocketAddress(config.host(), config.port());
        if (to.isUnresolved()) {
            throw new IOException("cannot resolve syslog host " + config.host());
        }
        for (byte[] rec : batch) {
            buf.clear();
            encoder.encode(view.wrap(rec), buf, max);
            channel.send(ByteBuffer.wrap(buf.array(), 0, buf.length()), to);
            sent++;
        }
    }

    /** Datagrams sent. */
    public long sent() {
        return sent;
    }

    /** Messages cut to the size limit. */
    public long truncated() {
        return encoder.truncated();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing buffered in a datagram channel.
        }
    }
}
