package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.PolicyConfig;
import io.picket.engine.ProgressListener;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notice.log against Zeek's own baselines and on captures built by the test. */
class NoticeCasesTest {

    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(NoticeCasesTest.class.getResource("/notice/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldWriteZeeksPasswordGuessingNoticeWhenSshguessIsReplayed() throws Exception {
        Path dir = resource("ssh-sshguess");
        Path out = tmp.resolve("sshguess");
        Engine.run(EngineConfig.of(List.of(dir.resolve("sshguess.pcap")), out).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(dir.resolve("policy"), List.of(), List.of())), ProgressListener.NONE);
        ZeekLog ours = ZeekLog.read(out.resolve("default/notice.log"));
        ZeekLog zeek = ZeekLog.read(dir.resolve("notice.log"));
        assertThat(ours.rows()).hasSize(zeek.rows().size()).hasSize(1);
        for (String col : zeek.columns()) {
            if (col.equals("ts")) {
                continue; // masked in the baseline
            }
            assertThat(ours.columns()).contains(col);
            assertThat(ours.rows().get(0).get(ours.columns().indexOf(col))).as(col)
                    .isEqualTo(zeek.rows().get(0).get(zeek.columns().indexOf(col)));
        }
        assertThat(ours.rows().get(0).get(ours.columns().indexOf("email_dest"))).isEqualTo("(empty)");
    }

    /**
     * Signatures::Sensitive_Signature per signature match (base/frameworks/signatures, action
     * SIG_ALARM by default): one notice per Zeek signature_match line of the case, each consistent
     * with its signatures.log row and the connection's conn.log row (id, p = id.resp_p, proto).
     */
    @Test
    void shouldRaiseSensitiveSignatureNoticePerMatchWhenSignaturesFire() throws Exception {
        ZeekCase zc = ZeekCase.load("signatures-udp-packetwise");
        Path out = tmp.resolve("sig");
        Engine.run(zc.config(out), ProgressListener.NONE);
        ZeekLog notice = ZeekLog.read(out.resolve("default/notice.log"));
        ZeekLog conn = ZeekLog.read(out.resolve("default/conn.log"));
        List<String> nc = notice.columns();
        List<String> cc = conn.columns();
        List<String> lines = new ArrayList<>();
        List<String> multiple = new ArrayList<>();
        for (List<String> row : notice.rows()) {
            String note = row.get(nc.indexOf("note"));
            if (note.equals("Signatures::Multiple_Signatures")) {
                multiple.add(String.join("|", row.subList(nc.indexOf("uid"), nc.indexOf("suppress_for") + 1)));
                continue;
            }
            assertThat(note).isEqualTo("Signatures::Sensitive_Signature");
            List<String> c = conn.rows().stream().filter(r -> r.get(cc.indexOf("uid")).equals(row.get(nc.indexOf("uid"))))
                    .findFirst().orElseThrow();
            for (String f : List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto")) {
                assertThat(row.get(nc.indexOf(f))).as(f).isEqualTo(c.get(cc.indexOf(f)));
            }
            assertThat(row.get(nc.indexOf("p"))).isEqualTo(c.get(cc.indexOf("id.resp_p")));
            assertThat(row.get(nc.indexOf("src"))).isEqualTo("10.0.0.1");
            assertThat(row.get(nc.indexOf("dst"))).isEqualTo("10.0.0.2");
            assertThat(row.get(nc.indexOf("n"))).isEqualTo("-");
            assertThat(row.get(nc.indexOf("actions"))).isEqualTo("Notice::ACTION_LOG");
            assertThat(row.get(nc.indexOf("suppress_for"))).isEqualTo("3600.000000");
            String msg = row.get(nc.indexOf("msg"));
            assertThat(msg).startsWith("10.0.0.1: ");
            lines.add("signature match, " + msg.substring("10.0.0.1: ".length()) + ", " + row.get(nc.indexOf("sub")));
        }
        lines.sort(null);
        List<String> expected = new ArrayList<>(Files.readAllLines(zc.expected("signature_match.out")));
        expected.removeIf(x -> x.startsWith("### BTest") || x.isBlank());
        assertThat(lines).containsExactlyElementsOf(expected);
        // six signatures from 10.0.0.1 on 10.0.0.2: Zeek's vertical threshold 5 is crossed once
        assertThat(multiple).containsExactly("-|-|-|-|-|-|-|-|-|Signatures::Multiple_Signatures|"
                + "5 different signatures triggered|10.0.0.1 has triggered 5 different signatures on host 10.0.0.2|"
                + "10.0.0.1|10.0.0.2|-|5|-|Notice::ACTION_LOG|(empty)|3600.000000");
    }
}
