package io.picket.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tukaani.xz.XZInputStream;

/**
 * The vendored 16 MiB benchmark captures ({@code src/test/resources/zeek-bench/}), unpacked
 * into {@code target/tmp/zeek-bench/} on first use and checked against the sha256 of the
 * generator's output. The distinct-address capture is stored xz-compressed; the shared-address
 * one as an xz-compressed byte-wise XOR against the distinct one (both files have the same
 * length and differ only in the addresses of the second copy). Test-only; methods are
 * synchronized and fail with {@link IOException} when a resource is missing or a hash differs.
 */
final class BenchCapture {

    static final String DISTINCT_SHA256 = "2a99f303e46114c0fbd1396df8db67215adead002b3e94229f498d10127d9952";
    static final String SHARED_SHA256 = "40bb4d0b0dbf05e426a6f4bc05faf9f004a61a262d8676bb1349833ed346c79e";

    private BenchCapture() {
    }

    /** The resource folder {@code zeek-bench/}. */
    static Path resources() {
        try {
            return Path.of(BenchCapture.class.getResource("/zeek-bench/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path workDir() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("zeek-bench");
        Files.createDirectories(dir);
        return dir;
    }

    /** {@code IP_MODE=distinct ./make-bench-pcap.sh seeds OUT 16M 8}, 42,752 packets. */
    static synchronized Path distinct() throws IOException {
        Path out = workDir().resolve("bench-16M.pcap");
        if (Files.exists(out) && sha256(out).equals(DISTINCT_SHA256)) {
            return out;
        }
        Path part = workDir().resolve("bench-16M.pcap.part");
        try (InputStream in = new XZInputStream(Files.newInputStream(resources().resolve("bench-16M.pcap.xz")));
                OutputStream os = Files.newOutputStream(part)) {
            in.transferTo(os);
        }
        return verifiedMove(part, out, DISTINCT_SHA256);
    }

    /** {@code IP_MODE=shared ./make-bench-pcap.sh seeds OUT 16M 8}: same 5-tuples on VLANs 1000 and 1001. */
    static synchronized Path shared() throws IOException {
        Path out = workDir().resolve("bench-16M-shared.pcap");
        if (Files.exists(out) && sha256(out).equals(SHARED_SHA256)) {
            return out;
        }
        byte[] base = Files.readAllBytes(distinct());
        byte[] delta;
        try (InputStream in = new XZInputStream(
                Files.newInputStream(resources().resolve("bench-16M-shared.xor.xz")))) {
            delta = in.readAllBytes();
        }
        if (delta.length != base.length) {
            throw new IOException("shared delta has " + delta.length + " bytes, capture " + base.length);
        }
        for (int i = 0; i < base.length; i++) {
            base[i] ^= delta[i];
        }
        Path part = workDir().resolve("bench-16M-shared.pcap.part");
        Files.write(part, base);
        return verifiedMove(part, out, SHARED_SHA256);
    }

    private static Path verifiedMove(Path part, Path out, String sha) throws IOException {
        String got = sha256(part);
        if (!got.equals(sha)) {
            throw new IOException(out.getFileName() + ": sha256 " + got + ", expected " + sha);
        }
        return Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
