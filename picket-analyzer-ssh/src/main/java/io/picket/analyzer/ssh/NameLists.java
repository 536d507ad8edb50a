package io.picket.analyzer.ssh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SSH name-lists (RFC 4251 section 5) and Zeek's algorithm negotiation: the splitting of
 * {@code name_list_to_vector} (ssh-analyzer.pac) and the {@code find_alg} /
 * {@code find_bidirectional_alg} functions of {@code main.zeek}. Names stay raw bytes. Stateless;
 * called on the shard thread during the handshake only.
 */
final class NameLists {

    private static final byte[] NEGOTIATION_FAILED =
            "Algorithm negotiation failed".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TO_SERVER = "To server: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TO_CLIENT = ", to client: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] NONE = new byte[0][];

    private NameLists() {
    }

    /** Splits at commas, dropping empty names (leading, doubled or trailing commas). */
    static byte[][] split(byte[] list) {
        if (list.length == 0) {
            return NONE;
        }
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= list.length; i++) {
            if (i == list.length || list[i] == ',') {
                if (i > start) {
                    out.add(Arrays.copyOfRange(list, start, i));
                }
                start = i + 1;
            }
        }
        return out.toArray(NONE);
    }

    /** find_alg: the first client algorithm the server also lists. */
    static byte[] find(byte[][] client, byte[][] server) {
        for (byte[] c : client) {
            for (byte[] s : server) {
                if (Arrays.equals(c, s)) {
                    return c;
                }
            }
        }
        return NEGOTIATION_FAILED;
    }

    /** find_bidirectional_alg: one name when both directions agree, else both spelled out. */
    static byte[] findBidirectional(byte[][] clientC2s, byte[][] clientS2c, byte[][] serverC2s, byte[][] serverS2c) {
        byte[] c2s = find(clientC2s, serverC2s);
        byte[] s2c = find(clientS2c, serverS2c);
        if (Arrays.equals(c2s, s2c)) {
            return c2s;
        }
        byte[] out = new byte[TO_SERVER.length + c2s.length + TO_CLIENT.length + s2c.length];
        int p = 0;
        System.arraycopy(TO_SERVER, 0, out, p, TO_SERVER.length);
        p += TO_SERVER.length;
        System.arraycopy(c2s, 0, out, p, c2s.length);
        p += c2s.length;
        System.arraycopy(TO_CLIENT, 0, out, p, TO_CLIENT.length);
        p += TO_CLIENT.length;
        System.arraycopy(s2c, 0, out, p, s2c.length);
        return out;
    }
}
