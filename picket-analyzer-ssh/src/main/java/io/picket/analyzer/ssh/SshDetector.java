package io.picket.analyzer.ssh;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zeek's SSH DPD signatures ({@code scripts/base/protocols/ssh/dpd.sig}): {@code dpd_ssh_client}
 * matches an originator stream starting with {@code /^[sS][sS][hH]-/} and requires the reverse
 * signature {@code dpd_ssh_server}, the same pattern at the start of the responder stream. The
 * analyzer is enabled once both directions began that way, in either order; a direction whose
 * first four bytes differ rules SSH out.
 *
 * <p>One instance per connection, owned by its shard thread. Keeps two counters; never throws.
 */
final class SshDetector implements Detector {

    /** Bytes of "ssh-" matched so far at the start of each direction (4 = signature matched). */
    private int origMatched;
    private int respMatched;

    @Override
    public int onData(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset) {
        int matched = isOrig ? origMatched : respMatched;
        if (matched < 4 && length > 0 && streamOffset == matched) {
            int n = Math.min(length, 4 - matched);
            for (int i = 0; i < n; i++) {
                if (!prefixByteMatches(matched + i, data.get(ValueLayout.JAVA_BYTE, offset + i))) {
                    return NO_MATCH;
                }
            }
            matched += n;
            if (isOrig) {
                origMatched = matched;
            } else {
                respMatched = matched;
            }
        } else if (matched < 4 && length > 0 && streamOffset > matched) {
            // The start of this direction was never seen: the anchored pattern cannot match.
            return NO_MATCH;
        }
        return origMatched == 4 && respMatched == 4 ? MATCH : NEED_MORE;
    }

    private static boolean prefixByteMatches(int index, byte b) {
        return switch (index) {
            case 0, 1 -> b == 's' || b == 'S';
            case 2 -> b == 'h' || b == 'H';
            default -> b == '-';
        };
    }
}
