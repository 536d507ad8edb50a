package io.picket.policy.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.policy.PolicyException;
import io.picket.policy.bundle.PolicyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NoticeBundleTest {

    private static Path dir(String name) throws Exception {
        Path d = Path.of(System.getProperty("java.io.tmpdir"), "notice-bundle-" + name + "-" + System.nanoTime());
        Files.createDirectories(d.resolve("signatures"));
        return d;
    }

    @Test
    void shouldUseZeekDefaultsWhenBundleHasNoNoticeYaml() throws Exception {
        assertThat(PolicyBundle.load(dir("none")).notices()).isEqualTo(NoticePolicy.DEFAULT);
    }

    @Test
    void shouldLoadNoticeYamlWhenPresent() throws Exception {
        Path d = dir("some");
        Files.writeString(d.resolve("notice.yaml"), "ssh_bruteforcing:\n  password_guesses_limit: 10\n");
        assertThat(PolicyBundle.load(d).notices().passwordGuessesLimit()).isEqualTo(10.0);
    }

    @Test
    void shouldListNoticeYamlErrorsWithOtherFilesWhenBundleIsBad() throws Exception {
        Path d = dir("bad");
        Files.writeString(d.resolve("notice.yaml"), "scan:\n  enabled: maybe\n");
        Files.writeString(d.resolve("signatures/a.sig"), "signature x { bogus }\n");
        assertThatThrownBy(() -> PolicyBundle.load(d)).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).errors()).hasSize(2)
                        .anySatisfy(x -> assertThat(x.toString())
                                .isEqualTo("notice.yaml:2:12: enabled must be true or false, got the string 'maybe'")));
    }
}
