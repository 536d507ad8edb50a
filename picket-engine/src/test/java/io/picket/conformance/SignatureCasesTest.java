package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zeek's signature cases: the btest prints one line per {@code signature_match} event
 * ({@code signature match, <msg>, <data>}, sorted); we rebuild those lines from our
 * signatures.log ({@code event_msg}, {@code sub_msg}) and compare.
 */
class SignatureCasesTest {

    @TempDir
    Path tmp;

    private List<String> lines(String name) throws Exception {
        ZeekCase zc = ZeekCase.load(name);
        Path out = tmp.resolve(name);
        Engine.run(zc.config(out), ProgressListener.NONE);
        Path sig = out.resolve("default/signatures.log");
        List<String> lines = new ArrayList<>();
        if (Files.exists(sig)) {
            ZeekLog log = ZeekLog.read(sig);
            int note = log.columns().indexOf("note");
            int msg = log.columns().indexOf("event_msg");
            int sub = log.columns().indexOf("sub_msg");
            int src = log.columns().indexOf("src_addr");
            for (List<String> row : log.rows()) {
                if (!row.get(note).equals("Signatures::Sensitive_Signature")) {
                    continue; // the multi-signature summary rows are not signature_match events
                }
                // signatures.log writes event_msg as "<src_addr>: <msg>" (base/frameworks/signatures)
                String m = row.get(msg).substring(row.get(src).length() + 2);
                lines.add("signature match, " + m + ", " + row.get(sub));
            }
        }
        lines.sort(null);
        return lines;
    }

    private static List<String> expected(String name) throws Exception {
        List<String> l = new ArrayList<>(Files.readAllLines(ZeekCase.load(name).expected("signature_match.out")));
        l.removeIf(s -> s.startsWith("### BTest") || s.isBlank());
        return l;
    }

    @Test
    void shouldMatchSignaturesPerUdpDatagramLikeZeek() throws Exception {
        assertThat(lines("signatures-udp-packetwise")).containsExactlyElementsOf(expected("signatures-udp-packetwise"));
    }
}
