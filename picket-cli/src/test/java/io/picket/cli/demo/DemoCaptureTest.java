package io.picket.cli.demo;

import io.picket.capture.CaptureFiles;
import io.picket.capture.LinkTypes;
import io.picket.capture.PacketSource;
import io.picket.capture.RawPacket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoCaptureTest {
    private static final long BASE_MICROS = DemoCapture.BASE_EPOCH_SECONDS * 1_000_000L;

    @TempDir
    static Path dir;

    private static DemoCapture.Result result;
    private static List<Frame> frames;

    record Frame(long tsMicros, byte[] bytes, int wireLength) {
        /** Key naming the frame's tags, e.g. "8100/1000" or "88a8/300 8100/1002". */
        String vlanKey() {
            StringBuilder key = new StringBuilder();
            int at = 12;
            while (DemoCapture.isVlanTpid(u16(bytes, at))) {
                if (!key.isEmpty()) {
                    key.append(' ');
                }
                key.append(Integer.toHexString(u16(bytes, at))).append('/').append(u16(bytes, at + 2) & 0x0FFF);
                at += 4;
            }
            return key.toString();
        }
    }

    @BeforeAll
    static void build() throws Exception {
        result = DemoCapture.build(dir.resolve("first"));
        frames = read(result.pcap());
    }

    @Test
    void shouldWriteEverySeedFrameOncePerCopyWhenBuilt() throws Exception {
        long acme = seedPackets("zeek-wikipedia.pcap");
        long globex = seedPackets("zeek-ssh_single-conn.pcap") + seedPackets("zeek-tls_tls1.2.pcap");
        long initech = seedPackets("zeek-dns_long-connection.pcap") + seedPackets("zeek-icmp_5-pings.pcap");
        long unassigned = seedPackets("zeek-dns-two-responses.pcap");

        long expected = acme * 2 + globex + initech + unassigned;

        assertThat(expected).isEqualTo(136 * 2 + (94 + 22) + (22 + 10) + 3);
        assertThat(frames).hasSize((int) expected);
        assertThat(result.totalPackets()).isEqualTo(expected);
        assertThat(result.unassignedPackets()).isEqualTo(unassigned);
        assertThat(result.tenants()).containsExactly(
                new DemoCapture.Tenant("acme", "802.1Q 1000", "HTTP + DNS", acme),
                new DemoCapture.Tenant("globex", "802.1Q 1001", "SSH + TLS", globex),
                new DemoCapture.Tenant("initech", "802.1ad 300 / 802.1Q 1002 (inner)", "DNS + ICMP", initech),
                new DemoCapture.Tenant("umbrella", "802.1Q 1003", "copy of acme (same IP addresses)", acme));
    }

    @Test
    void shouldCarryTenantTagsWhenCountedPerVlan() {
        Map<String, Long> perVlan = new LinkedHashMap<>();
        for (Frame f : frames) {
            perVlan.merge(f.vlanKey(), 1L, Long::sum);
        }

        assertThat(perVlan).containsOnly(
                Map.entry("8100/1000", 136L),
                Map.entry("8100/1001", 116L),
                Map.entry("88a8/300 8100/1002", 32L),
                Map.entry("8100/1003", 136L),
                Map.entry("8100/999", 3L));
    }

    @Test
    void shouldStackOuter8021adAndInner8021qWhenInitech() {
        List<Frame> initech = withVlanKey("88a8/300 8100/1002");

        assertThat(initech).hasSize(32).allSatisfy(f -> {
            byte[] b = f.bytes();
            assertThat(u16(b, 12)).isEqualTo(0x88a8); // outer TPID (802.1ad)
            assertThat(u16(b, 14)).isEqualTo(300);    // outer TCI: PCP 0, DEI 0, VID 300
            assertThat(u16(b, 16)).isEqualTo(0x8100); // inner TPID (802.1Q)
            assertThat(u16(b, 18)).isEqualTo(1002);   // inner TCI: PCP 0, DEI 0, VID 1002
            assertThat(u16(b, 20)).isEqualTo(0x0800); // ethertype IPv4
        });
    }

    @Test
    void shouldKeepTimestampsNonDecreasingWhenMerged() {
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).tsMicros()).as("frame %d", i).isGreaterThanOrEqualTo(frames.get(i - 1).tsMicros());
        }
        assertThat(frames.getFirst().tsMicros()).isEqualTo(BASE_MICROS + 100_000);
    }

    @Test
    void shouldStartEachTenantAtItsOffsetWhenShifted() {
        assertThat(withVlanKey("8100/1000").getFirst().tsMicros()).isEqualTo(BASE_MICROS + 100_000);
        assertThat(withVlanKey("8100/1001").getFirst().tsMicros()).isEqualTo(BASE_MICROS + 200_000);
        assertThat(withVlanKey("88a8/300 8100/1002").getFirst().tsMicros()).isEqualTo(BASE_MICROS + 300_000);
        assertThat(withVlanKey("8100/1003").getFirst().tsMicros()).isEqualTo(BASE_MICROS + 400_000);
        assertThat(withVlanKey("8100/999").getFirst().tsMicros()).isEqualTo(BASE_MICROS + 500_000);
    }

    @Test
    void shouldKeepSeedFramesAndSpacingWhenTagged() throws Exception {
        List<Frame> seed = readResource("zeek-wikipedia.pcap");
        List<Frame> acme = withVlanKey("8100/1000");

        assertThat(acme).hasSameSizeAs(seed);
        for (int i = 0; i < seed.size(); i++) {
            byte[] tagged = acme.get(i).bytes();
            byte[] untagged = new byte[tagged.length - 4];
            System.arraycopy(tagged, 0, untagged, 0, 12);
            System.arraycopy(tagged, 16, untagged, 12, tagged.length - 16);
            assertThat(untagged).as("frame %d", i).isEqualTo(seed.get(i).bytes());
            assertThat(acme.get(i).wireLength()).isEqualTo(seed.get(i).wireLength() + 4);
            assertThat(acme.get(i).tsMicros() - acme.getFirst().tsMicros())
                    .isEqualTo(seed.get(i).tsMicros() - seed.getFirst().tsMicros());
        }
    }

    @Test
    void shouldEqualAcmeFramesExceptVlanIdWhenUmbrella() {
        List<Frame> acme = withVlanKey("8100/1000");
        List<Frame> umbrella = withVlanKey("8100/1003");

        assertThat(umbrella).hasSameSizeAs(acme);
        for (int i = 0; i < acme.size(); i++) {
            byte[] a = acme.get(i).bytes();
            byte[] u = umbrella.get(i).bytes().clone();
            u[14] = a[14]; // TCI high byte (PCP, DEI, VID high bits)
            u[15] = a[15]; // TCI low byte (VID low bits)
            assertThat(u).as("frame %d", i).isEqualTo(a);
            assertThat(umbrella.get(i).tsMicros()).isEqualTo(acme.get(i).tsMicros() + 300_000);
        }
    }

    @Test
    void shouldWriteIdenticalBytesWhenBuiltTwice() throws Exception {
        DemoCapture.Result again = DemoCapture.build(dir.resolve("second"));

        assertThat(Files.readAllBytes(again.pcap())).isEqualTo(Files.readAllBytes(result.pcap()));
        assertThat(Files.readAllBytes(again.tenantsYaml())).isEqualTo(Files.readAllBytes(result.tenantsYaml()));
        assertThat(again).isEqualTo(new DemoCapture.Result(again.pcap(), again.tenantsYaml(),
                result.tenants(), result.unassignedPackets(), result.totalPackets()));
    }

    @Test
    void shouldCopyTenantsTemplateWhenBuilt() throws Exception {
        byte[] template;
        try (InputStream in = DemoCapture.class.getResourceAsStream("/demo/tenants.yaml")) {
            template = in.readAllBytes();
        }
        String yaml = Files.readString(result.tenantsYaml());

        assertThat(result.tenantsYaml().getFileName()).hasToString("tenants.yaml");
        assertThat(Files.readAllBytes(result.tenantsYaml())).isEqualTo(template);
        assertThat(yaml).startsWith("tenants:\n")
                .contains("  - id: acme\n    vlans: [1000]\n")
                .contains("  - id: globex\n    vlans: [1001]\n")
                .contains("  - id: initech\n    vlans: [1002]\n    vlan_tag: inner\n")
                .contains("  - id: umbrella\n    vlans: [1003]\n")
                .doesNotContain("999");
    }

    @Test
    void shouldReplaceExistingTagsWhenRetagging() {
        byte[] frame = {
                1, 2, 3, 4, 5, 6,                    // destination MAC
                7, 8, 9, 10, 11, 12,                 // source MAC
                (byte) 0x88, (byte) 0xa8, 0x00, 0x05, // 802.1ad tag, VID 5
                (byte) 0x81, 0x00, 0x20, 0x00,       // 802.1Q tag, PCP 1, VID 0
                0x08, 0x00,                          // ethertype IPv4
                0x45, 0x00                           // start of the IPv4 header
        };

        byte[] out = DemoCapture.retag(frame, new int[] {0x8100, 1003});

        assertThat(out).containsExactly(
                1, 2, 3, 4, 5, 6,                    // destination MAC
                7, 8, 9, 10, 11, 12,                 // source MAC
                (byte) 0x81, 0x00, 0x03, (byte) 0xeb, // 802.1Q tag, VID 1003
                0x08, 0x00,                          // ethertype IPv4
                0x45, 0x00);                         // start of the IPv4 header
    }

    @Test
    void shouldTagLengthFieldFramesWhenNotEthernetII() {
        byte[] frame = {
                1, 2, 3, 4, 5, 6,                    // destination MAC
                7, 8, 9, 10, 11, 12,                 // source MAC
                0x00, 0x27,                          // 802.3 length 39
                0x42, 0x42, 0x03                     // LLC: DSAP, SSAP (STP), control
        };

        byte[] out = DemoCapture.retag(frame, new int[] {0x88a8, 300, 0x8100, 1002});

        assertThat(out).containsExactly(
                1, 2, 3, 4, 5, 6,                    // destination MAC
                7, 8, 9, 10, 11, 12,                 // source MAC
                (byte) 0x88, (byte) 0xa8, 0x01, 0x2c, // 802.1ad tag, VID 300
                (byte) 0x81, 0x00, 0x03, (byte) 0xea, // 802.1Q tag, VID 1002
                0x00, 0x27,                          // 802.3 length 39
                0x42, 0x42, 0x03);                   // LLC: DSAP, SSAP (STP), control
    }

    @Test
    void shouldRejectFrameWhenShorterThanEthernetHeader() {
        assertThatThrownBy(() -> DemoCapture.retag(new byte[13], new int[] {0x8100, 1000}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Frame> withVlanKey(String key) {
        return frames.stream().filter(f -> f.vlanKey().equals(key)).toList();
    }

    private static long seedPackets(String seed) throws Exception {
        return readResource(seed).size();
    }

    private static List<Frame> readResource(String seed) throws Exception {
        try (InputStream in = DemoCapture.class.getResourceAsStream("/demo/traffic/" + seed)) {
            assertThat(in).as(seed).isNotNull();
            try (PacketSource source = CaptureFiles.open(seed, MemorySegment.ofArray(in.readAllBytes()))) {
                return drain(source);
            }
        }
    }

    private static List<Frame> read(Path pcap) throws Exception {
        try (PacketSource source = CaptureFiles.open(pcap)) {
            return drain(source);
        }
    }

    private static List<Frame> drain(PacketSource source) throws Exception {
        List<Frame> out = new ArrayList<>();
        RawPacket p = new RawPacket();
        while (source.next(p)) {
            assertThat(p.linkType).isEqualTo(LinkTypes.ETHERNET);
            out.add(new Frame(p.timeMicros(),
                    p.segment.asSlice(p.offset, p.capturedLength).toArray(ValueLayout.JAVA_BYTE), p.wireLength));
        }
        assertThat(source.warnings()).isEmpty();
        return out;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }
}
