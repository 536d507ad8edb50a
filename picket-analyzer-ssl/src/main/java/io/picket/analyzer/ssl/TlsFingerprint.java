package io.picket.analyzer.ssl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * JA3/JA3S (Salesforce) and JA4/JA4S (FoxIO) fingerprints of a connection's first ClientHello
 * and ServerHello. Not part of Zeek's base logs: the ssl.log gains the {@code ja3}, {@code ja3s},
 * {@code ja4} and {@code ja4s} columns only when a run enables them (see {@link SslOptions}).
 * Filled and read on the shard thread that owns the connection.
 */
public final class TlsFingerprint {
    private static final HexFormat HEX = HexFormat.of();
    private static final String EMPTY_HASH = "000000000000";

    // client hello
    boolean clientSeen;
    int clientVersion;
    int[] ciphers = new int[0];
    int[] clientExtensions = new int[0];
    int[] curves = new int[0];
    int[] pointFormats = new int[0];
    int[] signatureAlgorithms = new int[0];
    int[] clientSupportedVersions = new int[0];
    byte[] clientAlpn;
    // server hello
    boolean serverSeen;
    int serverVersion;
    int serverCipher;
    int[] serverExtensions = new int[0];
    int serverSelectedVersion = -1;
    byte[] serverAlpn;

    /** JA3 of the ClientHello, or null when none was seen. */
    public String ja3() {
        if (!clientSeen) {
            return null;
        }
        StringBuilder sb = new StringBuilder(128);
        sb.append(clientVersion).append(',');
        joinDecimal(sb, ciphers);
        sb.append(',');
        joinDecimal(sb, clientExtensions);
        sb.append(',');
        joinDecimal(sb, curves);
        sb.append(',');
        joinDecimal(sb, pointFormats);
        return md5(sb.toString());
    }

    /** JA3S of the ServerHello, or null when none was seen. */
    public String ja3s() {
        if (!serverSeen) {
            return null;
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append(serverVersion).append(',').append(serverCipher).append(',');
        joinDecimal(sb, serverExtensions);
        return md5(sb.toString());
    }

    /** JA4 (TCP) of the ClientHello, or null when none was seen. */
    public String ja4() {
        if (!clientSeen) {
            return null;
        }
        int version = clientVersion;
        int best = -1;
        for (int v : clientSupportedVersions) {
            if (!TlsNames.isGrease(v) && v > best) {
                best = v;
            }
        }
        if (best >= 0) {
            version = best;
        }
        int[] ciph = noGrease(ciphers);
        int[] exts = noGrease(clientExtensions);
        boolean sni = contains(exts, 0);
        StringBuilder a = new StringBuilder(10);
        a.append('t').append(versionCode(version)).append(sni ? 'd' : 'i');
        twoDigits(a, ciph.length);
        twoDigits(a, exts.length);
        alpn(a, clientAlpn);

        String b;
        if (ciph.length == 0) {
            b = EMPTY_HASH;
        } else {
            int[] sorted = ciph.clone();
            Arrays.sort(sorted);
            b = sha12(joinHex(sorted));
        }
        int[] cExts = Arrays.stream(exts).filter(e -> e != 0 && e != 0x10).sorted().toArray();
        int[] sigs = noGrease(signatureAlgorithms);
        String c;
        if (cExts.length == 0) {
            c = EMPTY_HASH;
        } else {
            String s = joinHex(cExts);
            if (sigs.length > 0) {
                s = s + "_" + joinHex(sigs);
            }
            c = sha12(s);
        }
        return a + "_" + b + "_" + c;
    }

    /** JA4S (TCP) of the ServerHello, or null when none was seen. */
    public String ja4s() {
        if (!serverSeen) {
            return null;
        }
        int version = serverSelectedVersion >= 0 ? serverSelectedVersion : serverVersion;
        StringBuilder a = new StringBuilder(8);
        a.append('t').append(versionCode(version));
        twoDigits(a, serverExtensions.length);
        alpn(a, serverAlpn);
        String b = String.format("%04x", serverCipher & 0xffff);
        String c = serverExtensions.length == 0 ? EMPTY_HASH : sha12(joinHex(serverExtensions));
        return a + "_" + b + "_" + c;
    }

    private static String versionCode(int v) {
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002, 0x0200 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
    }

    private static void twoDigits(StringBuilder sb, int n) {
        n = Math.min(n, 99);
        if (n < 10) {
            sb.append('0');
        }
        sb.append(n);
    }

    private static void alpn(StringBuilder sb, byte[] v) {
        if (v == null || v.length == 0) {
            sb.append("00");
            return;
        }
        int first = v[0] & 0xff;
        int last = v[v.length - 1] & 0xff;
        if (alnum(first) && alnum(last)) {
            sb.append((char) first).append((char) last);
        } else {
            String h = HEX.formatHex(v);
            sb.append(h.charAt(0)).append(h.charAt(h.length() - 1));
        }
    }

    private static boolean alnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static int[] noGrease(int[] in) {
        return Arrays.stream(in).filter(v -> !TlsNames.isGrease(v)).toArray();
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static void joinDecimal(StringBuilder sb, int[] values) {
        boolean first = true;
        for (int v : values) {
            if (TlsNames.isGrease(v)) {
                continue;
            }
            if (!first) {
                sb.append('-');
            }
            first = false;
            sb.append(v);
        }
    }

    private static String joinHex(int[] values) {
        StringBuilder sb = new StringBuilder(values.length * 5);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(String.format("%04x", values[i] & 0xffff));
        }
        return sb.toString();
    }

    private static String md5(String s) {
        return digest("MD5", s, 32);
    }

    private static String sha12(String s) {
        return digest("SHA-256", s, 12);
    }

    private static String digest(String alg, String s, int chars) {
        try {
            byte[] d = MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.US_ASCII));
            return HEX.formatHex(d).substring(0, chars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
