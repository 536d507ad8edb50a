import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The performance method's floor: a bare FileChannel walk of a little-endian microsecond pcap
 * through a 4 MiB direct buffer, touching each record header and the frame's 802.1Q tag.
 * Run by scripts/perf-table.sh (compiled once, timed with the JVM start included).
 */
public final class PcapWalk {
    public static void main(String[] args) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
            b.limit(24);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new IOException("short file header");
                }
            }
            if (b.getInt(0) != 0xa1b2c3d4) {
                throw new IOException("not a little-endian microsecond pcap");
            }
            long packets = 0;
            long bytes = 0;
            long tagged = 0;
            long vlanSum = 0;
            boolean eof = false;
            b.clear();
            b.flip();
            while (true) {
                if (b.remaining() < 16 || b.remaining() < 16 + b.getInt(b.position() + 8)) {
                    if (eof) {
                        break;
                    }
                    b.compact();
                    if (ch.read(b) < 0) {
                        eof = true;
                    }
                    b.flip();
                    continue;
                }
                int pos = b.position();
                int caplen = b.getInt(pos + 8);
                int frame = pos + 16;
                if (caplen >= 18 && (b.get(frame + 12) & 0xff) == 0x81 && b.get(frame + 13) == 0) {
                    vlanSum += ((b.get(frame + 14) & 0x0f) << 8) | (b.get(frame + 15) & 0xff);
                    tagged++;
                }
                packets++;
                bytes += caplen;
                b.position(frame + caplen);
            }
            System.out.println("packets=" + packets + " captured_bytes=" + bytes + " tagged=" + tagged
                    + " vlan_sum=" + vlanSum);
        }
    }
}
