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
        System.out.println(Files.readString(out.resolve("default/notice.log")));
    }
}
