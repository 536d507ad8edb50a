package io.picket.sink.syslog;

import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkOptions;
import io.picket.sink.spool.TlsOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * A syslog destination ({@code type: syslog}). See the module README for every option.
 *
 * @param options common sink options
 * @param protocol transport
 * @param host receiver host name or address (resolved at every connect)
 * @param port receiver port
 * @param facility syslog facility 0..23 (default 16, local0)
 * @param severity syslog severity 0..7 (default 6, informational)
 * @param hostname HOSTNAME field (default: this host's name)
 * @param appName APP-NAME field
 * @param sdId SD-ID of the structured data element carrying tenant, path and record id
 * @param maxMessageBytes longest message; longer MSG parts are cut (0 = no limit, TCP/TLS only)
 * @param connectTimeout TCP connect and TLS handshake timeout
 * @param replayWindow TCP/TLS: messages written this long before a connection broke are sent
 *     again on the next connection
 * @param replayMaxBytes TCP/TLS: memory bound of the replay buffer
 * @param tls TLS settings (protocol {@code tls} only, else null)
 */
public record SyslogSinkConfig(SinkOptions options, Protocol protocol, String host, int port, int facility, int severity,
        String hostname, String appName, String sdId, int maxMessageBytes, Duration connectTimeout, Duration replayWindow,
        long replayMaxBytes, TlsOptions tls) implements SinkConfig {

    /** How messages travel. */
    public enum Protocol {
        /** RFC 5426: one message per datagram; no delivery confirmation at all. */
        UDP,
        /** RFC 6587 octet counting over TCP. */
        TCP,
        /** RFC 5425: octet counting over TLS. */
        TLS
    }

    public static final String TYPE = "syslog";
    /** Largest UDP payload over IPv4. */
    public static final int MAX_UDP = 65507;
    /** RFC 5426: every receiver must accept this much. */
    public static final int MIN_MESSAGE = 480;

    public SyslogSinkConfig {
        Objects.requireNonNull(options);
        Objects.requireNonNull(protocol);
        Objects.requireNonNull(host);
        Objects.requireNonNull(appName);
        Objects.requireNonNull(sdId);
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(replayWindow);
        if (protocol == Protocol.TLS) {
            Objects.requireNonNull(tls, "tls");
        }
    }

    /** local0.info over TCP, app picket, SD-ID picket@32473, 5 s connect timeout, 2 s replay window. */
    public static SyslogSinkConfig tcp(SinkOptions options, String host, int port) {
        return new SyslogSinkConfig(options, Protocol.TCP, host, port, 16, 6, null, "picket", "picket@32473", 0,
                Duration.ofSeconds(5), Duration.ofSeconds(2), 8L << 20, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    public SyslogSinkConfig withProtocol(Protocol p, TlsOptions t, int maxMessage) {
        return new SyslogSinkConfig(options, p, host, port, facility, severity, hostname, appName, sdId, maxMessage,
                connectTimeout, replayWindow, replayMaxBytes, t);
    }

    public SyslogSinkConfig withReplay(Duration window, long maxBytes) {
        return new SyslogSinkConfig(options, protocol, host, port, facility, severity, hostname, appName, sdId,
                maxMessageBytes, connectTimeout, window, maxBytes, tls);
    }

    public SyslogSinkConfig withHostname(String h) {
        return new SyslogSinkConfig(options, protocol, host, port, facility, severity, h, appName, sdId, maxMessageBytes,
                connectTimeout, replayWindow, replayMaxBytes, tls);
    }
}
