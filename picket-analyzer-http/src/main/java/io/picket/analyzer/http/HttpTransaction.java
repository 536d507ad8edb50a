package io.picket.analyzer.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One http.log record in the making: Zeek's {@code HTTP::Info} with the fields of
 * {@code entities.zeek}. Owned by the connection's shard thread; files keep a reference to
 * the record that was current when they started (Zeek's {@code f$http}).
 */
final class HttpTransaction {
    /** Zeek's {@code HTTP::max_files_orig} / {@code max_files_resp}. */
    static final int MAX_FILES = 15;

    final double ts;
    final long transDepth;
    byte[] method;
    byte[] host;
    byte[] uri;
    byte[] referrer;
    String version;
    byte[] userAgent;
    byte[] origin;
    long requestBodyLen;
    long responseBodyLen;
    long statusCode = -1;
    Object statusMsg;
    long infoCode = -1;
    Object infoMsg;
    byte[] username;
    List<byte[]> proxied;
    boolean rangeRequest;
    List<String> origFuids;
    List<byte[]> origFilenames;
    List<String> origMimeTypes;
    List<String> respFuids;
    List<byte[]> respFilenames;
    List<String> respMimeTypes;
    /** Zeek's {@code current_entity}: set while an entity is open, with its filename. */
    boolean hasCurrentEntity;
    byte[] currentEntityFilename;
    boolean logged;

    HttpTransaction(double ts, long transDepth) {
        this.ts = ts;
        this.transDepth = transDepth;
    }

    void addProxied(byte[] entry) {
        if (proxied == null) {
            proxied = new ArrayList<>(2);
        }
        for (byte[] p : proxied) {
            if (Arrays.equals(p, entry)) {
                return;
            }
        }
        proxied.add(entry);
    }

    /** file_over_new_connection in entities.zeek. */
    void addFile(boolean isOrig, String fuid, byte[] filename) {
        List<String> fuids = isOrig ? origFuids : respFuids;
        if (fuids != null && fuids.size() >= MAX_FILES) {
            return;
        }
        if (fuids == null) {
            fuids = new ArrayList<>(2);
            if (isOrig) {
                origFuids = fuids;
            } else {
                respFuids = fuids;
            }
        }
        fuids.add(fuid);
        if (filename != null) {
            List<byte[]> names = isOrig ? origFilenames : respFilenames;
            if (names == null) {
                names = new ArrayList<>(2);
                if (isOrig) {
                    origFilenames = names;
                } else {
                    respFilenames = names;
                }
            }
            names.add(filename);
        }
    }

    /** file_sniff in entities.zeek. */
    void addMimeType(boolean isOrig, String mime) {
        List<String> types = isOrig ? origMimeTypes : respMimeTypes;
        if (types != null && types.size() >= MAX_FILES) {
            return;
        }
        if (types == null) {
            types = new ArrayList<>(2);
            if (isOrig) {
                origMimeTypes = types;
            } else {
                respMimeTypes = types;
            }
        }
        types.add(mime);
    }
}
