package io.picket.analyzer.http;

/**
 * One file of Zeek's file analysis as far as http.log needs it: its id, its direction, the
 * record it was attached to ({@code f$http}) and the beginning-of-file buffer used for MIME
 * sniffing ({@code default_file_bof_buffer_size} = 4096 bytes; {@code file_sniff} fires when
 * the buffer is full, at a gap or at the end of the file). Owned by the shard thread.
 */
final class HttpFile {
    static final int BOF_SIZE = 4096;

    final String fuid;
    final boolean isOrig;
    HttpTransaction rec;
    /** Range-request key ({@code build_url}) when the file is shared by 206 replies. */
    byte[] urlKey;
    private byte[] bof;
    private int bofLen;
    private long streamOffset;
    private boolean sniffed;
    boolean ended;

    HttpFile(String fuid, boolean isOrig) {
        this.fuid = fuid;
        this.isOrig = isOrig;
    }

    /** Data at the file's current stream position. */
    void dataIn(byte[] d, int off, int len) {
        dataIn(d, off, len, streamOffset);
    }

    /** Data at a given offset; only contiguous data from offset 0 reaches the BOF buffer. */
    void dataIn(byte[] d, int off, int len, long offset) {
        if (offset != streamOffset) {
            return;
        }
        streamOffset += len;
        if (sniffed) {
            return;
        }
        int n = Math.min(len, BOF_SIZE - bofLen);
        if (bof == null || bofLen + n > bof.length) {
            // grown as data comes (most bodies are small): at most BOF_SIZE
            int cap = Math.min(BOF_SIZE, Math.max(256, Integer.highestOneBit(bofLen + n - 1) << 1));
            bof = bof == null ? new byte[cap] : java.util.Arrays.copyOf(bof, cap);
        }
        System.arraycopy(d, off, bof, bofLen, n);
        bofLen += n;
        if (bofLen >= BOF_SIZE) {
            sniff();
        }
    }

    void gap(long len) {
        if (!sniffed && bofLen > 0) {
            sniff();
        }
        streamOffset += len;
    }

    void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (!sniffed && bofLen > 0) {
            sniff();
        }
        bof = null;
    }

    private void sniff() {
        sniffed = true;
        String mime = FileMagic.standard().detect(bof, bofLen);
        bof = null;
        if (mime != null && rec != null) {
            rec.addMimeType(isOrig, mime);
        }
    }
}
