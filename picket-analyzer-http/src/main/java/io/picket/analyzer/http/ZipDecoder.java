package io.picket.analyzer.http;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Content-Encoding gzip/deflate decompression with the behaviour of Zeek's
 * {@code ZIP_Analyzer}: zlib or gzip framing is detected from the first bytes (zlib's
 * {@code MAX_WBITS + 32}); a data error in the first inflate call of a delivery restarts the
 * delivery as raw deflate; any later error raises {@code inflate_failed} and stops; the end of
 * the first stream stops decompression (trailing data is ignored). The gzip trailer is not
 * verified. Owned by the shard thread; {@link #end()} releases the native inflater.
 */
final class ZipDecoder {
    /** Receives decompressed bytes. */
    interface Output {
        void inflated(byte[] b, int off, int len);
    }

    private static final int DETECT = 0;
    private static final int GZIP_HEADER = 1;
    private static final int INFLATE = 2;
    private static final int STOPPED = 3;

    private final HttpAnalyzer owner;
    private final byte[] out;
    private Inflater inflater;
    private int state = DETECT;
    private final byte[] head = new byte[2];
    private int headLen;
    // gzip header parsing
    private int gzPos;
    private int gzFlags;
    private int gzExtraLen;
    private int gzStage;

    ZipDecoder(HttpAnalyzer owner, byte[] out) {
        this.owner = owner;
        this.out = out;
    }

    void deliver(byte[] d, int off, int len, Output sink) {
        if (len <= 0 || state == STOPPED) {
            return;
        }
        int origOff = off;
        int origLen = len;
        if (state == DETECT) {
            while (headLen < 2 && len > 0) {
                head[headLen++] = d[off++];
                len--;
            }
            if (headLen < 2) {
                return;
            }
            if ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                state = GZIP_HEADER;
                gzPos = 2;
                gzStage = 0;
            } else {
                int cmf = head[0] & 0xff;
                int flg = head[1] & 0xff;
                boolean zlibOk = (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0
                        && (flg & 0x20) == 0;
                if (zlibOk) {
                    inflater = new Inflater(false);
                    state = INFLATE;
                    inflater.setInput(head, 0, 2);
                    // Nothing can be produced from the two header bytes alone.
                    drain(sink, true);
                } else {
                    // zlib reports Z_DATA_ERROR on the header: restart as raw deflate with the
                    // delivery Zeek passed in.
                    restartRaw(d, origOff, origLen, sink, headBytesFromEarlier(origOff, off));
                    return;
                }
            }
        }
        if (state == GZIP_HEADER) {
            while (len > 0 && state == GZIP_HEADER) {
                gzipHeaderByte(d[off++] & 0xff);
                len--;
            }
            if (state != INFLATE) {
                return;
            }
        }
        if (state == INFLATE && len > 0) {
            inflater.setInput(d, off, len);
            if (!drain(sink, true)) {
                return;
            }
        }
    }

    /** Number of detection bytes that came from earlier deliveries (not in this one). */
    private int headBytesFromEarlier(int origOff, int off) {
        return 2 - (off - origOff);
    }

    private void restartRaw(byte[] d, int off, int len, Output sink, int earlier) {
        end();
        inflater = new Inflater(true);
        state = INFLATE;
        if (earlier > 0) {
            inflater.setInput(head, 0, earlier);
            if (!drain(sink, false)) {
                return;
            }
        }
        inflater.setInput(d, off, len);
        drain(sink, false);
    }

    private void gzipHeaderByte(int b) {
        // stage 0: fixed 10-byte header; 1: extra length; 2: extra data; 3: name; 4: comment;
        // 5: header crc
        switch (gzStage) {
            case 0 -> {
                if (gzPos == 2 && b != 8) {
                    fail();
                    return;
                }
                if (gzPos == 3) {
                    gzFlags = b;
                }
                gzPos++;
                if (gzPos == 10) {
                    nextGzipStage(1);
                }
            }
            case 1 -> {
                gzExtraLen |= b << (8 * (gzPos++));
                if (gzPos == 2) {
                    gzPos = 0;
                    if (gzExtraLen == 0) {
                        nextGzipStage(3);
                    } else {
                        gzStage = 2;
                    }
                }
            }
            case 2 -> {
                if (++gzPos == gzExtraLen) {
                    nextGzipStage(3);
                }
            }
            case 3, 4 -> {
                if (b == 0) {
                    nextGzipStage(gzStage + 1);
                }
            }
            case 5 -> {
                if (++gzPos == 2) {
                    nextGzipStage(6);
                }
            }
            default -> {
            }
        }
    }

    private void nextGzipStage(int stage) {
        gzPos = 0;
        int s = stage;
        while (true) {
            if (s == 1 && (gzFlags & 0x04) == 0) {
                s = 3;
            } else if (s == 3 && (gzFlags & 0x08) == 0) {
                s = 4;
            } else if (s == 4 && (gzFlags & 0x10) == 0) {
                s = 5;
            } else if (s == 5 && (gzFlags & 0x02) == 0) {
                s = 6;
            } else {
                break;
            }
        }
        if (s >= 6) {
            inflater = new Inflater(true);
            state = INFLATE;
        } else {
            gzStage = s;
        }
    }

    /** Inflates until input is used up; false when decompression stopped. */
    private boolean drain(Output sink, boolean allowRestart) {
        try {
            while (true) {
                int n = inflater.inflate(out, 0, out.length);
                if (n > 0) {
                    sink.inflated(out, 0, n);
                }
                if (inflater.finished()) {
                    end();
                    state = STOPPED;
                    return false;
                }
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return true;
                }
            }
        } catch (DataFormatException e) {
            fail();
            return false;
        }
    }

    private void fail() {
        owner.weird("inflate_failed", null);
        end();
        state = STOPPED;
    }

    /** Releases the native inflater (Zeek's {@code ZIP_Analyzer::Done}). */
    void end() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }
}
