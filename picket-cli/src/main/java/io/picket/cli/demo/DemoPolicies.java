package io.picket.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's tenant policy bundles ({@code DIR/<tenant>/...}), written next to the demo capture:
 * acme gets a signature, an intel item and a notice of its own; umbrella, which carries the same
 * traffic, gets log filters only, so the two tenants' logs show what a policy changes.
 */
public final class DemoPolicies {
    private DemoPolicies() {
    }

    /** Writes the bundles under {@code dir} and returns it. */
    public static Path write(Path dir) throws IOException {
        Path acme = dir.resolve("acme");
        Files.createDirectories(acme.resolve("signatures"));
        Files.createDirectories(acme.resolve("intel"));
        Files.writeString(acme.resolve("signatures/demo.sig"), """
                # Zeek's signature language: image requests over plain HTTP
                signature demo-http-image {
                  ip-proto == tcp
                  dst-port == 80
                  http-request /.*\\.(png|jpg|gif)/
                  event "image fetched over plain HTTP"
                }
                """);
        Files.writeString(acme.resolve("intel/demo.dat"), """
                #fields\tindicator\tindicator_type\tmeta.source\tmeta.do_notice
                upload.wikimedia.org\tIntel::DOMAIN\tpicket-demo\tT
                """);
        Files.writeString(acme.resolve("notice.yaml"), """
                # Zeek's notice policy, and a notice of acme's own written in CEL over conn.log rows
                suppression_intervals:
                  Signatures::Sensitive_Signature: 1hr
                notices:
                  - note: Demo::Large_Response
                    log: conn
                    when: 'resp_bytes != null && resp_bytes > 700'
                    msg: '"large response from " + id.resp_h'
                    identifier: 'id.resp_h'
                """);
        Path umbrella = dir.resolve("umbrella");
        Files.createDirectories(umbrella);
        Files.writeString(umbrella.resolve("filters.yaml"), """
                # which rows and columns umbrella's logs keep (Zeek's Log::Filter, predicates in CEL)
                dns:
                  - name: no-aaaa
                    drop: qtype_name == "AAAA"
                conn:
                  - name: slim
                    exclude: [community_id, vlan]
                """);
        return dir;
    }
}
