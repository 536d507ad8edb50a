package io.picket.capture.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BpfProgramTest {

    @Test
    void shouldReadInstructionsWhenGivenTcpdumpDecimalDump() {
        // tcpdump -ddd 'ether[6:4] = 0x02504b54': count line, then code jt jf k.
        BpfProgram p = BpfProgram.parse("4\n32 0 0 6\n21 0 1 38816596\n6 0 0 262144\n6 0 0 0\n");

        assertThat(p.instructions()).containsExactly(
                new BpfProgram.Instruction(0x20, 0, 0, 6),
                new BpfProgram.Instruction(0x15, 0, 1, 0x02504b54),
                new BpfProgram.Instruction(0x06, 0, 0, 262144),
                new BpfProgram.Instruction(0x06, 0, 0, 0));
    }

    @Test
    void shouldReadInstructionsWhenGivenTcpdumpCArrayDump() {
        // tcpdump -dd output: { code, jt, jf, k }, per line, hexadecimal code and k.
        BpfProgram p = BpfProgram.parse("""
                { 0x28, 0, 0, 0x0000000c },
                { 0x15, 0, 1, 0x00000800 },
                { 0x6, 0, 0, 0x00040000 },
                { 0x6, 0, 0, 0xffffffff },
                """);

        assertThat(p.length()).isEqualTo(4);
        assertThat(p.instructions().get(0)).isEqualTo(new BpfProgram.Instruction(0x28, 0, 0, 12));
        assertThat(p.instructions().get(3).k()).isEqualTo(-1);
    }

    @Test
    void shouldRejectTheDumpWhenTheCountDoesNotMatch() {
        assertThatThrownBy(() -> BpfProgram.parse("3\n6 0 0 0\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("announces 3 instructions but has 1");
    }

    @Test
    void shouldNameTheLineWhenAFieldIsNotANumber() {
        assertThatThrownBy(() -> BpfProgram.parse("1\n6 0 x 0\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("'x'");
    }

    @Test
    void shouldRejectTheProgramWhenEmptyOrTooLong() {
        assertThatThrownBy(() -> BpfProgram.parse("  \n"))
                .isInstanceOf(IllegalArgumentException.class);
        List<BpfProgram.Instruction> tooLong = new ArrayList<>();
        for (int i = 0; i <= BpfProgram.MAX_INSTRUCTIONS; i++) {
            tooLong.add(new BpfProgram.Instruction(6, 0, 0, 0));
        }
        assertThatThrownBy(() -> new BpfProgram(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4097");
    }

    @Test
    void shouldRejectTheInstructionWhenAJumpDoesNotFitAByte() {
        assertThatThrownBy(() -> new BpfProgram.Instruction(0x15, 256, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void shouldReadTheSameProgramWhenDumpedInEitherFormat(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 0xFFFF) Integer> codes,
            @ForAll @IntRange(min = 0, max = 255) int jt, @ForAll int k) {
        StringBuilder decimal = new StringBuilder().append(codes.size()).append('\n');
        StringBuilder cArray = new StringBuilder();
        for (int code : codes) {
            decimal.append(code).append(' ').append(jt).append(' ').append(255 - jt).append(' ')
                    .append(Integer.toUnsignedString(k)).append('\n');
            cArray.append(String.format("{ 0x%x, %d, %d, 0x%08x },%n", code, jt, 255 - jt, k));
        }

        BpfProgram fromDecimal = BpfProgram.parse(decimal.toString());

        assertThat(BpfProgram.parse(cArray.toString())).isEqualTo(fromDecimal);
        assertThat(fromDecimal.instructions()).extracting(BpfProgram.Instruction::k).containsOnly(k);
    }
}
