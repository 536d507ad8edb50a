package io.picket.sink.syslog;

import io.picket.sink.spool.ConfigReader;
import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkOptions;
import io.picket.sink.spool.SinkProvider;
import io.picket.sink.spool.TlsOptions;
import io.picket.sink.spool.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** {@code type: syslog}: options and transports for RFC 5424 over UDP, TCP and TLS. */
public final class SyslogSinkProvider implements SinkProvider {
    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7");
    static final List<String> SEVERITIES = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");
    private static final Pattern SD_ID = Pattern.compile("[!#-<>-\\\\^-~&&[^@]]{1,32}(@[0-9]+(\\.[0-9]+)*)?");
    private static final Pattern PRINTABLE = Pattern.compile("[!-~]+");

    @Override
    public String type() {
        return SyslogSinkConfig.TYPE;
    }

    @Override
    public SinkConfig parse(SinkOptions common, ConfigReader r) {
        SyslogSinkConfig.Protocol protocol = r.choice("protocol", SyslogSinkConfig.Protocol.class, SyslogSinkConfig.Protocol.TCP);
        String host = r.requiredString("host");
        int port = r.integer("port", protocol == SyslogSinkConfig.Protocol.TLS ? 6514 : 514, 1, 65535);
        int facility = named(r, "facility", FACILITIES, 16);
        int severity = named(r, "severity", SEVERITIES, 6);
        String hostname = r.string("hostname", null);
        if (hostname != null && (!PRINTABLE.matcher(hostname).matches() || hostname.length() > 255)) {
            r.problem("hostname", "must be 1-255 printable ASCII characters without spaces");
        }
        String app = r.string("app_name", "picket");
        if (!PRINTABLE.matcher(app).matches() || app.length() > 48) {
            r.problem("app_name", "must be 1-48 printable ASCII characters without spaces");
        }
        String sdId = r.string("sd_id", "picket@32473");
        if (!SD_ID.matcher(sdId).matches() || sdId.length() > 32) {
            r.problem("sd_id", "must be an RFC 5424 SD-ID such as name@12345 (at most 32 characters, no = ] \" or space)");
        }
        boolean udp = protocol == SyslogSinkConfig.Protocol.UDP;
        int max = r.integer("max_message_bytes", udp ? 8192 : 0, 0, udp ? SyslogSinkConfig.MAX_UDP : Integer.MAX_VALUE);
        if ((udp || max != 0) && max < SyslogSinkConfig.MIN_MESSAGE) {
            r.problem("max_message_bytes", "must be at least " + SyslogSinkConfig.MIN_MESSAGE + (udp ? "" : " (or 0 for no limit)"));
        }
        Duration connect = r.duration("connect_timeout", Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMinutes(5));
        Duration window = r.duration("replay_window", Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(10));
        long replayMax = r.bytes("replay_max_bytes", 8L << 20, 0, 1L << 30);
        TlsOptions tls = null;
        if (protocol == SyslogSinkConfig.Protocol.TLS) {
            tls = TlsOptions.parse(r.child("tls"));
        } else if (r.has("tls")) {
            r.problem("tls", "only with protocol: tls");
        }
        if (common == null || host == null) {
            return null;
        }
        return new SyslogSinkConfig(common, protocol, host, port, facility, severity, hostname, app, sdId, max, connect,
                window, replayMax, tls);
    }

    private static int named(ConfigReader r, String key, List<String> names, int def) {
        if (!r.has(key)) {
            return def;
        }
        String v = r.string(key, null);
        int i = names.indexOf(v);
        if (i < 0) {
            try {
                i = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                i = -1;
            }
            if (i >= names.size()) {
                i = -1;
            }
        }
        if (i < 0) {
            r.problem(key, "expected one of " + String.join(", ", names) + " or 0-" + (names.size() - 1) + ", got " + v);
            return def;
        }
        return i;
    }

    @Override
    public Transport open(String tenant, SinkConfig config) throws IOException {
        SyslogSinkConfig c = (SyslogSinkConfig) config;
        String hostname = c.hostname() != null ? c.hostname() : localHostName();
        Rfc5424Encoder enc = new Rfc5424Encoder(tenant, c.facility(), c.severity(), hostname, c.appName(), c.sdId(),
                ProcessHandle.current().pid());
        return switch (c.protocol()) {
            case UDP -> new UdpSyslogTransport(c, enc);
            case TCP -> new TcpSyslogTransport(c, enc, null);
            case TLS -> new TcpSyslogTransport(c, enc, c.tls().sslContext());
        };
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }
}
