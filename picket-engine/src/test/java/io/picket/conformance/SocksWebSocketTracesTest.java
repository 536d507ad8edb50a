package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zeek's own small captures of SOCKS and HTTP upgrades (zeek/zeek {@code testing/btest/Traces},
 * vendored in {@code src/test/resources/traces/}) through the whole engine: the SOCKS handshake
 * logged and its tunnelled HTTP analysed on the same uid, the WebSocket upgrade handed to the
 * WebSocket analyzer and its payload to protocol detection, a non-WebSocket upgrade to plain
 * detection. Expected values are Zeek 8.2.2's (btest baseline {@code socks.trace1} and the
 * benchmark run's logs of the same packets; ts and uid aside).
 */
class SocksWebSocketTracesTest {

    @TempDir
    Path tmp;

    private Path run(String trace) throws Exception {
        Path in = Path.of(SocksWebSocketTracesTest.class.getResource("/traces/" + trace).toURI());
        Path out = tmp.resolve(trace);
        Engine.run(EngineConfig.of(List.of(in), out).withUidSeed(1L).withIgnoreChecksums(true), ProgressListener.NONE);
        return out.resolve("default");
    }

    private static List<String> rows(Path dir, String log, String... columns) throws Exception {
        Path f = dir.resolve(log + ".log");
        if (!Files.exists(f)) {
            return List.of();
        }
        ZeekLog z = ZeekLog.read(f);
        List<String> out = new ArrayList<>();
        for (List<String> row : z.rows()) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(row.get(z.columns().indexOf(c)));
            }
            out.add(String.join(" ", cells));
        }
        return out;
    }

    @Test
    void shouldLogSocksAndTunnelledHttpWhenZeekSocksTrace() throws Exception {
        Path logs = run("socks.pcap");

        // Baseline scripts.base.protocols.socks.trace1/socks.log
        assertThat(rows(logs, "socks", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "version", "user",
                "password", "status", "request.host", "request.name", "request_p", "bound.host", "bound.name",
                "bound_p")).containsExactly("10.0.0.55 53994 60.190.189.214 8124 5 - - succeeded - www.osnews.com"
                        + " 80 192.168.0.31 - 2688");
        assertThat(rows(logs, "tunnel", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "tunnel_type",
                "action")).containsExactly("- 10.0.0.55 0 60.190.189.214 8124 Tunnel::SOCKS Tunnel::DISCOVER");
        // the trace's other connections to the proxy carry no handshake
        assertThat(rows(logs, "conn", "id.resp_p", "service")).filteredOn(r -> !r.endsWith(" -"))
                .containsExactly("8124 socks,http");
        assertThat(rows(logs, "http", "trans_depth", "host", "uri", "status_code")).containsExactly(
                "1 www.osnews.com /images/printer2.gif 304", "2 www.osnews.com /img2/shorturl.jpg 304",
                "3 www.osnews.com /images/icons/9.gif 304", "4 www.osnews.com /images/icons/26.gif 200",
                "5 www.osnews.com /images/icons/17.gif 304", "6 www.osnews.com /images/left.gif 304",
                "7 www.osnews.com /images/icons/32.gif 304");
        // no analyzer weird (a lone FIN of another connection gets the TCP weird spontaneous_FIN,
        // which Zeek 8.2.2 does not log for this trace: a TCP-layer difference, not this analyzer's)
        assertThat(rows(logs, "weird", "name", "source")).filteredOn(r -> !r.endsWith(" TCP")).isEmpty();
    }

    @Test
    void shouldHandUpgradeToWebSocketWhenZeekWebSocketTrace() throws Exception {
        Path logs = run("websocket.pcap");

        assertThat(rows(logs, "websocket", "host", "uri", "user_agent", "subprotocol", "client_protocols",
                "server_extensions", "client_extensions")).containsExactly("sandbox.kaazing.net /echo?.kl=Y"
                        + " Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:54.0) Gecko/20100101 Firefox/54.0"
                        + " x-kaazing-handshake x-kaazing-handshake - permessage-deflate");
        // the inner HTTP request in the frames continues trans_depth; its violation drops "http"
        assertThat(rows(logs, "http", "trans_depth", "method", "host", "uri", "version", "status_code",
                "info_code")).containsExactly("1 GET sandbox.kaazing.net /echo?.kl=Y 1.1 101 101", "2 GET - /echo - - -");
        assertThat(rows(logs, "conn", "service")).containsExactly("websocket");
        assertThat(rows(logs, "weird", "name")).isEmpty();
    }

    @Test
    void shouldDetectOnUpgradedStreamWhenUpgradeIsNotWebSocket() throws Exception {
        Path logs = run("docker-http-upgrade.pcap");

        // the trace's other connections are plain HTTP; the upgraded one (to "tcp") keeps "http"
        assertThat(rows(logs, "http", "id.orig_p", "trans_depth", "method", "status_code", "status_msg"))
                .contains("48656 1 POST 101 UPGRADED").hasSize(6);
        assertThat(rows(logs, "conn", "id.orig_p", "service")).contains("48656 http");
        assertThat(rows(logs, "websocket", "uri")).isEmpty();
    }
}
