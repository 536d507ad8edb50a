package io.picket.analyzer.krb;

import static io.picket.analyzer.krb.KrbMessages.error;
import static io.picket.analyzer.krb.KrbMessages.kdcRep;
import static io.picket.analyzer.krb.KrbMessages.kdcReq;
import static io.picket.analyzer.krb.KrbMessages.principal;
import static io.picket.analyzer.krb.KrbMessages.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.ssl.X509Dedup;
import io.picket.analyzer.testing.RecordingContext;
import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KrbAnalyzerTest {
    private static final int FORWARDABLE = 0x40000000;
    private static final int RENEWABLE = 0x00800000;

    private final RecordingContext ctx = new RecordingContext("CKrb", "10.0.0.1", 50000, "10.0.0.2", 88, "udp");
    private final RecordingContext tcpCtx = new RecordingContext("CKrbT", "10.0.0.1", 50001, "10.0.0.2", 88, "tcp");
    private final X509Dedup dedup = new X509Dedup(86400.0, 100);
    private final KrbAnalyzer udp = new KrbAnalyzer(ctx, false, dedup);
    private final KrbAnalyzer tcp = new KrbAnalyzer(tcpCtx, true, dedup);

    private static void datagram(KrbAnalyzer a, boolean isOrig, byte[] b) {
        a.onDatagram(isOrig, MemorySegment.ofArray(b), 0, b.length);
    }

    private static void stream(KrbAnalyzer a, boolean isOrig, byte[] b, int from, int to) {
        a.onStream(isOrig, MemorySegment.ofArray(b), from, to - from);
    }

    private static String s(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : (String) v;
    }

    private LogRecord only(RecordingContext c) {
        assertThat(c.logs).hasSize(1);
        return c.logs.getFirst();
    }

    @Test
    void shouldLogAsExchangeWhenRequestAndReplyArriveOverUdp() {
        ctx.now = 100.0;
        datagram(udp, true, kdcReq(10, principal(1, "alice"), "EX.COM", principal(2, "krbtgt", "EX.COM"),
                "20150120000139Z", FORWARDABLE));
        ctx.now = 100.5;
        datagram(udp, false, kdcRep(11, "EX.COM", principal(1, "alice"), principal(2, "krbtgt", "EX.COM"), 18));

        LogRecord r = only(ctx);
        assertThat(r.get("ts")).isEqualTo(100.0);
        assertThat(r.get("request_type")).isEqualTo("AS");
        assertThat(s(r.get("client"))).isEqualTo("alice/EX.COM");
        assertThat(s(r.get("service"))).isEqualTo("krbtgt/EX.COM");
        assertThat(r.get("success")).isEqualTo(true);
        assertThat(r.get("from")).isNull();
        assertThat(r.get("till")).isEqualTo(1421712099.0);
        assertThat(r.get("cipher")).isEqualTo("aes256-cts-hmac-sha1-96");
        assertThat(r.get("forwardable")).isEqualTo(true);
        assertThat(r.get("renewable")).isEqualTo(false);
        assertThat(ctx.confirmations).isEqualTo(1);
        assertThat(ctx.violations).isEmpty();

        udp.onConnectionDone();
        assertThat(ctx.logs).hasSize(1); // logged once
    }

    @Test
    void shouldTakeClientFromReplyWhenTgsRequest() {
        datagram(udp, true, kdcReq(12, null, "EX.COM", principal(2, "ldap", "dc1"), "20150120000139Z", RENEWABLE));
        datagram(udp, false, kdcRep(13, "EX.COM", principal(1, "bob"), principal(2, "ldap", "dc1"), 99));

        LogRecord r = only(ctx);
        assertThat(r.get("request_type")).isEqualTo("TGS");
        assertThat(s(r.get("client"))).isEqualTo("bob/EX.COM");
        assertThat(r.get("cipher")).isEqualTo("unknown-99");
        assertThat(r.get("renewable")).isEqualTo(true);
    }

    @Test
    void shouldDropSessionWhenErrorTextIsIgnored() {
        datagram(udp, true, kdcReq(10, principal(1, "alice"), "EX.COM", principal(2, "krbtgt", "EX.COM"),
                "20150120000139Z", 0));
        datagram(udp, false, error(25, "EX.COM", principal(1, "alice"), principal(2, "krbtgt", "EX.COM"),
                "NEEDED_PREAUTH"));
        udp.onConnectionDone();

        assertThat(ctx.logs).isEmpty();
    }

    @Test
    void shouldNameErrorFromTableWhenErrorHasNoText() {
        datagram(udp, false, error(6, "EX.COM", principal(1, "carol"), principal(2, "krbtgt", "EX.COM"), null));

        LogRecord r = only(ctx);
        assertThat(r.get("success")).isEqualTo(false);
        assertThat(s(r.get("error_msg"))).isEqualTo("KDC_ERR_C_PRINCIPAL_UNKNOWN");
        assertThat(s(r.get("client"))).isEqualTo("carol/EX.COM");
        assertThat(r.get("request_type")).isNull();
    }

    @Test
    void shouldLeaveErrorMessageUnsetWhenCodeIsNotInTable() {
        datagram(udp, false, error(99, null, null, principal(1, "svc"), null));

        LogRecord r = only(ctx);
        assertThat(r.get("error_msg")).isNull();
        assertThat(r.get("client")).isNull();
        assertThat(s(r.get("service"))).isEqualTo("svc");
    }

    @Test
    void shouldWriteUnknownPrincipalWhenNameHasFourComponents() {
        datagram(udp, true, kdcReq(10, principal(1, "a", "b", "c", "d"), "EX.COM", principal(2, "x", "y", "z"),
                "20150120000139Z", 0));
        udp.onConnectionDone();

        LogRecord r = only(ctx);
        assertThat(s(r.get("client"))).isEqualTo("unknown/EX.COM");
        assertThat(s(r.get("service"))).isEqualTo("x/y/z");
    }

    @Test
    void shouldLeaveTillUnsetWhenTimeHasOddLength() {
        datagram(udp, true, kdcReq(10, principal(1, "a"), "EX.COM", principal(1, "s"), "2015012000Z", 0));
        udp.onConnectionDone();

        assertThat(only(ctx).get("till")).isNull();
    }

    @Test
    void shouldRaiseViolationWithoutConfirmationWhenDatagramIsNotKerberos() {
        datagram(udp, true, new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}); // a TLS record
        datagram(udp, true, kdcReq(10, principal(1, "a"), "EX.COM", principal(1, "s"), "20150120000139Z", 0));
        udp.onConnectionDone();

        assertThat(ctx.violations).hasSize(1);
        assertThat(ctx.confirmations).isZero();
        assertThat(ctx.logs).isEmpty();
    }

    @Test
    void shouldRaiseViolationWhenElementOverrunsDatagram() {
        byte[] req = kdcReq(10, principal(1, "a"), "EX.COM", principal(1, "s"), "20150120000139Z", 0);
        datagram(udp, true, Arrays.copyOf(req, req.length - 5)); // truncated

        assertThat(ctx.violations).hasSize(1);
        assertThat(ctx.logs).isEmpty();
    }

    @Test
    void shouldParseTcpRecordWhenSplitAcrossSegments() {
        byte[] req = record(kdcReq(10, principal(1, "alice"), "EX.COM", principal(2, "krbtgt", "EX.COM"),
                "20150120000139Z", 0));
        byte[] rep = record(kdcRep(11, "EX.COM", principal(1, "alice"), principal(2, "krbtgt", "EX.COM"), 23));
        stream(tcp, true, req, 0, 2);     // half the length prefix
        stream(tcp, true, req, 2, 30);
        stream(tcp, true, req, 30, req.length);
        stream(tcp, false, rep, 0, rep.length);

        LogRecord r = only(tcpCtx);
        assertThat(s(r.get("client"))).isEqualTo("alice/EX.COM");
        assertThat(r.get("cipher")).isEqualTo("rc4-hmac");
        assertThat(tcpCtx.violations).isEmpty();
    }

    @Test
    void shouldRaiseWeirdAndViolationWhenTcpRecordIsTooLarge() {
        byte[] prefix = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x6a}; // length 2^31-1, then AS-REQ tag
        stream(tcp, true, prefix, 0, prefix.length);
        stream(tcp, true, prefix, 0, prefix.length);

        assertThat(tcpCtx.weirds).extracting(RecordingContext.Weird::name).containsExactly("krb_message_too_large");
        assertThat(tcpCtx.violations).hasSize(1);
    }

    @Test
    void shouldIgnoreStreamAfterContentGap() {
        byte[] req = record(kdcReq(10, principal(1, "a"), "EX.COM", principal(1, "s"), "20150120000139Z", 0));
        tcp.onGap(true, 100);
        stream(tcp, true, req, 0, req.length);
        tcp.onConnectionDone();

        assertThat(tcpCtx.logs).isEmpty();
        assertThat(tcpCtx.violations).isEmpty();
    }
}
