package io.picket.analyzer.ssl;

import static io.picket.analyzer.ssl.Tls.alert;
import static io.picket.analyzer.ssl.Tls.alpn;
import static io.picket.analyzer.ssl.Tls.appData;
import static io.picket.analyzer.ssl.Tls.ascii;
import static io.picket.analyzer.ssl.Tls.cat;
import static io.picket.analyzer.ssl.Tls.ccs;
import static io.picket.analyzer.ssl.Tls.clientHello;
import static io.picket.analyzer.ssl.Tls.ext;
import static io.picket.analyzer.ssl.Tls.handshake;
import static io.picket.analyzer.ssl.Tls.handshakeRecord;
import static io.picket.analyzer.ssl.Tls.record;
import static io.picket.analyzer.ssl.Tls.selectedVersion;
import static io.picket.analyzer.ssl.Tls.serverHello;
import static io.picket.analyzer.ssl.Tls.serverKeyShare;
import static io.picket.analyzer.ssl.Tls.sni;
import static io.picket.analyzer.ssl.Tls.u16;
import static io.picket.analyzer.ssl.Tls.u24;
import static io.picket.analyzer.ssl.Tls.u8;
import static io.picket.analyzer.ssl.Tls.zeros;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SslAnalyzerTest {
    private static final int ECDHE_RSA_AES128_GCM = 0xC02F;
    private static final int TLS_AES_128_GCM = 0x1301;
    private static final byte[] HRR = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11,
        (byte) 0xBE, 0x1D, (byte) 0x8C, 0x02, 0x1E, 0x65, (byte) 0xB8, (byte) 0x91,
        (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E,
        0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C,
    };

    private static byte[] sessionId(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    /** An encrypted handshake record (content type 22 after ChangeCipherSpec). */
    private static byte[] encryptedFinished() {
        return record(Tls.HANDSHAKE, 0x0303, zeros(40));
    }

    @Test
    void shouldLogEstablishedTls12SessionWhenBothSidesChangeCipherSpec() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM},
                        cat(sni("www.example.com"), alpn("h2", "http/1.1")))))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), sessionId(7), ECDHE_RSA_AES128_GCM, alpn("h2"))))
                .client(ccs(), encryptedFinished())
                .server(ccs(), encryptedFinished());

        assertThat(s.ctx.logs).hasSize(1);
        LogRecord r = s.ssl();
        assertThat(r.get("version")).isEqualTo("TLSv12");
        assertThat(r.get("cipher")).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(new String((byte[]) r.get("server_name"))).isEqualTo("www.example.com");
        assertThat(new String((byte[]) r.get("next_protocol"))).isEqualTo("h2");
        assertThat(r.get("established")).isEqualTo(true);
        assertThat(r.get("resumed")).isEqualTo(false);
        assertThat(r.get("ssl_history")).isEqualTo("CsIi");
        assertThat(r.get("cert_chain_fps")).isNull();
        assertThat(r.get("sni_matches_cert")).isNull();
        assertThat(s.ctx.confirmations).isEqualTo(1);
        assertThat(r.get("ts")).isEqualTo(0.001);
    }

    @Test
    void shouldSetResumedWhenServerEchoesTheSessionId() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, sessionId(9), new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), sessionId(9), ECDHE_RSA_AES128_GCM, null)), ccs(),
                        encryptedFinished())
                .client(ccs(), encryptedFinished());

        assertThat(s.field("resumed")).isEqualTo(true);
        assertThat(s.field("ssl_history")).isEqualTo("CsiI");
    }

    @Test
    void shouldNotSetResumedWhenTls13ServerEchoesTheCompatibilitySessionId() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, sessionId(9), new int[] {TLS_AES_128_GCM}, null)))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), sessionId(9), TLS_AES_128_GCM,
                        cat(selectedVersion(0x0304), serverKeyShare(29)))), ccs(), appData(50))
                .client(ccs(), appData(50));

        LogRecord r = s.ssl();
        assertThat(r.get("version")).isEqualTo("TLSv13");
        assertThat(r.get("curve")).isEqualTo("x25519");
        assertThat(r.get("resumed")).isEqualTo(false);
        assertThat(r.get("established")).isEqualTo(true);
        assertThat(r.get("ssl_history")).isEqualTo("CsiI");
    }

    @Test
    void shouldSetResumedWhenServerAcceptsTheOfferedPreSharedKey() {
        byte[] identities = cat(u16(4), ascii("tckt"), zeros(4));
        byte[] binders = cat(u8(32), zeros(32));
        byte[] psk = ext(41, cat(u16(identities.length), identities, u16(binders.length), binders));
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, sessionId(1), new int[] {TLS_AES_128_GCM}, psk)))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), sessionId(1), TLS_AES_128_GCM,
                        cat(selectedVersion(0x0304), ext(41, u16(0))))))
                .done();

        assertThat(s.field("resumed")).isEqualTo(true);
        assertThat(s.field("established")).isEqualTo(false);
    }

    @Test
    void shouldSetResumedWhenClientSendsATicketAndChangesCipherWithoutKeyExchange() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM},
                        ext(35, zeros(100)))))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), sessionId(3), ECDHE_RSA_AES128_GCM, null)), ccs(),
                        encryptedFinished())
                .client(ccs(), encryptedFinished());

        assertThat(s.field("resumed")).isEqualTo(true);
    }

    @Test
    void shouldWriteJForHelloRetryRequest() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {TLS_AES_128_GCM}, null)))
                .server(handshakeRecord(serverHello(0x0303, HRR, new byte[0], TLS_AES_128_GCM,
                        cat(selectedVersion(0x0304), ext(51, u16(24))))))
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {TLS_AES_128_GCM}, null)))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], TLS_AES_128_GCM,
                        cat(selectedVersion(0x0304), serverKeyShare(24)))))
                .done();

        assertThat(s.field("ssl_history")).isEqualTo("CjCs");
        assertThat(s.field("curve")).isEqualTo("secp384r1");
        assertThat(s.field("version")).isEqualTo("TLSv13");
    }

    @Test
    void shouldKeepTheLastAlertWhenTheServerRefuses() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .server(alert(1, 112), alert(2, 40))
                .done();

        assertThat(s.field("last_alert")).isEqualTo("handshake_failure");
        assertThat(s.field("ssl_history")).isEqualTo("Cll");
        assertThat(s.field("established")).isEqualTo(false);
    }

    @Test
    void shouldTakeTheFirstNameAndRaiseAWeirdWhenTheClientSendsSeveralServerNames() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM},
                        sni("a.example", "b.example"))))
                .done();

        assertThat(new String((byte[]) s.field("server_name"))).isEqualTo("a.example");
        assertThat(s.ctx.weirdTexts()).containsExactly("SSL_many_server_names:[a.example, b.example]");
    }

    @Test
    void shouldReassembleAHandshakeMessageSpanningRecordsAndSegments() {
        byte[] hello = clientHello(0x0303, sessionId(5), new int[] {ECDHE_RSA_AES128_GCM}, sni("split.example"));
        byte[] first = Arrays.copyOfRange(hello, 0, 20);
        byte[] second = Arrays.copyOfRange(hello, 20, hello.length);
        byte[] stream = cat(record(Tls.HANDSHAKE, 0x0301, first), record(Tls.HANDSHAKE, 0x0301, second));
        Session s = new Session();
        double firstRecordDone = 0;
        for (int i = 0; i < stream.length; i++) {
            s.client(new byte[] {stream[i]});
            if (i == 5 + 20 - 1) {
                firstRecordDone = s.ctx.now;
            }
        }
        s.done();

        assertThat(new String((byte[]) s.field("server_name"))).isEqualTo("split.example");
        assertThat(s.field("ssl_history")).isEqualTo("C");
        // the first complete record raises ssl_plaintext_data, which starts the session
        assertThat((Double) s.field("ts")).isEqualTo(firstRecordDone);
    }

    @Test
    void shouldReportAViolationAndLogNothingWhenTheFirstRecordIsNotTls() {
        Session s = new Session().client(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).done();

        assertThat(s.ctx.violations).containsExactly("Invalid version in TLS connection. Version: 17748");
        assertThat(s.ctx.logs).isEmpty();
    }

    @Test
    void shouldLogAtTheViolationWhenAnUnknownHandshakeMessageArrives() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .client(handshakeRecord(handshake(99, zeros(3))))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], ECDHE_RSA_AES128_GCM, null)))
                .done();

        assertThat(s.ctx.violations).containsExactly("unknown handshake message (99) from originator");
        assertThat(s.field("ssl_history")).isEqualTo("C");
        assertThat(s.field("version")).isNull();
    }

    @Test
    void shouldReportABinpacExceptionWhenAServerKeyExchangeIsTruncated() {
        byte[] ske = handshake(12, cat(u8(3), u16(23), u8(65), zeros(65), u8(4), u8(1), u16(100), zeros(4)));
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], ECDHE_RSA_AES128_GCM, null), ske));

        assertThat(s.ctx.violations).hasSize(1);
        assertThat(s.ctx.violations.get(0)).startsWith("Binpac exception: binpac exception: out_of_bound: ");
        assertThat(s.field("ssl_history")).isEqualTo("Cs");
        assertThat(s.field("curve")).isNull();
    }

    @Test
    void shouldTakeTheCurveFromTheServerKeyExchange() {
        byte[] ske = handshake(12, cat(u8(3), u16(23), u8(65), zeros(65), u8(4), u8(1), u16(4), zeros(4)));
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], ECDHE_RSA_AES128_GCM, null), ske,
                        handshake(14, new byte[0])))
                .done();

        assertThat(s.field("curve")).isEqualTo("secp256r1");
        assertThat(s.field("ssl_history")).isEqualTo("Cskn");
    }

    @Test
    void shouldIgnoreEverythingAfterAContentGap() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)));
        s.analyzer.onGap(false, 100);
        s.server(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], ECDHE_RSA_AES128_GCM, null))).done();

        assertThat(s.field("ssl_history")).isEqualTo("C");
        assertThat(s.field("version")).isNull();
    }

    @Test
    void shouldIgnorePartialConnections() {
        Session s = new Session();
        s.partial = true;
        s.client(appData(30)).server(appData(30)).done();

        assertThat(s.ctx.logs).isEmpty();
    }

    @Test
    void shouldReportAViolationWhenAHandshakeMessageExceedsTheBufferLimit() {
        Session s = new Session(new SslAnalyzerProvider(SslOptions.defaults().withMaxHandshakeMessage(1000)))
                .client(record(Tls.HANDSHAKE, 0x0301, cat(u8(11), u24(5000), zeros(100))));

        assertThat(s.ctx.violations).hasSize(1);
        assertThat(s.ctx.logs).isEmpty();
    }

    @Test
    void shouldStopTheHistoryAtOneHundredLettersWithOneWeird() {
        byte[] alerts = new byte[2 * 150];
        for (int i = 0; i < 150; i++) {
            alerts[2 * i] = 1;
        }
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .server(record(Tls.ALERT, 0x0303, alerts))
                .done();

        assertThat((String) s.field("ssl_history")).hasSize(100);
        assertThat(s.ctx.weirdTexts()).containsExactly("SSL_max_ssl_history_length_reached");
    }

    @Test
    void shouldRaiseAWeirdForApplicationDataBeforeTheHandshakeEnds() {
        Session s = new Session()
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], ECDHE_RSA_AES128_GCM, null)))
                .client(appData(20))
                .done();

        assertThat(s.ctx.weirdTexts()).containsExactly("ssl_early_application_data");
    }

    @Test
    void shouldMarkTheFlipWhenTheResponderSendsTheClientHello() {
        Session s = new Session()
                .server(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM}, null)))
                .client(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], ECDHE_RSA_AES128_GCM, null)))
                .done();

        assertThat(s.field("ssl_history")).isEqualTo("^cS");
        assertThat(s.field("version")).isEqualTo("TLSv12");
    }

    @Test
    void shouldParseSslv2HellosAndEstablishOnTheMasterKey() {
        byte[] challenge = zeros(16);
        byte[] clientBody = cat(u8(0x01), u16(0x0002), u16(3), u16(0), u16(16), u24(0x010080), challenge);
        byte[] connId = zeros(16);
        byte[] serverBody = cat(u8(0x04), u8(0), u8(1), u16(0x0002), u16(0), u16(3), u16(16), u24(0x010080), connId);
        byte[] masterBody = cat(u8(0x02), u16(0x0100), u8(0x80), u16(0), u16(8), u16(0), zeros(8));
        Session s = new Session()
                .client(cat(u8(0x80), u8(clientBody.length), clientBody))
                .server(cat(u8(0x80), u8(serverBody.length), serverBody))
                .client(cat(u8(0x80), u8(masterBody.length), masterBody));

        LogRecord r = s.ssl();
        assertThat(r.get("version")).isEqualTo("SSLv2");
        assertThat(r.get("cipher")).isEqualTo("SSLv20_CK_RC4_128_WITH_MD5");
        assertThat(r.get("ssl_history")).isEqualTo("Cs");
        assertThat(r.get("established")).isEqualTo(true);
        assertThat(s.ctx.weirdTexts()).containsExactly("zero_length_certificate");
    }

    @Test
    void shouldAddFingerprintColumnsWhenTheRunEnablesThem() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider(SslOptions.defaults().withFingerprints(true, true));
        Session s = new Session(provider)
                .client(handshakeRecord(clientHello(0x0303, new byte[0], new int[] {ECDHE_RSA_AES128_GCM},
                        cat(sni("x.example"), alpn("h2")))))
                .server(handshakeRecord(serverHello(0x0303, zeros(32), new byte[0], ECDHE_RSA_AES128_GCM, alpn("h2"))))
                .done();

        LogRecord r = s.ssl();
        assertThat(r.schema().fields().stream().map(f -> f.name()).toList()).endsWith("ja3", "ja3s", "ja4", "ja4s");
        assertThat((String) r.get("ja4")).startsWith("t12d0102h2_");
        assertThat((String) r.get("ja4s")).startsWith("t1201h2_c02f_");
        assertThat((String) r.get("ja3")).hasSize(32);
        assertThat((String) r.get("ja3s")).hasSize(32);
        assertThat(new SslAnalyzerProvider().logs().get(0).fields()).hasSize(18);
    }

    @Test
    void shouldGiveTheSameLogsWhenTheStreamArrivesByteByByte() {
        TcpStream stream = TcpStream.load("tls10-sni-basic-1.tcps");
        FakeContext whole = stream.run(new SslAnalyzerProvider(), "C1");
        FakeContext split = stream.context("C1");
        stream.replaySplit(new SslAnalyzer(split, new SslAnalyzerProvider(), () -> false), split, 1);

        List<String> expected = whole.logs.stream().map(FakeContext::tsv).toList();
        assertThat(split.logs.stream().map(FakeContext::tsv).toList()).isEqualTo(expected);
        assertThat(expected).hasSize(3);
    }
}
