package io.picket.capture.afpacket;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A prebuilt classic BPF program (an array of {@code struct sock_filter}) that the kernel runs on
 * every frame before it enters the ring (SO_ATTACH_FILTER). Immutable; usable from any thread.
 *
 * <p>Picket does not compile filter expressions. Produce the program with libpcap's compiler,
 * e.g. {@code tcpdump -i eth0 -ddd 'not port 22'} (decimal, first line the instruction count)
 * or {@code -dd} (C array), and hand the text to {@link #parse}. Compile against the interface
 * that will be captured: on Linux libpcap then emits the ancillary loads that test the VLAN tag
 * the kernel moved out of the frame; the bytes the filter sees carry no outer 802.1Q tag.
 * The program's return value is the number of bytes to keep (0 drops the frame), so a filter
 * also acts as a snap length.
 *
 * @param instructions the program, 1 to 4096 instructions
 */
public record BpfProgram(List<Instruction> instructions) {
    /** BPF_MAXINSNS of the Linux kernel. */
    public static final int MAX_INSTRUCTIONS = 4096;

    /** A program accepting every frame whole ({@code ret #262144}). */
    public static final BpfProgram ACCEPT_ALL = of(new Instruction(0x06, 0, 0, 0x40000));

    /**
     * One {@code struct sock_filter}.
     *
     * @param code opcode, 0..65535
     * @param jt jump offset if true, 0..255
     * @param jf jump offset if false, 0..255
     * @param k operand (any 32-bit value)
     */
    public record Instruction(int code, int jt, int jf, int k) {
        public Instruction {
            if (code < 0 || code > 0xFFFF || jt < 0 || jt > 0xFF || jf < 0 || jf > 0xFF) {
                throw new IllegalArgumentException("BPF instruction out of range: code " + code
                        + " jt " + jt + " jf " + jf);
            }
        }
    }

    /**
     * Checks the size; the instructions themselves are checked by the kernel on attach.
     *
     * @throws IllegalArgumentException if the program is empty or longer than 4096 instructions
     */
    public BpfProgram {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("a BPF program has 1 to " + MAX_INSTRUCTIONS
                    + " instructions, not " + instructions.size());
        }
    }

    /** A program from instructions. */
    public static BpfProgram of(Instruction... instructions) {
        return new BpfProgram(List.of(instructions));
    }

    /**
     * Reads libpcap's dump of a compiled filter: {@code tcpdump -ddd} (a count line, then one
     * {@code code jt jf k} line per instruction, decimal) or {@code tcpdump -dd} (lines
     * {@code { 0x28, 0, 0, 0x0000000c },}).
     *
     * @throws IllegalArgumentException naming the line when the text is not such a dump
     */
    public static BpfProgram parse(String text) {
        Objects.requireNonNull(text, "text");
        List<long[]> rows = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replace('{', ' ').replace('}', ' ').replace(',', ' ').strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            long[] row = new long[fields.length];
            for (int f = 0; f < fields.length; f++) {
                row[f] = number(fields[f], i + 1);
            }
            if (row.length != 1 && row.length != 4) {
                throw new IllegalArgumentException("BPF dump line " + (i + 1)
                        + ": expected 'code jt jf k', got '" + lines[i].strip() + "'");
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("BPF dump is empty");
        }
        int first = 0;
        if (rows.getFirst().length == 1) {
            long count = rows.getFirst()[0];
            if (count != rows.size() - 1) {
                throw new IllegalArgumentException("BPF dump announces " + count
                        + " instructions but has " + (rows.size() - 1));
            }
            first = 1;
        }
        List<Instruction> program = new ArrayList<>(rows.size());
        for (int r = first; r < rows.size(); r++) {
            long[] row = rows.get(r);
            if (row.length != 4) {
                throw new IllegalArgumentException("BPF dump: instruction " + (r - first + 1)
                        + " does not have four fields");
            }
            if (row[3] < Integer.MIN_VALUE || row[3] > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("BPF dump: instruction " + (r - first + 1)
                        + " operand out of range: " + row[3]);
            }
            program.add(new Instruction((int) row[0], (int) row[1], (int) row[2], (int) row[3]));
        }
        return new BpfProgram(program);
    }

    private static long number(String field, int line) {
        try {
            if (field.startsWith("0x") || field.startsWith("0X")) {
                return Long.parseLong(field.substring(2), 16);
            }
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("BPF dump line " + line + ": not a number: '" + field + "'", e);
        }
    }

    /** Number of instructions. */
    public int length() {
        return instructions.size();
    }
}
