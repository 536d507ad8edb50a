package io.picket.cli;

import static io.picket.cli.CliRun.picket;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @TempDir
    Path tmp;



    private Path trace(String name) throws Exception {
        Path copy = tmp.resolve(name + ".pcap");
        try (var in = RunCommandTest.class.getResourceAsStream("/zeek/" + name + "/trace.pcap")) {
            Files.copy(in, copy);
        }
        return copy;
    }

    @Test
    void shouldListCommandsWhenAskedForHelp() {
        Result r = picket("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("run").contains("demo");
    }

    @Test
    void shouldWriteTenantLogsWhenReadingATrace() throws Exception {
        Path logs = tmp.resolve("logs");
        Result r = picket("run", "--read", trace("tcp-rej-pop3").toString(), "--logs", logs.toString(),
                "--uid-seed", "7");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> conn = Files.readAllLines(logs.resolve("default/conn.log"));
        assertThat(conn).anyMatch(l -> l.startsWith("#fields\tts\tuid"));
        assertThat(conn.stream().filter(l -> !l.startsWith("#"))).hasSize(11);
        assertThat(r.out()).contains("default").contains("(unassigned)");
    }

    @Test
    void shouldRejectRunmodeOptionsWhenTheyCannotApply() throws Exception {
        String trace = trace("tcp-rej-pop3").toString();
        Path logs = tmp.resolve("logs");
        Result bad = picket("run", "--read", trace, "--logs", logs.toString(), "--runmode", "fast");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--runmode must be workers or autofp, not 'fast'");
        Result files = picket("run", "--read", trace, "--logs", logs.toString(), "--runmode", "autofp");
        assertThat(files.status()).isEqualTo(2);
        assertThat(files.err()).contains("--runmode autofp is for live capture");
        Result threads = picket("run", "--interface", "lo", "--logs", logs.toString(), "--runmode", "autofp",
                "--capture-threads", "0");
        assertThat(threads.status()).isEqualTo(2);
        assertThat(threads.err()).contains("--capture-threads must be between 1 and 64, not 0");
        Result queue = picket("run", "--interface", "lo", "--logs", logs.toString(), "--runmode", "autofp",
                "--queue-size", "1KiB");
        assertThat(queue.status()).isEqualTo(2);
        assertThat(queue.err()).contains("--queue-size must be from 64KiB to 16GiB, not '1KiB'");
    }

    @Test
    void shouldWriteJsonWhenFormatIsJson() throws Exception {
        Path logs = tmp.resolve("logs");
        Result r = picket("run", "-r", trace("tcp-rej-pop3").toString(), "--logs", logs.toString(), "--format",
                "json");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> conn = Files.readAllLines(logs.resolve("default/conn.log"));
        assertThat(conn).hasSize(11).allMatch(l -> l.startsWith("{\"ts\":"));
    }

    @Test
    void shouldFailWithOneClearLineWhenTheFileIsMissing() {
        Result r = picket("run", "--read", tmp.resolve("nope.pcap").toString(), "--logs", tmp.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("nope.pcap").contains("offset 0").doesNotContain("Exception");
    }

    @Test
    void shouldFailWithOffsetAndProblemWhenTheFileIsNotACapture() throws Exception {
        Path bad = tmp.resolve("bad.pcap");
        Files.writeString(bad, "this is not a capture file at all");
        Result r = picket("run", "--read", bad.toString(), "--logs", tmp.resolve("l").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith(bad.toString() + ": offset 0: not a pcap or pcapng file");
    }

    @Test
    void shouldWarnAndKeepWhatWasReadWhenTheLastRecordIsTruncated() throws Exception {
        Path full = trace("tcp-rej-pop3");
        byte[] bytes = Files.readAllBytes(full);
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        Path logs = tmp.resolve("logs");
        Result r = picket("run", "--read", cut.toString(), "--logs", logs.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err()).contains("warning: ").contains("truncated record at offset");
        assertThat(Files.readAllLines(logs.resolve("default/conn.log")).stream().filter(l -> !l.startsWith("#")))
                .hasSize(11);
    }

    @Test
    void shouldRejectAnUnknownLinkType() throws Exception {
        Path odd = tmp.resolve("odd.pcap");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(147);
        Files.write(odd, b.array());
        Result r = picket("run", "--read", odd.toString(), "--logs", tmp.resolve("l").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("odd.pcap").contains("unsupported link type 147");
    }

    @Test
    void shouldNameFileLineAndReasonWhenTenantsFileIsInvalid() throws Exception {
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: a
                    vlans: [10]
                  - id: b
                    vlans: [10]
                    colour: red
                """);
        Result r = picket("run", "--read", trace("tcp-rej-pop3").toString(), "--logs", tmp.resolve("l").toString(),
                "--tenants", tenants.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("tenants.yaml:5:").contains("tenants.yaml:6:");
    }

    @Test
    void shouldRejectABadFormatValue() throws Exception {
        Result r = picket("run", "--read", trace("tcp-rej-pop3").toString(), "--logs", tmp.toString(), "--format",
                "xml");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--format must be tsv or json");
    }
}
