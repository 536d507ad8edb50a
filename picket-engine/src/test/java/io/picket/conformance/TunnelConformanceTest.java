package io.picket.conformance;

import static io.picket.tunnel.TunnelFrames.V4_A;
import static io.picket.tunnel.TunnelFrames.V4_B;
import static io.picket.tunnel.TunnelFrames.V6_A;
import static io.picket.tunnel.TunnelFrames.V6_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.tunnel.TunnelFrames;
import io.picket.tunnel.TunnelFrames.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The frames of the vendored wikipedia capture (HTTP, DNS, IPv4 and IPv6, ARP, LLC) wrapped in
 * VXLAN, Geneve, GRE, ERSPAN and IP-in-IP over IPv4 and IPv6 outer headers: the inner
 * connections' conn.log rows and every analyzer log equal the plain run's (uids and
 * tunnel_parents aside), tunnel_parents names the tunnel, tunnel.log has Zeek's rows, and the
 * outer connection carries Zeek's service.
 */
class TunnelConformanceTest {

    private static final String CASE = "wikipedia-default";

    @TempDir
    Path tmp;

    /** One encapsulation of the capture's frames (null: frame left out, it has no IP). */
    enum Wrap {
        VXLAN_V4("Tunnel::VXLAN", "vxlan", 4789, f -> TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789,
                TunnelFrames.vxlan(42, f), true)),
        VXLAN_V6("Tunnel::VXLAN", "vxlan", 4789, f -> TunnelFrames.udpFrame(V6_A, V6_B, 50000, 4789,
                TunnelFrames.vxlan(42, f), true)),
        GENEVE_V4_ETHERNET("Tunnel::GENEVE", "geneve", 6081, f -> TunnelFrames.udpFrame(V4_A, V4_B, 50001, 6081,
                TunnelFrames.geneve(0x6558, 7, 2, f), true)),
        GENEVE_V6_IP("Tunnel::GENEVE", "geneve", 6081, f -> {
            byte[] ip = TunnelFrames.ipOf(f);
            return ip == null ? null : TunnelFrames.udpFrame(V6_A, V6_B, 50001, 6081,
                    TunnelFrames.geneve(0x0800, 7, 0, ip), false);
        }),
        GRE_V4_ETHERNET("Tunnel::GRE", null, 0, f -> TunnelFrames.ipFrame(V4_A, V4_B, 47,
                TunnelFrames.gre(0x0000, 0x6558, new byte[0], f))),
        GRE_V6_IP_WITH_KEY("Tunnel::GRE", null, 0, f -> {
            byte[] ip = TunnelFrames.ipOf(f);
            return ip == null ? null : TunnelFrames.ipFrame(V6_A, V6_B, 47, TunnelFrames.gre(0x2000,
                    (ip[0] >> 4) == 4 ? 0x0800 : 0x86DD, new byte[] {0, 0, 0, 9}, ip)); // key present; key 9
        }),
        ERSPAN_II_V4("Tunnel::GRE", null, 0, f -> TunnelFrames.ipFrame(V4_A, V4_B, 47,
                TunnelFrames.gre(0x1000, 0x88BE, new byte[] {
                    0, 0, 0, 1,             // GRE sequence number
                    0x10, 0, 0, 1, 0, 0, 0, 0, // ERSPAN II: version 1, VLAN 0, session 1; index
                }, f))),
        IP_IN_IP_V4("Tunnel::IP", null, 0, f -> {
            byte[] ip = TunnelFrames.ipOf(f);
            return ip == null ? null : TunnelFrames.ipFrame(V4_A, V4_B, (ip[0] >> 4) == 4 ? 4 : 41, ip);
        }),
        IP_IN_IP_V6("Tunnel::IP", null, 0, f -> {
            byte[] ip = TunnelFrames.ipOf(f);
            return ip == null ? null : TunnelFrames.ipFrame(V6_A, V6_B, (ip[0] >> 4) == 4 ? 4 : 41, ip);
        });

        final String tunnelType;
        final String service;
        final int port;
        final Function<byte[], byte[]> wrap;

        Wrap(String tunnelType, String service, int port, Function<byte[], byte[]> wrap) {
            this.tunnelType = tunnelType;
            this.service = service;
            this.port = port;
            this.wrap = wrap;
        }

