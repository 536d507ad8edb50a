package io.picket.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.AnalyzerProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class HttpProviderTest {

    @Test
    void shouldBeFoundByServiceLoaderWithZeekPortsAndSchema() {
        AnalyzerProvider p = ServiceLoader.load(AnalyzerProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("http"))
                .findFirst().orElseThrow();

        assertThat(p.tcp()).isTrue();
        assertThat(p.udp()).isFalse();
        assertThat(p.tcpPorts()).containsExactlyInAnyOrder(80, 81, 631, 1080, 3128, 8000, 8080, 8888);
        assertThat(p.udpPorts()).isEmpty();
        assertThat(p.newDetector()).isInstanceOf(HttpDetector.class);
        assertThat(p.logs()).containsExactly(HttpLog.SCHEMA);
        assertThat(p.weirds()).contains("bad_HTTP_request", "unknown_HTTP_method", "HTTP_bad_chunk_size");
    }

    @Test
    void shouldHaveZeekColumnsInOrder() {
        assertThat(HttpLog.SCHEMA.fields()).extracting(f -> f.name()).containsExactly("ts", "uid", "id.orig_h",
                "id.orig_p", "id.resp_h", "id.resp_p", "trans_depth", "method", "host", "uri", "referrer", "version",
                "user_agent", "origin", "request_body_len", "response_body_len", "status_code", "status_msg",
                "info_code", "info_msg", "tags", "username", "password", "proxied", "orig_fuids", "orig_filenames",
                "orig_mime_types", "resp_fuids", "resp_filenames", "resp_mime_types");
        assertThat(HttpLog.SCHEMA.fields()).extracting(f -> f.type().zeekName()).containsExactly("time", "string",
                "addr", "port", "addr", "port", "count", "string", "string", "string", "string", "string", "string",
                "string", "count", "count", "count", "string", "count", "string", "set[enum]", "string", "string",
                "set[string]", "vector[string]", "vector[string]", "vector[string]", "vector[string]",
                "vector[string]", "vector[string]");
    }
}
