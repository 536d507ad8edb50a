package io.picket.flow.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.LinkTypes;
import io.picket.capture.PcapWriter;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.PolicyTraffic;
import io.picket.engine.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * Parking the expire checks of a TCP connection while they cannot remove it (instead of re-arming
 * them every tcp_session_timer as Zeek does) changes nothing a log shows: random connections —
 * handshakes, data, FINs and RSTs from either side, half-closed connections, idle gaps around
 * the linger, session-timer and inactivity thresholds — give the same conn.log, rows in the same
 * order (the order connections are removed in), with parking on and off.
 */
class ExpireParkingTest {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;

    private enum Step { SYN, SYN_ACK, ACK, DATA_ORIG, DATA_RESP, FIN_ORIG, FIN_RESP, RST_ORIG, RST_RESP }

    private record Event(Step step, double gap) {
    }

    private record Frame(double time, byte[] bytes) {
    }

    private final List<Path> made = new ArrayList<>();

    @AfterTry
    void cleanUp() throws IOException {
        for (Path p : made.reversed()) {
            if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
        made.clear();
    }

    @Provide
    Arbitrary<List<List<Event>>> connections() {
        Arbitrary<Double> gap = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.doubles().between(0.0001, 1).ofScale(4)),
                net.jqwik.api.Tuple.of(3, Arbitraries.doubles().between(4, 7.5).ofScale(3)), // linger, session timer
                net.jqwik.api.Tuple.of(2, Arbitraries.doubles().between(8, 40).ofScale(2)),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(60, 400).ofScale(1))); // inactivity
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(Step.SYN, Step.SYN_ACK, Step.ACK)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(Step.DATA_ORIG, Step.DATA_RESP)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(Step.FIN_ORIG, Step.FIN_RESP)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Step.RST_ORIG, Step.RST_RESP)));
        Arbitrary<Event> event = Combinators.combine(step, gap).as(Event::new);
        Arbitrary<List<Event>> body = event.list().ofMinSize(1).ofMaxSize(14);
        Arbitrary<List<Event>> conn = Combinators.combine(Arbitraries.of(true, true, true, false), body,
                Arbitraries.doubles().between(0, 30).ofScale(3)).as((handshake, rest, start) -> {
                    List<Event> all = new ArrayList<>();
                    if (handshake) {
                        all.add(new Event(Step.SYN, start));
                        all.add(new Event(Step.SYN_ACK, 0.01));
                        all.add(new Event(Step.ACK, 0.01));
                    } else {
                        all.add(new Event(rest.getFirst().step(), start));
                    }
                    all.addAll(rest);
                    return all;
                });
        return conn.list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 60)
    void shouldLogTheSameConnectionsInTheSameOrderWhetherExpireChecksParkOrNot(
            @ForAll("connections") List<List<Event>> connections) throws Exception {
        Path dir = Files.createTempDirectory("park");
        made.add(dir);
        Path pcap = write(dir.resolve("t.pcap"), connections);
        Path tenants = Files.writeString(dir.resolve("tenants.yaml"), """
                tenants:
                  - id: a
                    vlans: [1000]
                """, StandardCharsets.UTF_8);
        boolean saved = TcpSession.parkExpireChecks;
        try {
            TcpSession.parkExpireChecks = false;
            List<String> everyCheck = conn(run(pcap, tenants, dir.resolve("every")));
            TcpSession.parkExpireChecks = true;
            List<String> parked = conn(run(pcap, tenants, dir.resolve("parked")));
            assertThat(parked).isEqualTo(everyCheck);
        } finally {
            TcpSession.parkExpireChecks = saved;
        }
    }

    private static Path run(Path pcap, Path tenants, Path logs) throws Exception {
        Engine.run(new EngineConfig(List.of(pcap), logs, tenants, false, false, 1L, true, false, false, false,
                Set.of(), 1), ProgressListener.NONE);
        return logs.resolve("a").resolve("conn.log");
    }

    private static List<String> conn(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> !l.startsWith("#")).toList();
    }

    private static Path write(Path file, List<List<Event>> connections) throws IOException {
        List<Frame> frames = new ArrayList<>();
        byte[] server = {10, 0, 0, 1};
        for (int i = 0; i < connections.size(); i++) {
            byte[] client = {10, 1, (byte) (i >> 8), (byte) (i + 2)};
            int cport = 40_000 + i;
            long cseq = 1000L * (i + 1);
            long sseq = 900_000L * (i + 1);
            double t = 1_600_000_000.0;
            for (Event e : connections.get(i)) {
                t += e.gap();
                byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
                byte[] none = new byte[0];
                byte[] f = switch (e.step()) {
                    case SYN -> PolicyTraffic.tcp(1000, client, server, cport, 80, cseq++, 0, SYN, none);
                    case SYN_ACK -> PolicyTraffic.tcp(1000, server, client, 80, cport, sseq++, cseq, SYN | ACK, none);
                    case ACK -> PolicyTraffic.tcp(1000, client, server, cport, 80, cseq, sseq, ACK, none);
                    case DATA_ORIG -> {
                        byte[] b = PolicyTraffic.tcp(1000, client, server, cport, 80, cseq, sseq, ACK | PSH, data);
                        cseq += data.length;
                        yield b;
                    }
                    case DATA_RESP -> {
                        byte[] b = PolicyTraffic.tcp(1000, server, client, 80, cport, sseq, cseq, ACK | PSH, data);
                        sseq += data.length;
                        yield b;
                    }
                    case FIN_ORIG -> PolicyTraffic.tcp(1000, client, server, cport, 80, cseq++, sseq, FIN | ACK, none);
                    case FIN_RESP -> PolicyTraffic.tcp(1000, server, client, 80, cport, sseq++, cseq, FIN | ACK, none);
                    case RST_ORIG -> PolicyTraffic.tcp(1000, client, server, cport, 80, cseq, sseq, RST | ACK, none);
                    case RST_RESP -> PolicyTraffic.tcp(1000, server, client, 80, cport, sseq, cseq, RST | ACK, none);
                };
                frames.add(new Frame(t, f));
            }
        }
        frames.sort(Comparator.comparingDouble(Frame::time));
        try (PcapWriter w = new PcapWriter(file, LinkTypes.ETHERNET, 65_535)) {
            for (Frame f : frames) {
                long micros = Math.round(f.time() * 1e6);
                w.write(micros / 1_000_000, (int) (micros % 1_000_000), f.bytes());
            }
        }
        return file;
    }
}
