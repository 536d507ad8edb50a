package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.PcapWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures over ICMP as Zeek's ICMP analyzer feeds them: each message's payload after the
 * 8-byte ICMP header, matched on its own (no begin-of-data symbol), header conditions on the
 * direction's first message.
 */
class SignatureIcmpTest {
    @TempDir
    Path tmp;

    /** Ethernet/802.1Q/IPv4/ICMP echo (checksums 0: runs ignore them). */
    static byte[] icmp(int vlan, byte[] src, byte[] dst, int type, int id, int seq, byte[] payload) {
        byte[] f = new byte[14 + 4 + 20 + 8 + payload.length];
        // Ethernet: dst mac, src mac, TPID 802.1Q; 802.1Q: TCI (VLAN id), inner EtherType IPv4
        f[0] = 0x02;
        f[6] = 0x02;
        f[12] = (byte) 0x81;
        f[14] = (byte) (vlan >> 8);
        f[15] = (byte) vlan;
        f[16] = 0x08;
        int ip = 18;
        // IPv4: version/IHL, total length, TTL 64, protocol ICMP, addresses
        f[ip] = 0x45;
        int total = 20 + 8 + payload.length;
        f[ip + 2] = (byte) (total >> 8);
        f[ip + 3] = (byte) total;
        f[ip + 8] = 64;
        f[ip + 9] = 1;
        System.arraycopy(src, 0, f, ip + 12, 4);
        System.arraycopy(dst, 0, f, ip + 16, 4);
        int icmp = ip + 20;
        // ICMP: type, code 0, checksum 0, identifier, sequence
        f[icmp] = (byte) type;
        f[icmp + 4] = (byte) (id >> 8);
        f[icmp + 5] = (byte) id;
        f[icmp + 6] = (byte) (seq >> 8);
        f[icmp + 7] = (byte) seq;
        System.arraycopy(payload, 0, f, icmp + 8, payload.length);
        return f;
    }

    @Test
    void shouldMatchIcmpPayloadsAndHeadersWhenTheTenantHasIcmpSignatures() throws Exception {
        byte[] c = {10, 10, 0, 1};
        byte[] s = {10, 10, 0, 2};
        byte[] secret = "..exfil:secret-data..".getBytes(StandardCharsets.ISO_8859_1);
        byte[] plain = "abcdefghijklmnopqrstuvwabcdefghi".getBytes(StandardCharsets.ISO_8859_1);
        Path pcap = tmp.resolve("icmp.pcap");
        try (PcapWriter w = new PcapWriter(pcap, 1, 65535)) {
            // one ping with ordinary padding and its reply, then one carrying data, and its reply
            w.write(1_700_000_000L, 0, icmp(10, c, s, 8, 7, 1, plain));
            w.write(1_700_000_000L, 1000, icmp(10, s, c, 0, 7, 1, plain));
            w.write(1_700_000_001L, 0, icmp(10, c, s, 8, 7, 2, secret));
            w.write(1_700_000_001L, 1000, icmp(10, s, c, 0, 7, 2, secret));
        }
        String sigs = """
                signature icmp-exfil {
                  ip-proto == icmp
                  payload /.*exfil:/
                  event "data in an echo"
                }
                signature icmp-anchored {
                  ip-proto == icmp
                  payload /^abc/
                  event "never: ICMP payloads have no begin-of-data symbol in Zeek"
                }
                signature icmp-first-is-request {
                  ip-proto == icmp
                  header icmp[0:1] == 8
                  payload /.*abc/
                  event "the originator's first message is an echo request"
                }
                """;
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", sigs, PolicyTraffic.INTEL);
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, PolicyTraffic.TENANTS);
        Path logs = tmp.resolve("logs");
        Engine.run(EngineConfig.of(List.of(pcap), logs).withTenants(tenants).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(policy, List.of(), List.of())), ProgressListener.NONE);

        List<String> rows = PolicyTraffic.rows(logs, "a", "signatures.log");
        assertThat(rows).anyMatch(r -> r.contains("\ticmp-exfil\t") && r.startsWith("1700000001.000000"));
        // fires once per connection (the echo request/reply pair is one ICMP connection)
        assertThat(rows).filteredOn(r -> r.contains("\ticmp-exfil\t")).hasSize(1);
        assertThat(rows).noneMatch(r -> r.contains("\ticmp-anchored\t"));
        assertThat(rows).filteredOn(r -> r.contains("\ticmp-first-is-request\t")).hasSize(1);
        assertThat(PolicyTraffic.rows(logs, "a", "conn.log")).singleElement().satisfies(r -> {
            String[] f = r.split("\t");
            assertThat(f[6]).isEqualTo("icmp");
            assertThat(f[7]).as("no service over ICMP").isEqualTo("-");
        });
    }
}