        boolean udp() {
            return service != null;
        }

        boolean outerV4() {
            return name().contains("V4");
        }
    }

    private Path wrapped(Wrap w) throws Exception {
        List<Frame> out = new ArrayList<>();
        for (Frame f : TunnelFrames.readPcap(ZeekCase.load(CASE).trace())) {
            byte[] d = w.wrap.apply(f.data());
            if (d != null) {
                out.add(new Frame(f.tsSeconds(), f.tsMicros(), d));
            }
        }
        Path file = tmp.resolve(w.name() + ".pcap");
        TunnelFrames.writePcap(file, out);
        return file;
    }

    private static EngineConfig config(Path input, Path out) throws Exception {
        return EngineConfig.of(List.of(input), out).withUidSeed(1L).withAnalyzers(ZeekCase.load(CASE).analyzers());
    }

    private static ZeekLog log(Path dir, String name) throws Exception {
        Path f = dir.resolve("default").resolve(name + ".log");
        return Files.exists(f) ? ZeekLog.read(f) : new ZeekLog(List.of(), List.of());
    }

    private static final Set<String> UNCOMPARED = Set.of("uid", "tunnel_parents", "fuid", "fuids", "orig_fuids",
            "resp_fuids", "conn_uids");

    /** Rows as text without the id columns that differ between runs, sorted. */
    private static List<String> comparable(ZeekLog log) {
        List<String> out = new ArrayList<>();
        for (List<String> row : log.rows()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < log.columns().size(); i++) {
                if (!UNCOMPARED.contains(log.columns().get(i))) {
                    sb.append(log.columns().get(i)).append('=').append(row.get(i)).append('\t');
                }
            }
            out.add(sb.toString());
        }
        Collections.sort(out);
        return out;
    }

    private static ZeekLog rows(ZeekLog log, boolean inner) {
        int p = log.columns().indexOf("tunnel_parents");
        return new ZeekLog(log.columns(), log.rows().stream().filter(r -> r.get(p).equals("-") != inner).toList());
    }

    private static String col(ZeekLog log, List<String> row, String name) {
        return row.get(log.columns().indexOf(name));
    }

    @ParameterizedTest
    @EnumSource(Wrap.class)
    void shouldLogInnerConnectionsLikeThePlainRunWhenFramesAreEncapsulated(Wrap w) throws Exception {
        Path plainOut = tmp.resolve("plain");
        Engine.run(config(ZeekCase.load(CASE).trace(), plainOut), ProgressListener.NONE);
        Path out = tmp.resolve(w.name());
        Engine.run(config(wrapped(w), out), ProgressListener.NONE);

        ZeekLog plainConn = log(plainOut, "conn");
        ZeekLog conn = log(out, "conn");
        ZeekLog inner = rows(conn, true);
        ZeekLog outer = rows(conn, false);
        // the inner connections are the plain run's connections, field by field
        assertThat(comparable(inner)).as(w.name()).isNotEmpty().containsExactlyElementsOf(comparable(plainConn));
        // every analyzer log is the plain run's
        for (String name : List.of("http", "dns", "files")) {
            assertThat(comparable(log(out, name))).as(w + " " + name)
                    .containsExactlyElementsOf(comparable(log(plainOut, name)));
        }
        assertThat(comparable(log(out, "http"))).isNotEmpty();
        assertThat(comparable(log(out, "dns"))).isNotEmpty();

        ZeekLog tunnel = log(out, "tunnel");
        Set<String> parents = new TreeSet<>();
        for (List<String> r : inner.rows()) {
            parents.add(col(inner, r, "tunnel_parents"));
        }
        assertThat(parents).hasSize(1);
        String tunnelUid = parents.iterator().next();
        String firstInnerTs = inner.rows().stream().map(r -> col(inner, r, "ts")).min(String::compareTo).orElseThrow();
        String a = w.outerV4() ? "10.99.0.1" : "2001:db8::1";
        String b = w.outerV4() ? "10.99.0.2" : "2001:db8::2";
        List<String> actions = new ArrayList<>();
        for (List<String> r : tunnel.rows()) {
            assertThat(col(tunnel, r, "uid")).isEqualTo(tunnelUid);
            assertThat(col(tunnel, r, "tunnel_type")).isEqualTo(w.tunnelType);
            assertThat(col(tunnel, r, "id.orig_h")).isEqualTo(a);
            assertThat(col(tunnel, r, "id.resp_h")).isEqualTo(b);
            assertThat(col(tunnel, r, "id.resp_p")).isEqualTo(String.valueOf(w.port));
            actions.add(col(tunnel, r, "action"));
        }
        assertThat(col(tunnel, tunnel.rows().get(0), "ts")).isEqualTo(firstInnerTs);
        if (w.udp()) {
            // the outer UDP connection: one conn.log row with Zeek's service; DISCOVER, then CLOSE
            // when it is removed
            assertThat(outer.rows()).hasSize(1);
            List<String> o = outer.rows().get(0);
            assertThat(col(outer, o, "uid")).isEqualTo(tunnelUid);
            assertThat(col(outer, o, "service")).isEqualTo(w.service);
            assertThat(col(outer, o, "proto")).isEqualTo("udp");
            assertThat(col(outer, o, "id.resp_p")).isEqualTo(String.valueOf(w.port));
            assertThat(col(outer, o, "history")).isEqualTo("D");
            assertThat(actions).containsExactly("Tunnel::DISCOVER", "Tunnel::CLOSE");
        } else {
            // an IP-level tunnel has no connection of its own: ports 0, DISCOVER only
            assertThat(outer.rows()).isEmpty();
            assertThat(col(tunnel, tunnel.rows().get(0), "id.orig_p")).isEqualTo("0");
            assertThat(actions).containsExactly("Tunnel::DISCOVER");
        }
        // no tunnel analyzer complained
        ZeekLog weird = log(out, "weird");
        for (List<String> r : weird.rows()) {
            assertThat(col(weird, r, "source")).isNotIn("VXLAN", "GENEVE", "GRE", "IPTUNNEL");
        }
    }

    @Test
    void shouldWriteZeeksFlowWeirdRowsWhenTunnelHeadersAreMalformed() throws Exception {
        List<Frame> frames = new ArrayList<>();
        byte[] inner = TunnelFrames.ipOf(TunnelFrames.readPcap(ZeekCase.load(CASE).trace()).get(0).data());
        // GRE version 3; then Geneve with nothing after its header (twice: logged once)
        frames.add(new Frame(1300000000, 0, TunnelFrames.ipFrame(V4_A, V4_B, 47,
                TunnelFrames.gre(0x0003, 0x0800, new byte[0], inner))));
        byte[] emptyGeneve = TunnelFrames.udpFrame(V6_A, V6_B, 50001, 6081, TunnelFrames.geneve(0x6558, 1, 0,
                new byte[0]), false);
        frames.add(new Frame(1300000001, 0, emptyGeneve));
        frames.add(new Frame(1300000002, 0, emptyGeneve));
        Path input = tmp.resolve("malformed.pcap");
        TunnelFrames.writePcap(input, frames);
        Path out = tmp.resolve("malformed");
        Engine.run(config(input, out), ProgressListener.NONE);
        ZeekLog weird = log(out, "weird");
        List<String> rows = weird.rows().stream().map(r -> String.join("\t", r)).toList();
        assertThat(rows).containsExactly(
                "1300000000.000000\t-\t10.99.0.1\t0\t10.99.0.2\t0\tunknown_gre_version\tversion=3\tF\tzeek\tGRE",
                "1300000001.000000\t-\t2001:db8::1\t0\t2001:db8::2\t0\tgeneve_empty_packet\t-\tF\tzeek\tGENEVE");
        ZeekLog conn = log(out, "conn");
        assertThat(conn.rows()).hasSize(1);
        assertThat(col(conn, conn.rows().get(0), "service")).isEqualTo("geneve");
        assertThat(log(out, "tunnel").rows()).isEmpty();
    }

    @Test
    void shouldMatchZeeksTeredoTunnelLogWhenRunningTheVendoredCase() throws Exception {
        ZeekCase zc = ZeekCase.load("teredo-tunnel");
        Path out = tmp.resolve("teredo");
        Engine.run(zc.config(out), ProgressListener.NONE);
        ZeekLog exp = ZeekLog.read(zc.expected("tunnel.log"));
        ZeekLog act = log(out, "tunnel");
        ZeekLog conn = log(out, "conn");
        List<String> expRows = new ArrayList<>();
        for (List<String> r : exp.rows()) {
            expRows.add(String.join("\t", r.subList(2, r.size())));
        }
        List<String> actRows = new ArrayList<>();
        for (List<String> r : act.rows()) {
            actRows.add(String.join("\t", r.subList(2, r.size())));
            // the uid is the outer connection's
            assertThat(conn.rows()).anySatisfy(c -> {
                assertThat(c.get(1)).isEqualTo(r.get(1));
                assertThat(c.get(2)).isEqualTo(r.get(2));
                assertThat(c.get(5)).isEqualTo(r.get(5));
            });
        }
        assertThat(actRows).containsExactlyInAnyOrderElementsOf(expRows);
        // the HTTP inside the tunnel: Zeek's http.log rows (ts masked as btest does, uid aside)
        ZeekLog expHttp = ZeekLog.read(zc.expected("http.log"));
        ZeekLog actHttp = log(out, "http");
        assertThat(maskedWithoutUid(actHttp)).containsExactlyInAnyOrderElementsOf(maskedWithoutUid(expHttp));
    }

    /** Rows with the first timestamp masked, without the uid and file id columns (random in Zeek). */
    private static List<String> maskedWithoutUid(ZeekLog log) {
        List<String> out = new ArrayList<>();
        for (List<String> r : log.rows()) {
            List<String> m = ZeekLog.maskFirstTimestamp(r);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < m.size(); i++) {
                if (!UNCOMPARED.contains(log.columns().get(i))) {
                    sb.append(m.get(i)).append('\t');
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void shouldWriteTheSameRecordsWithTwoWorkersAsWithOneWhenTrafficIsTunnelled() throws Exception {
        // one capture with two tunnels carrying different traffic (an inner flow seen through two
        // tunnels is tracked once per shard: the documented sharding limit)
        List<Frame> frames = new ArrayList<>();
        for (Frame f : TunnelFrames.readPcap(ZeekCase.load(CASE).trace())) {
            frames.add(new Frame(f.tsSeconds(), f.tsMicros(), Wrap.VXLAN_V6.wrap.apply(f.data())));
        }
        // the second capture is moved into the first one's time range: with gaps over an hour the
        // IP tunnel's EXPIRE would depend on which shard sees the later packets (time is per shard)
        List<Frame> second = TunnelFrames.readPcap(ZeekCase.load("http-pipelining").trace());
        long shift = frames.get(0).tsSeconds() - second.get(0).tsSeconds();
        for (Frame f : second) {
            frames.add(new Frame(f.tsSeconds() + shift, f.tsMicros(), Wrap.GRE_V4_ETHERNET.wrap.apply(f.data())));
        }
        frames.sort((x, y) -> x.tsSeconds() != y.tsSeconds() ? Long.compare(x.tsSeconds(), y.tsSeconds())
                : Integer.compare(x.tsMicros(), y.tsMicros()));
        Path input = tmp.resolve("two-tunnels.pcap");
        TunnelFrames.writePcap(input, frames);
        Path one = tmp.resolve("w1");
        Path two = tmp.resolve("w2");
        Engine.run(config(input, one).withWorkers(1), ProgressListener.NONE);
        Engine.run(config(input, two).withWorkers(2), ProgressListener.NONE);
        List<String> r1 = allRecords(one);
        List<String> r2 = allRecords(two);
        assertThat(r1).anyMatch(r -> r.startsWith("tunnel.log") && r.contains("Tunnel::GRE"));
        assertThat(r1).anyMatch(r -> r.startsWith("tunnel.log") && r.contains("Tunnel::VXLAN"));
        List<String> only1 = new ArrayList<>(r1);
        only1.removeAll(r2);
        List<String> only2 = new ArrayList<>(r2);
        only2.removeAll(r1);
        assertThat(only2).as("only with two workers; only with one: " + only1).isEmpty();
        assertThat(r2).containsExactlyElementsOf(r1);
    }

    private static List<String> allRecords(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        Path base = dir.resolve("default");
        try (Stream<Path> files = Files.list(base)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                for (String r : comparable(ZeekLog.read(f))) {
                    out.add(f.getFileName() + "\t" + r);
                }
            }
        }
        Collections.sort(out);
        return out;
    }
}
