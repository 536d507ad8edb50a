package io.picket.analyzer.ssh;

import static io.picket.analyzer.ssh.SshMessages.ascii;
import static io.picket.analyzer.ssh.SshMessages.banner;
import static io.picket.analyzer.ssh.SshMessages.concat;
import static io.picket.analyzer.ssh.SshMessages.kexinit;
import static io.picket.analyzer.ssh.SshMessages.newkeys;
import static io.picket.analyzer.ssh.SshMessages.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SshAnalyzerTest {

    private static final String KEX = "curve25519-sha256,ecdh-sha2-nistp256";
    private static final String HOST_KEYS = "ssh-ed25519,rsa-sha2-512";
    private static final String CIPHERS = "chacha20-poly1305@openssh.com,aes128-ctr";
    private static final String MACS = "umac-64-etm@openssh.com,hmac-sha2-256";
    private static final byte[] HOST_KEY = SshMessages.hostKeyBlob("ssh-ed25519", 32);

    private FakeContext ctx = new FakeContext("10.0.0.5", 50123, "203.0.114.7", 22);
    private SshAnalyzer analyzer = new SshAnalyzer(ctx);

    private void client(byte[]... segments) {
        for (byte[] s : segments) {
            analyzer.onStream(true, MemorySegment.ofArray(s), 0, s.length);
        }
    }

    private void server(byte[]... segments) {
        for (byte[] s : segments) {
            analyzer.onStream(false, MemorySegment.ofArray(s), 0, s.length);
        }
    }

    /** Banners, KEXINITs, curve25519 exchange and NEWKEYS of both sides. */
    private void handshake(String compression) {
        client(banner("SSH-2.0-OpenSSH_9.6"));
        server(banner("SSH-2.0-OpenSSH_9.3"));
        client(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none,zlib@openssh.com"));
        server(kexinit("ecdh-sha2-nistp256,curve25519-sha256", "rsa-sha2-512,ssh-ed25519", CIPHERS, MACS,
                compression));
        client(strings(SshMessages.KEX_ECDH_INIT, new byte[32]));
        server(strings(SshMessages.KEX_ECDH_REPLY, HOST_KEY, new byte[32], new byte[83]));
        client(newkeys());
        server(newkeys());
    }

    private void bothBanners() {
        client(banner("SSH-2.0-a"));
        server(banner("SSH-2.0-b"));
    }

    private static byte[] encrypted(int length) {
        return new byte[length];
    }

    private static String fingerprint(byte[] blob) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
        return "SHA256:" + Base64.getEncoder().encodeToString(d).substring(0, 32);
    }

    @Test
    void shouldLogNegotiatedAlgorithmsAndHostKeyWhenHandshakeCompletes() throws Exception {
        ctx.now = 1700000000.25;
        handshake("none");
        ctx.now = 1700000009.0;
        analyzer.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(r.get("ts")).isEqualTo(1700000000.25);
        assertThat(FakeContext.row(r)).isEqualTo(String.join("\t",
                "10.0.0.5", "50123", "203.0.114.7", "22", "2", "-", "0", "OUTBOUND",
                "SSH-2.0-OpenSSH_9.6", "SSH-2.0-OpenSSH_9.3",
                "chacha20-poly1305@openssh.com", "umac-64-etm@openssh.com", "none",
                "curve25519-sha256", "ssh-ed25519", fingerprint(HOST_KEY)));
        assertThat(ctx.confirmations).isEqualTo(1);
        assertThat(ctx.violations).isEmpty();
        assertThat(ctx.weirdTexts()).isEmpty();
    }

    @Test
    void shouldSpellOutBothDirectionsWhenTheyNegotiateDifferentCiphers() {
        bothBanners();
        client(kexinit("curve25519-sha256", "ssh-ed25519", "aes128-ctr,aes256-ctr",
                "aes256-ctr", "hmac-sha1", "hmac-sha1", "none", "none"));
        server(kexinit("curve25519-sha256", "ssh-ed25519", "aes256-ctr,aes128-ctr",
                "aes256-ctr", "hmac-sha1", "hmac-sha1", "none", "none"));
        analyzer.onConnectionDone();

        assertThat(FakeContext.text(ctx.only().get("cipher_alg")))
                .isEqualTo("To server: aes128-ctr, to client: aes256-ctr");
    }

    @Test
    void shouldReportNegotiationFailureWhenNoAlgorithmIsShared() {
        bothBanners();
        client(kexinit("curve25519-sha256", "ssh-ed25519", "aes128-ctr", "hmac-sha1", "none"));
        server(kexinit("diffie-hellman-group1-sha1", "ssh-rsa", "3des-cbc", "hmac-md5", "none"));
        analyzer.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(FakeContext.text(r.get("kex_alg"))).isEqualTo("Algorithm negotiation failed");
        assertThat(FakeContext.text(r.get("cipher_alg"))).isEqualTo("Algorithm negotiation failed");
        assertThat(FakeContext.text(r.get("compression_alg"))).isEqualTo("none");
        assertThat(ctx.weirdTexts()).isEmpty();
    }

    @Test
    void shouldIgnoreEmptyNamesWhenNameListHasStrayCommas() {
        bothBanners();
        client(kexinit(",,curve25519-sha256,", "ssh-ed25519", ",aes128-ctr", "hmac-sha1", "none"));
        server(kexinit("curve25519-sha256", "ssh-ed25519", "aes128-ctr,,", "hmac-sha1", "none"));
        analyzer.onConnectionDone();

        assertThat(FakeContext.text(ctx.only().get("kex_alg"))).isEqualTo("curve25519-sha256");
        assertThat(FakeContext.text(ctx.only().get("cipher_alg"))).isEqualTo("aes128-ctr");
    }

    @Test
    void shouldLogSuccessAtOnceWhenServerAcceptsNoneAuthentication() {
        handshake("none");
        client(encrypted(64));                  // SERVICE_REQUEST
        server(encrypted(64));                  // SERVICE_ACCEPT
        client(encrypted(96));                  // USERAUTH_REQUEST
        server(encrypted(48));                  // USERAUTH_SUCCESS: 16 bytes smaller

        LogRecord r = ctx.only();
        assertThat(r.get("auth_success")).isEqualTo(true);
        assertThat(r.get("auth_attempts")).isEqualTo(1L);
        analyzer.onConnectionDone();
        assertThat(ctx.logs).hasSize(1);
    }

    @Test
    void shouldCountAttemptsWhenFailuresPrecedeSuccess() {
        handshake("none");
        client(encrypted(64));
        server(encrypted(64));                  // SERVICE_ACCEPT
        client(encrypted(400));
        server(encrypted(80));                  // first USERAUTH_FAILURE: learns its size
        client(encrypted(400));
        server(encrypted(80));                  // same size: a failed attempt
        client(encrypted(400));
        server(encrypted(48));                  // success

        LogRecord r = ctx.only();
        assertThat(r.get("auth_success")).isEqualTo(true);
        assertThat(r.get("auth_attempts")).isEqualTo(2L);
    }

    @Test
    void shouldLogFailureAtConnectionEndWhenOnlyFailuresAreSeen() {
        handshake("none");
        client(encrypted(64));
        server(encrypted(64), encrypted(80), encrypted(80), encrypted(80));
        assertThat(ctx.logs).isEmpty();

        analyzer.onConnectionDone();
        LogRecord r = ctx.only();
        assertThat(r.get("auth_success")).isEqualTo(false);
        assertThat(r.get("auth_attempts")).isEqualTo(2L);
    }

    @Test
    void shouldSkipPreAuthBannerWhenFirstReplyIsMuchLarger() {
        handshake("none");
        client(encrypted(64));
        server(encrypted(64), encrypted(64 + 300), encrypted(80), encrypted(48));

        assertThat(ctx.only().get("auth_success")).isEqualTo(true);
        assertThat(ctx.only().get("auth_attempts")).isEqualTo(1L);
    }

    @Test
    void shouldIgnoreServerDataWhenClientSentNothingEncryptedYet() {
        handshake("none");
        server(encrypted(100));                 // ignored: no encrypted client data yet
        client(encrypted(64));
        server(encrypted(64), encrypted(48));

        assertThat(ctx.only().get("auth_success")).isEqualTo(true);
    }

    @Test
    void shouldNotGuessAuthenticationWhenCompressionIsNegotiated() {
        handshake("zlib@openssh.com");
        client(encrypted(64));
        server(encrypted(64), encrypted(48));

        LogRecord r = ctx.only();
        assertThat(FakeContext.text(r.get("compression_alg"))).isEqualTo("zlib@openssh.com");
        assertThat(r.get("auth_success")).isNull();
        assertThat(r.get("auth_attempts")).isEqualTo(0L);
    }

    @Test
    void shouldCountOnlyEncryptedPartWhenNewkeysSharesSegmentWithEncryptedData() {
        client(banner("SSH-2.0-OpenSSH_9.6"));
        server(banner("SSH-2.0-OpenSSH_9.3"));
        client(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));
        server(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));
        client(strings(SshMessages.KEX_ECDH_INIT, new byte[32]));
        server(strings(SshMessages.KEX_ECDH_REPLY, HOST_KEY, new byte[32], new byte[83]));
        client(concat(newkeys(), encrypted(64)));   // NEWKEYS + SERVICE_REQUEST in one segment
        server(concat(newkeys(), encrypted(52)));   // ignored: no encrypted client data before it
        server(encrypted(52), encrypted(36));       // SERVICE_ACCEPT, then USERAUTH_SUCCESS

        assertThat(ctx.only().get("auth_success")).isEqualTo(true);
    }

    @Test
    void shouldReadHostKeyWhenGroupExchangeIsNegotiated() throws Exception {
        byte[] rsaKey = SshMessages.hostKeyBlob("ssh-rsa", 257);
        String gex = "diffie-hellman-group-exchange-sha256";
        client(banner("SSH-2.0-OpenSSH_6.2"));
        server(banner("SSH-1.99-OpenSSH_6.6.1p1 Ubuntu-2ubuntu2"));
        client(kexinit(gex, "ssh-rsa", "aes128-ctr", "hmac-md5", "none"));
        server(kexinit(gex, "ssh-rsa", "aes128-ctr", "hmac-md5", "none"));
        client(SshMessages.packet(SshMessages.KEX_DH_GEX_REQUEST, new byte[] {
                0, 0, 0x04, 0, 0, 0, 0x08, 0, 0, 0, 0x20, 0}));   // min 1024, n 2048, max 8192
        server(strings(SshMessages.KEX_DH_GEX_GROUP, new byte[257], new byte[] {2}));   // p, g
        client(strings(SshMessages.KEX_DH_GEX_INIT, new byte[256]));                     // e
        server(strings(SshMessages.KEX_DH_GEX_REPLY, rsaKey, new byte[256], new byte[271]));
        client(newkeys());
        server(newkeys());
        analyzer.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(r.get("version")).isEqualTo(2L);
        assertThat(FakeContext.text(r.get("kex_alg"))).isEqualTo(gex);
        assertThat(r.get("host_key_fingerprint")).isEqualTo(fingerprint(rsaKey));
        assertThat(ctx.confirmations).isEqualTo(1);
        assertThat(ctx.violations).isEmpty();
    }

    @Test
    void shouldLogVersionOneWithoutAlgorithmsWhenSsh1IsSpoken() {
        client(banner("SSH-1.5-OpenSSH_6.2"));
        server(banner("SSH-1.99-OpenSSH_6.6.1p1 Ubuntu-2ubuntu2"), SshMessages.ssh1PublicKey());
        client(SshMessages.ssh1SessionKey(), encrypted(64));
        server(encrypted(64), encrypted(48));
        analyzer.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(FakeContext.row(r)).isEqualTo(String.join("\t",
                "10.0.0.5", "50123", "203.0.114.7", "22", "1", "-", "0", "OUTBOUND",
                "SSH-1.5-OpenSSH_6.2", "SSH-1.99-OpenSSH_6.6.1p1 Ubuntu-2ubuntu2", "-", "-", "-", "-", "-", "-"));
        assertThat(ctx.confirmations).isEqualTo(1);
        assertThat(ctx.violations).isEmpty();
    }

    @Test
    void shouldLogClientOnlyWhenServerDirectionIsMissing() {
        client(banner("SSH-2.0-OpenSSH_5.9"));
        client(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));   // version unknown: binpac gives up
        client(strings(SshMessages.KEX_ECDH_INIT, new byte[65]), newkeys(), encrypted(48));

        assertThat(ctx.violations).hasSize(1);
        assertThat(ctx.violations.getFirst()).contains("SSH_Key_Exchange");
        assertThat(FakeContext.row(ctx.only())).isEqualTo(String.join("\t",
                "10.0.0.5", "50123", "203.0.114.7", "22", "-", "-", "0", "OUTBOUND",
                "SSH-2.0-OpenSSH_5.9", "-", "-", "-", "-", "-", "-", "-"));
        analyzer.onConnectionDone();
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.confirmations).isZero();
    }

    @Test
    void shouldJoinBannerWhenSplitAcrossSegmentsAndSkipLfAfterCr() {
        client(ascii("SS"), ascii("H-2.0-Open"), ascii("SSH_8.0\r"));
        server(ascii("SSH-2.0-srv\n"));
        byte[] kex = kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none");
        client(concat(ascii("\n"), Arrays.copyOf(kex, 10)), Arrays.copyOfRange(kex, 10, kex.length));
        server(kex);
        analyzer.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(FakeContext.text(r.get("client"))).isEqualTo("SSH-2.0-OpenSSH_8.0");
        assertThat(FakeContext.text(r.get("server"))).isEqualTo("SSH-2.0-srv");
        assertThat(FakeContext.text(r.get("kex_alg"))).isEqualTo("curve25519-sha256");
        assertThat(ctx.violations).isEmpty();
    }

    @Test
    void shouldSkipLinesBeforeServerBannerWhenTheyDoNotStartWithSsh() {
        server(ascii("Welcome\r\nSSH-2.0-x\r\n"));
        client(banner("SSH-2.0-y"));
        analyzer.onConnectionDone();

        assertThat(FakeContext.text(ctx.only().get("server"))).isEqualTo("SSH-2.0-x");
        assertThat(ctx.only().get("version")).isEqualTo(2L);
        assertThat(ctx.weirdTexts()).isEmpty();
    }

    @Test
    void shouldRaiseCannotDetermineVersionWhenAStringIsTooShort() {
        server(ascii("SSH-\r\n"));
        client(banner("SSH-2.0-y"));
        analyzer.onConnectionDone();

        assertThat(ctx.only().get("version")).isNull();
        assertThat(ctx.weirdTexts()).containsExactly("SSH_cannot_determine_version:SSH- vs SSH-2.0-y");
    }

    @Test
    void shouldRaiseVersionMismatchWhenSsh1MeetsSsh2() {
        client(banner("SSH-1.5-old"));
        server(banner("SSH-2.0-new"));
        analyzer.onConnectionDone();

        assertThat(ctx.only().get("version")).isNull();
        assertThat(ctx.weirdTexts()).containsExactly("SSH_version_mismatch:SSH-2.0-new vs SSH-1.5-old");
    }

    @Test
    void shouldAgreeOnVersionTwoWhenBothSidesSay199() {
        client(banner("SSH-1.99-a"));
        server(banner("SSH-1.99-b"));
        analyzer.onConnectionDone();

        assertThat(ctx.only().get("version")).isEqualTo(2L);
        assertThat(ctx.weirdTexts()).isEmpty();
    }

    @Test
    void shouldRaiseWeirdAndKeepParsingKexinitsWhenKexIsUnknown() {
        bothBanners();
        client(kexinit("frodo-kex@example.org", "ssh-ed25519", "aes128-ctr", "hmac-sha1", "none"));
        server(kexinit("frodo-kex@example.org", "ssh-ed25519", "aes128-ctr", "hmac-sha1", "none"));
        analyzer.onConnectionDone();

        assertThat(ctx.weirdTexts()).containsExactly("ssh_unknown_kex_algorithm:frodo-kex@example.org");
        assertThat(FakeContext.text(ctx.only().get("kex_alg"))).isEqualTo("frodo-kex@example.org");
    }

    @Test
    void shouldViolateAndLogWhenUnexpectedMessageArrivesDuringEcdh() {
        bothBanners();
        client(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));
        server(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));
        client(SshMessages.packet(2, new byte[4]));     // SSH_MSG_IGNORE: no case in KEX_ECC
        server(strings(SshMessages.KEX_ECDH_REPLY, HOST_KEY, new byte[32], new byte[83]));

        assertThat(ctx.violations).containsExactly(
                "Binpac exception: binpac exception: invalid index for case: SSH2_Key_Exchange_ECC_Message: 2");
        assertThat(ctx.only().get("host_key_fingerprint")).isNull();   // nothing parsed after the violation
        analyzer.onConnectionDone();
        assertThat(ctx.logs).hasSize(1);
    }

    @Test
    void shouldViolateWhenPacketIsTooShortForItsHeader() {
        client(banner("SSH-2.0-a"));
        server(banner("SSH-2.0-b"));
        client(new byte[] {0, 0, 0, 1, 5});     // packet_length 1: no room for msg_type

        assertThat(ctx.violations).singleElement().asString().contains("out_of_bound");
    }

    @Test
    void shouldStopAnalyzingBothDirectionsWhenAContentGapOccurs() {
        client(banner("SSH-2.0-a"));
        analyzer.onGap(false, 100);
        server(banner("SSH-2.0-b"));
        analyzer.onConnectionDone();

        assertThat(ctx.only().get("server")).isNull();
    }

    @Test
    void shouldWriteNothingWhenNoVersionLineWasSeen() {
        client(ascii("SSH-2.0-never-terminated"));
        analyzer.onConnectionDone();

        assertThat(ctx.logs).isEmpty();
    }

    @Test
    void shouldLeaveDirectionUnsetWhenBothEndsAreLocal() {
        ctx = new FakeContext("192.168.2.1", 5000, "10.1.2.3", 22);
        analyzer = new SshAnalyzer(ctx);
        client(banner("SSH-2.0-a"));
        analyzer.onConnectionDone();

        assertThat(ctx.only().get("direction")).isNull();
    }

    @Test
    void shouldMarkInboundWhenOnlyResponderIsLocal() {
        ctx = new FakeContext("2a00:1450::1", 5000, "fd00::22", 22);
        analyzer = new SshAnalyzer(ctx);
        client(banner("SSH-2.0-a"));
        analyzer.onConnectionDone();

        assertThat(ctx.only().get("direction")).isEqualTo("INBOUND");
    }

    @Test
    void shouldGiveUpDirectionWithWeirdWhenBannerExceedsLimit() {
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) 'A');
        for (int i = 0; i < SshAnalyzer.MAX_LINE / chunk.length + 2; i++) {
            client(chunk);
        }
        client(ascii("\r\n"));
        server(banner("SSH-2.0-b"));
        analyzer.onConnectionDone();

        assertThat(ctx.weirdTexts()).containsExactly("ssh_banner_too_long");
        assertThat(ctx.only().get("client")).isNull();
        assertThat(analyzer.bufferedCapacity()).isLessThanOrEqualTo(SshAnalyzer.MAX_FRAME);
    }

    @Test
    void shouldTreatServerLinesAsPreBannerDataWhenTheyDoNotStartWithSsh() {
        ctx.now = 10.0;
        // SYN-ACK junk overlapping "SSH-" of the real banner, then the banner's remainder and
        // another non-banner line: neither is the server's version (zeek/zeek#4289)
        server(ascii("\u00bf\u0010\u0088J1.99-OpenSSH_3.9p1\n"), ascii("Welcome\r\n"));
        ctx.now = 11.0;
        client(banner("SSH-2.0-OpenSSH_9.6"));
        ctx.now = 12.0;
        server(banner("SSH-2.0-OpenSSH_9.3"));
        analyzer.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(r.get("ts")).isEqualTo(11.0);
        assertThat(FakeContext.text(r.get("client"))).isEqualTo("SSH-2.0-OpenSSH_9.6");
        assertThat(FakeContext.text(r.get("server"))).isEqualTo("SSH-2.0-OpenSSH_9.3");
        assertThat(r.get("version")).isEqualTo(2L);
        assertThat(ctx.violations).isEmpty();
    }

    @Test
    void shouldLogClientOnlyWhenServerNeverSendsBanner() {
        ctx.now = 10.0;
        server(ascii("\u00bf\u0010\u0088J1.99-OpenSSH_3.9p1\n"), new byte[] {(byte) 0xa0, 0x58, (byte) 0xe0,
                (byte) 0xae});
        ctx.now = 11.0;
        client(banner("SSH-2.0-OpenSSH_3.8.1p1"));
        client(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));   // version unknown: a violation

        LogRecord r = ctx.only();
        assertThat(r.get("ts")).isEqualTo(11.0);
        assertThat(FakeContext.text(r.get("client"))).isEqualTo("SSH-2.0-OpenSSH_3.8.1p1");
        assertThat(r.get("server")).isNull();
        assertThat(r.get("version")).isNull();
        assertThat(ctx.violations).hasSize(1);
    }

    @Test
    void shouldRaiseViolationWhenClientLineDoesNotStartWithSsh() {
        client(ascii("GET / HTTP/1.1\r\n"));
        server(banner("SSH-2.0-b"));
        analyzer.onConnectionDone();

        assertThat(ctx.violations).hasSize(1);
        assertThat(ctx.logs).isEmpty();
    }

    @Test
    void shouldSkipPacketWithWeirdWhenItExceedsLimit() {
        client(banner("SSH-2.0-a"));
        server(banner("SSH-2.0-b"));
        int huge = SshAnalyzer.MAX_FRAME * 2;
        client(new byte[] {0, (byte) (huge >>> 16), (byte) (huge >>> 8), (byte) huge});   // packet_length
        for (int sent = 0; sent < huge; sent += 4096) {
            client(new byte[4096]);             // its bytes are skipped, not buffered
        }
        client(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));
        server(kexinit(KEX, HOST_KEYS, CIPHERS, MACS, "none"));
        analyzer.onConnectionDone();

        assertThat(ctx.weirdTexts()).containsExactly("ssh_packet_too_large:" + huge);
        assertThat(FakeContext.text(ctx.only().get("kex_alg"))).isEqualTo("curve25519-sha256");
        assertThat(analyzer.bufferedCapacity()).isLessThan(64 * 1024);
    }

    @Test
    void shouldFormatFingerprintAsZeekDoes() {
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) i;
        }
        assertThat(SshAnalyzer.fingerprint(digest)).isEqualTo("SHA256:AAECAwQFBgcICQoLDA0ODxAREhMUFRYX");
    }

    @Test
    void shouldMapKeyExchangeMethodsToZeeksParsingStates() {
        assertThat(SshAnalyzer.kexState("curve25519-sha256@libssh.org")).isEqualTo(SshAnalyzer.KEX_ECC);
        assertThat(SshAnalyzer.kexState("sntrup761x25519-sha512@openssh.com")).isEqualTo(SshAnalyzer.KEX_ECC);
        assertThat(SshAnalyzer.kexState("mlkem768x25519-sha256")).isEqualTo(SshAnalyzer.KEX_ECC);
        assertThat(SshAnalyzer.kexState("ecdh-sha2-nistp521")).isEqualTo(SshAnalyzer.KEX_ECC);
        assertThat(SshAnalyzer.kexState("diffie-hellman-group14-sha256")).isEqualTo(SshAnalyzer.KEX_DH);
        assertThat(SshAnalyzer.kexState("diffie-hellman-group-exchange-sha1")).isEqualTo(SshAnalyzer.KEX_DH_GEX);
        assertThat(SshAnalyzer.kexState("gss-gex-sha1-toWM5Slw5Ew8Mqkay+al2g==")).isEqualTo(SshAnalyzer.KEX_GSS);
        assertThat(SshAnalyzer.kexState("rsa2048-sha256")).isEqualTo(SshAnalyzer.KEX_RSA);
        assertThat(SshAnalyzer.kexState("ext-info-c")).isEqualTo(-1);
    }
}
