package io.picket.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ControlAddressTest {

    @Test
    void shouldBindLoopbackWhenOnlyPortIsGiven() {
        assertThat(ControlAddress.parse("7700")).isEqualTo(new ControlAddress("127.0.0.1", 7700));
    }

    @Test
    void shouldKeepHostWhenHostAndPortAreGiven() {
        assertThat(ControlAddress.parse("0.0.0.0:80")).isEqualTo(new ControlAddress("0.0.0.0", 80));
        assertThat(ControlAddress.parse("localhost:0")).isEqualTo(new ControlAddress("localhost", 0));
        assertThat(ControlAddress.parse("[::1]:7700")).isEqualTo(new ControlAddress("::1", 7700));
    }

    @Test
    void shouldRejectWithSpecificMessageWhenValueIsMalformed() {
        assertThatThrownBy(() -> ControlAddress.parse("")).hasMessage("--control: expected [HOST:]PORT, got nothing");
        assertThatThrownBy(() -> ControlAddress.parse("host:http"))
                .hasMessage("--control: port must be a number 0..65535, not 'http'");
        assertThatThrownBy(() -> ControlAddress.parse("70000"))
                .hasMessage("--control: port must be 0..65535, not 70000");
        assertThatThrownBy(() -> ControlAddress.parse(":80")).hasMessage("--control: empty host in ':80'");
        assertThatThrownBy(() -> ControlAddress.parse("::1:80"))
                .hasMessage("--control: write an IPv6 address as [ADDR]:PORT, not '::1:80'");
        assertThatThrownBy(() -> ControlAddress.parse("[::1]80"))
                .hasMessage("--control: expected [IPV6]:PORT, not '[::1]80'");
    }

    @Property(tries = 200)
    void shouldParseEveryValidPortWhenGivenAlone(@ForAll @IntRange(min = 0, max = 65535) int port) {
        assertThat(ControlAddress.parse(Integer.toString(port)).port()).isEqualTo(port);
    }

    @Test
    void shouldSplitReloadErrorWhenItHasFileLineAndColumn() {
        var e = ControlServer.error("a", "signatures/x.sig:4:11: unterminated regular expression");
        assertThat(e.get("file").asText()).isEqualTo("signatures/x.sig");
        assertThat(e.get("line").asInt()).isEqualTo(4);
        assertThat(e.get("column").asInt()).isEqualTo(11);
        assertThat(e.get("reason").asText()).isEqualTo("unterminated regular expression");
        var whole = ControlServer.error("a", "notice.yaml: not a mapping");
        assertThat(whole.get("file").asText()).isEqualTo("notice.yaml");
        assertThat(whole.get("line").isNull()).isTrue();
        var io = ControlServer.error("a", "a: cannot load: java.io.IOException: gone");
        assertThat(io.get("file").isNull()).isTrue();
        assertThat(io.get("reason").asText()).isEqualTo("a: cannot load: java.io.IOException: gone");
    }

    @Test
    void shouldDecodePercentEscapesWhenTenantIdIsEncoded() {
        assertThat(ControlServer.decode("t%2Dx")).isEqualTo("t-x");
        assertThat(ControlServer.decode("%E2%82%AC")).isEqualTo("\u20ac");
        assertThat(ControlServer.decode("%4")).isNull();
        assertThat(ControlServer.decode("%FF")).isNull();
    }
}
