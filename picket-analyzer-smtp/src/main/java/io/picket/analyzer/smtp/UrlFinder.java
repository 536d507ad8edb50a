package io.picket.analyzer.smtp;

import java.util.Arrays;

/**
 * Zeek's {@code find_all_urls_without_scheme} (base/utils/urls.zeek) over one chunk of bytes:
 * {@code find_all} of {@code url_regex}
 * {@code /^([a-zA-Z\-]{3,5}):\/\/(-\.)?([^[:blank:]\/?\.#-]+\.?)+(\/[^[:blank:]]*)?/} (longest match
 * at each position, the scan going on after it), each match without its {@code scheme://}, as a set
 * (a URL found twice in the chunk is reported once, at its first place).
 *
 * <p>What the pattern means byte by byte: a run of 3 to 5 letters or dashes right before
 * {@code ://}, an optional {@code -.}, then a host of bytes other than blank (space, tab), {@code /
 * ? . # -} with single dots between them (CR, LF, NUL and high bytes belong to it), then, when a
 * {@code /} follows, everything up to the next space or tab. One pass, no backtracking; allocates
 * nothing once its set table has grown to the chunk's URL count; never throws on any bytes. Owned
 * by the thread of the analyzer that made it.
 */
final class UrlFinder {

    /** Where the URLs go: {@code b[start, end)} is one, without its scheme. */
    interface Sink {
        void url(byte[] b, int start, int end);
    }

    private static final boolean[] SCHEME = new boolean[256];
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            SCHEME[c] = true;
            SCHEME[c - 'a' + 'A'] = true;
        }
        SCHEME['-'] = true;
        Arrays.fill(HOST, true);
        for (char c : new char[] {' ', '\t', '/', '?', '.', '#', '-'}) {
            HOST[c] = false;
        }
    }

    // open-addressing set of this chunk's URLs: slot -> index into start/end/hash, valid when stamped
    private int[] slots = new int[64];
    private int[] slotStamp = new int[64];
    private int stamp;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int[] hashes = new int[16];
    private int count;

    /**
     * Reports the distinct URLs of {@code b[off, off + len)} to {@code sink} in order of first
     * appearance and returns how many there were.
     */
    int find(byte[] b, int off, int len, Sink sink) {
        newSet();
        int end = off + len;
        int cursor = off; // find_all goes on after a match
        int i = off;
        while (i + 2 < end) {
            if (b[i] != ':' || b[i + 1] != '/' || b[i + 2] != '/') {
                i++;
                continue;
            }
            // the scheme: 3..5 scheme bytes ending at i, starting at or after the cursor; the
            // earliest such start is the position find_all tries first
            int lo = Math.max(cursor, i - 5);
            int t = i;
            while (t > lo && SCHEME[b[t - 1] & 0xff]) {
                t--;
            }
            if (i - t < 3) {
                i++;
                continue;
            }
            int p = i + 3;
            if (p + 1 < end && b[p] == '-' && b[p + 1] == '.') {
                p += 2;
            }
            if (p >= end || !HOST[b[p] & 0xff]) {
                i++;
                continue;
            }
            int q = p + 1;
            boolean dot = false;
            while (q < end) {
                int c = b[q] & 0xff;
                if (HOST[c]) {
                    dot = false;
                } else if (c == '.' && !dot) {
                    dot = true;
                } else {
                    break;
                }
                q++;
            }
            if (q < end && b[q] == '/') {
                q++;
                while (q < end && b[q] != ' ' && b[q] != '\t') {
                    q++;
                }
            }
            if (add(b, i + 3, q)) {
                sink.url(b, i + 3, q);
            }
            cursor = q;
            i = q;
        }
        return count;
    }

    private void newSet() {
        count = 0;
        if (++stamp == 0) {
            Arrays.fill(slotStamp, 0);
            stamp = 1;
        }
    }

    /** Adds {@code b[s, e)} to this chunk's set; false when it is there already. */
    private boolean add(byte[] b, int s, int e) {
        int h = 1;
        for (int k = s; k < e; k++) {
            h = 31 * h + b[k];
        }
        int mask = slots.length - 1;
        int slot = (h ^ (h >>> 16)) & mask;
        while (slotStamp[slot] == stamp) {
            int j = slots[slot];
            if (hashes[j] == h && Arrays.equals(b, starts[j], ends[j], b, s, e)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        starts[count] = s;
        ends[count] = e;
        hashes[count] = h;
        slots[slot] = count;
        slotStamp[slot] = stamp;
        count++;
        if (count * 2 > slots.length) {
            rehash();
        }
        return true;
    }

    private void rehash() {
        int n = slots.length * 2;
        slots = new int[n];
        slotStamp = new int[n];
        stamp = 1;
        int mask = n - 1;
        for (int j = 0; j < count; j++) {
            int h = hashes[j];
            int slot = (h ^ (h >>> 16)) & mask;
            while (slotStamp[slot] == stamp) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = j;
            slotStamp[slot] = stamp;
        }
    }
}
