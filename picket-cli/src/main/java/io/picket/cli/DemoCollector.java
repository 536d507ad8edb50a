package io.picket.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny NDJSON log collector on loopback for the demo: counts the records a tenant's HTTP sink
 * delivers, per log path. Stands in for a SIEM; not part of the product.
 */
final class DemoCollector implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("\"_path\":\"([a-z0-9_]+)\"");
    private final HttpServer server;
    private final LongAdder records = new LongAdder();
    private final Map<String, LongAdder> paths = new ConcurrentHashMap<>();

    private DemoCollector(HttpServer server) {
        this.server = server;
    }

    static DemoCollector start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        DemoCollector c = new DemoCollector(s);
        s.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (isGzip(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
                }
                for (String line : new String(body, StandardCharsets.UTF_8).split("\\n")) {
                    if (!line.isBlank()) {
                        c.records.increment();
                        Matcher m = PATH.matcher(line);
                        c.paths.computeIfAbsent(m.find() ? m.group(1) : "?", k -> new LongAdder()).increment();
                    }
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return c;
    }

    private static boolean isGzip(String enc) {
        return enc != null && enc.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ingest";
    }

    long records() {
        return records.sum();
    }

    String byPath() {
        Map<String, Long> m = new TreeMap<>();
        paths.forEach((k, v) -> m.put(k, v.sum()));
        return m.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
