package io.picket.capture.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AfPacketConfigTest {

    @Test
    void shouldUseA128MiBPromiscuousRingWithoutFanoutWhenDefaultsAreTaken() {
        AfPacketConfig c = AfPacketConfig.of("eth0");

        assertThat(c.ringBytes()).isEqualTo(128L << 20);
        assertThat(c.frameCount()).isEqualTo((4 << 20) / 2048 * 32);
        assertThat(c.promiscuous()).isTrue();
        assertThat(c.fanout()).isFalse();
        assertThat(c.filter()).isNull();
    }

    @Test
    void shouldKeepOtherSettingsWhenAWitherChangesOne() {
        AfPacketConfig c = AfPacketConfig.of("eth0").withFanout(7, FanoutMode.CPU).withRing(1 << 16, 4)
                .withPromiscuous(false).withIgnoreOutgoing(true).withBlockTimeoutMillis(5)
                .withPollTimeoutMillis(50).withFanoutDefrag(true).withFilter(BpfProgram.ACCEPT_ALL);

        assertThat(c.fanoutGroup()).isEqualTo(7);
        assertThat(c.fanoutMode()).isEqualTo(FanoutMode.CPU);
        assertThat(c.ringBytes()).isEqualTo(1 << 18);
        assertThat(c.promiscuous()).isFalse();
        assertThat(c.ignoreOutgoing()).isTrue();
        assertThat(c.blockTimeoutMillis()).isEqualTo(5);
        assertThat(c.pollTimeoutMillis()).isEqualTo(50);
        assertThat(c.fanoutDefrag()).isTrue();
        assertThat(c.filter()).isEqualTo(BpfProgram.ACCEPT_ALL);
        assertThat(c.interfaceName()).isEqualTo("eth0");
    }

    @Test
    void shouldRejectTheRingWhenTheBlockSizeIsNotAPowerOfTwoPage() {
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withRing(3 * 4096, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withRing(2048, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4096");
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withRing(4096, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block count");
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withRing(1 << 30, 17))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }

    @Test
    void shouldRejectTheSettingWhenOutOfRange() {
        assertThatThrownBy(() -> AfPacketConfig.of("an-interface-name-too-long"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 15 bytes");
        assertThatThrownBy(() -> AfPacketConfig.of(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withFrameSize(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 16");
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withFanout(65536, FanoutMode.HASH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fanout group");
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withPollTimeoutMillis(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poll timeout");
        assertThatThrownBy(() -> AfPacketConfig.of("eth0").withBlockTimeoutMillis(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block timeout");
    }
}
