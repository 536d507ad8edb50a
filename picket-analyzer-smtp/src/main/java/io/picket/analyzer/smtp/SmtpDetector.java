package io.picket.analyzer.smtp;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zeek's SMTP DPD signatures ({@code base/protocols/smtp/dpd.sig}): the responder's stream starts
 * with {@code [[:space:]]*220[[:space:]-]} ({@code dpd_smtp_server}) and the originator's has
 * {@code HELO} or {@code EHLO} (any case) at its start or after a CR/LF, spaces allowed before it
 * ({@code dpd_smtp_client}, which requires the server's). Byte-at-a-time state, nothing buffered.
 * One instance per connection, owned by the shard thread.
 */
final class SmtpDetector implements Detector {

    private static final int SERVER_SPACE = 0;
    private static final int SERVER_MATCHED = 5;
    private static final int SERVER_FAILED = 6;

    private int server = SERVER_SPACE;
    private long serverSeen;
    private boolean client;
    private boolean lineStart = true;
    private int helo;   // 0: none, 1..3: matched the first 1..3 letters of HELO/EHLO
    private int first;  // the first letter matched, h or e

    @Override
    public int onData(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset) {
        if (isOrig) {
            for (int i = 0; i < length && !client; i++) {
                byte b = data.get(ValueLayout.JAVA_BYTE, offset + i);
                if (!lineStart && helo == 0 && b != '\r' && b != '\n') {
                    continue; // inside a line: only a line break can matter
                }
                client(b);
            }
        } else {
            for (int i = 0; i < length && server < SERVER_MATCHED; i++) {
                if (streamOffset + i != serverSeen) {
                    server = SERVER_FAILED;
                } else {
                    serverSeen++;
                    server(data.get(ValueLayout.JAVA_BYTE, offset + i));
                }
            }
        }
        if (server == SERVER_FAILED) {
            return NO_MATCH;
        }
        return server == SERVER_MATCHED && client ? MATCH : NEED_MORE;
    }

    private void server(byte b) {
        switch (server) {
            case SERVER_SPACE -> {
                if (b == '2') {
                    server = 2;
                } else if (!space(b)) {
                    server = SERVER_FAILED;
                }
            }
            case 2 -> server = b == '2' ? 3 : SERVER_FAILED;
            case 3 -> server = b == '0' ? 4 : SERVER_FAILED;
            case 4 -> server = space(b) || b == '-' ? SERVER_MATCHED : SERVER_FAILED;
            default -> {
            }
        }
    }

    private void client(byte b) {
        int c = b | 0x20;
        if (helo > 0) {
            int want = helo == 1 ? (first == 'h' ? 'e' : 'h') : helo == 2 ? 'l' : 'o';
            if (c == want) {
                helo++;
                client = helo == 4;
                return;
            }
            helo = 0;
            lineStart = false;
        }
        if (b == '\r' || b == '\n') {
            lineStart = true;
        } else if (lineStart && (c == 'h' || c == 'e')) {
            first = c;
            helo = 1;
        } else if (!(lineStart && space(b))) {
            lineStart = false;
        }
    }

    private static boolean space(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0b || b == 0x0c;
    }
}
