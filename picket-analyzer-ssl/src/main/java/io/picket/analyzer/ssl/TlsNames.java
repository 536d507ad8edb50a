package io.picket.analyzer.ssl;

import java.util.Arrays;

/**
 * Zeek's name tables for TLS numbers ({@code scripts/base/protocols/ssl/consts.zeek}):
 * versions, cipher suites, elliptic curves / named groups and alert descriptions, with the same
 * {@code &default} text for unknown values. Immutable, shared by all threads.
 */
public final class TlsNames {
    private static final int[] CIPHER_CODES;
    private static final String[] CIPHER_NAMES;
    private static final int[] CURVE_CODES;
    private static final String[] CURVE_NAMES;
    private static final String[] ALERTS = new String[256];

    private TlsNames() {
    }

    /** Zeek's {@code SSL::version_strings}, including the TLS 1.3 draft and unknown forms. */
    public static String version(long v) {
        return switch ((int) v) {
            case 0x0002 -> "SSLv2";
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv10";
            case 0x0302 -> "TLSv11";
            case 0x0303 -> "TLSv12";
            case 0x0304 -> "TLSv13";
            case 0xFEFF -> "DTLSv10";
            case 0xFEFD -> "DTLSv12";
            case 0xFEFC -> "DTLSv13";
            default -> v / 0xFF == 0x7F ? "TLSv13-draft" + (v % 0x7F) : "unknown-" + v;
        };
    }

    /** Zeek's {@code SSL::cipher_desc}. */
    public static String cipher(long code) {
        int i = code >= 0 && code <= Integer.MAX_VALUE ? Arrays.binarySearch(CIPHER_CODES, (int) code) : -1;
        return i >= 0 ? CIPHER_NAMES[i] : "unknown-" + code;
    }

    /** Zeek's {@code SSL::ec_curves}. */
    public static String curve(long code) {
        int i = code >= 0 && code <= Integer.MAX_VALUE ? Arrays.binarySearch(CURVE_CODES, (int) code) : -1;
        return i >= 0 ? CURVE_NAMES[i] : "unknown-" + code;
    }

    /** Zeek's {@code SSL::alert_descriptions}. */
    public static String alert(long code) {
        String s = code >= 0 && code < 256 ? ALERTS[(int) code] : null;
        return s != null ? s : "unknown-" + code;
    }

    /** True for the RFC 8701 GREASE values (0x0A0A, 0x1A1A, ... 0xFAFA). */
    public static boolean isGrease(int v) {
        return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
    }

    static {
        Object[] c = {
            // SSLv2
            0x010080, "SSLv20_CK_RC4_128_WITH_MD5",
            0x020080, "SSLv20_CK_RC4_128_EXPORT40_WITH_MD5",
            0x030080, "SSLv20_CK_RC2_128_CBC_WITH_MD5",
            0x040080, "SSLv20_CK_RC2_128_CBC_EXPORT40_WITH_MD5",
            0x050080, "SSLv20_CK_IDEA_128_CBC_WITH_MD5",
            0x060040, "SSLv20_CK_DES_64_CBC_WITH_MD5",
            0x0700C0, "SSLv20_CK_DES_192_EDE3_CBC_WITH_MD5",
            // TLS
            0x0000, "TLS_NULL_WITH_NULL_NULL",
            0x0001, "TLS_RSA_WITH_NULL_MD5",
            0x0002, "TLS_RSA_WITH_NULL_SHA",
            0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
            0x0004, "TLS_RSA_WITH_RC4_128_MD5",
            0x0005, "TLS_RSA_WITH_RC4_128_SHA",
            0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5",
            0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA",
            0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
            0x0009, "TLS_RSA_WITH_DES_CBC_SHA",
            0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA",
            0x000C, "TLS_DH_DSS_WITH_DES_CBC_SHA",
            0x000D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA",
            0x000E, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA",
            0x000F, "TLS_DH_RSA_WITH_DES_CBC_SHA",
            0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA",
            0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA",
            0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA",
            0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
            0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
            0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA",
            0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
            0x0017, "TLS_DH_ANON_EXPORT_WITH_RC4_40_MD5",
            0x0018, "TLS_DH_ANON_WITH_RC4_128_MD5",
            0x0019, "TLS_DH_ANON_EXPORT_WITH_DES40_CBC_SHA",
            0x001A, "TLS_DH_ANON_WITH_DES_CBC_SHA",
            0x001B, "TLS_DH_ANON_WITH_3DES_EDE_CBC_SHA",
            0x001C, "SSL_FORTEZZA_KEA_WITH_NULL_SHA",
            0x001D, "SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA",
            0x001E, "TLS_KRB5_WITH_DES_CBC_SHA",
            0x001F, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA",
            0x0020, "TLS_KRB5_WITH_RC4_128_SHA",
            0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA",
            0x0022, "TLS_KRB5_WITH_DES_CBC_MD5",
            0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5",
            0x0024, "TLS_KRB5_WITH_RC4_128_MD5",
            0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5",
            0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA",
            0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA",
            0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA",
            0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5",
            0x002A, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5",
            0x002B, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5",
            0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA",
            0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA",
            0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA",
            0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
            0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
            0x0034, "TLS_DH_ANON_WITH_AES_128_CBC_SHA",
            0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA",
            0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA",
            0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA",
            0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
            0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            0x003A, "TLS_DH_ANON_WITH_AES_256_CBC_SHA",
            0x003B, "TLS_RSA_WITH_NULL_SHA256",
            0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256",
            0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256",
            0x003E, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256",
            0x003F, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256",
            0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
            0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
            0x0042, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA",
            0x0043, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA",
            0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA",
            0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
            0x0046, "TLS_DH_ANON_WITH_CAMELLIA_128_CBC_SHA",
            0x0060, "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5",
            0x0061, "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5",
            0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA",
            0x0063, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA",
            0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA",
            0x0065, "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA",
            0x0066, "TLS_DHE_DSS_WITH_RC4_128_SHA",
            0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
            0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256",
            0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256",
            0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
            0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
            0x006C, "TLS_DH_ANON_WITH_AES_128_CBC_SHA256",
            0x006D, "TLS_DH_ANON_WITH_AES_256_CBC_SHA256",
            0x0072, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_RMD",
            0x0073, "TLS_DHE_DSS_WITH_AES_128_CBC_RMD",
            0x0074, "TLS_DHE_DSS_WITH_AES_256_CBC_RMD",
            0x0077, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_RMD",
            0x0078, "TLS_DHE_RSA_WITH_AES_128_CBC_RMD",
            0x0079, "TLS_DHE_RSA_WITH_AES_256_CBC_RMD",
            0x007C, "TLS_RSA_WITH_3DES_EDE_CBC_RMD",
            0x007D, "TLS_RSA_WITH_AES_128_CBC_RMD",
            0x007E, "TLS_RSA_WITH_AES_256_CBC_RMD",
            0x0080, "TLS_GOSTR341094_WITH_28147_CNT_IMIT",
            0x0081, "TLS_GOSTR341001_WITH_28147_CNT_IMIT",
            0x0082, "TLS_GOSTR341094_WITH_NULL_GOSTR3411",
            0x0083, "TLS_GOSTR341001_WITH_NULL_GOSTR3411",
            0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
            0x0085, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA",
            0x0086, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA",
            0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA",
            0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
            0x0089, "TLS_DH_ANON_WITH_CAMELLIA_256_CBC_SHA",
            0x008A, "TLS_PSK_WITH_RC4_128_SHA",
            0x008B, "TLS_PSK_WITH_3DES_EDE_CBC_SHA",
            0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA",
            0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA",
            0x008E, "TLS_DHE_PSK_WITH_RC4_128_SHA",
            0x008F, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA",
            0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA",
            0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA",
            0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA",
            0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA",
            0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA",
            0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA",
            0x0096, "TLS_RSA_WITH_SEED_CBC_SHA",
            0x0097, "TLS_DH_DSS_WITH_SEED_CBC_SHA",
            0x0098, "TLS_DH_RSA_WITH_SEED_CBC_SHA",
            0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA",
            0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA",
            0x009B, "TLS_DH_ANON_WITH_SEED_CBC_SHA",
            0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256",
            0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384",
            0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            0x00A0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256",
            0x00A1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384",
            0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
            0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
            0x00A4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256",
            0x00A5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384",
            0x00A6, "TLS_DH_ANON_WITH_AES_128_GCM_SHA256",
            0x00A7, "TLS_DH_ANON_WITH_AES_256_GCM_SHA384",
            0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256",
            0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384",
            0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256",
            0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384",
            0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256",
            0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384",
            0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256",
            0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384",
            0x00B0, "TLS_PSK_WITH_NULL_SHA256",
            0x00B1, "TLS_PSK_WITH_NULL_SHA384",
            0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256",
            0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384",
            0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256",
            0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384",
            0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256",
            0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384",
            0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256",
            0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384",
            0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",
            0x00BB, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256",
            0x00BC, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256",
            0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256",
            0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
            0x00BF, "TLS_DH_ANON_WITH_CAMELLIA_128_CBC_SHA256",
            0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",
            0x00C1, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256",
            0x00C2, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256",
            0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256",
            0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",
            0x00C5, "TLS_DH_ANON_WITH_CAMELLIA_256_CBC_SHA256",
            0x00C6, "TLS_SM4_GCM_SM3",
            0x00C7, "TLS_SM4_CCM_SM3",
            0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
            0x1301, "TLS_AES_128_GCM_SHA256",
            0x1302, "TLS_AES_256_GCM_SHA384",
            0x1303, "TLS_CHACHA20_POLY1305_SHA256",
            0x1304, "TLS_AES_128_CCM_SHA256",
            0x1305, "TLS_AES_128_CCM_8_SHA256",
            0x1306, "TLS_AEGIS_256_SHA384",
            0x1307, "TLS_AEGIS_128L_SHA256",
            0x16B7, "TLS_CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256",
            0x16B8, "TLS_CECPQ1_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            0x16B9, "TLS_CECPQ1_RSA_WITH_AES_256_GCM_SHA384",
            0x16BA, "TLS_CECPQ1_ECDSA_WITH_AES_256_GCM_SHA384",
            0x5600, "TLS_FALLBACK_SCSV",
            0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA",
            0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA",
            0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA",
            0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",
            0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA",
            0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
            0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
            0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
            0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA",
            0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA",
            0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA",
            0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA",
            0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA",
            0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA",
            0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
            0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            0xC015, "TLS_ECDH_ANON_WITH_NULL_SHA",
            0xC016, "TLS_ECDH_ANON_WITH_RC4_128_SHA",
            0xC017, "TLS_ECDH_ANON_WITH_3DES_EDE_CBC_SHA",
            0xC018, "TLS_ECDH_ANON_WITH_AES_128_CBC_SHA",
            0xC019, "TLS_ECDH_ANON_WITH_AES_256_CBC_SHA",
            0xC01A, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA",
            0xC01B, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA",
            0xC01C, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA",
            0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA",
            0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA",
            0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA",
            0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA",
            0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA",
            0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA",
            0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256",
            0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384",
            0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256",
            0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384",
            0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256",
            0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384",
            0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
            0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384",
            0xC033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA",
            0xC034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA",
            0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA",
            0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA",
            0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256",
            0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384",
            0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA",
            0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256",
            0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384",
            0xC03C, "TLS_RSA_WITH_ARIA_128_CBC_SHA256",
            0xC03D, "TLS_RSA_WITH_ARIA_256_CBC_SHA384",
            0xC03E, "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256",
            0xC03F, "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384",
            0xC040, "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256",
            0xC041, "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384",
            0xC042, "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256",
            0xC043, "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384",
            0xC044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256",
            0xC045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384",
            0xC046, "TLS_DH_ANON_WITH_ARIA_128_CBC_SHA256",
            0xC047, "TLS_DH_ANON_WITH_ARIA_256_CBC_SHA384",
            0xC048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256",
            0xC049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384",
            0xC04A, "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256",
            0xC04B, "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384",
            0xC04C, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256",
            0xC04D, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384",
            0xC04E, "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256",
            0xC04F, "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384",
            0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256",
            0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
            0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",
            0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",
            0xC054, "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256",
            0xC055, "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384",
            0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256",
            0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384",
            0xC058, "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256",
            0xC059, "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384",
            0xC05A, "TLS_DH_ANON_WITH_ARIA_128_GCM_SHA256",
            0xC05B, "TLS_DH_ANON_WITH_ARIA_256_GCM_SHA384",
            0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
            0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
            0xC05E, "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256",
            0xC05F, "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384",
            0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
            0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",
            0xC062, "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256",
            0xC063, "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384",
            0xC064, "TLS_PSK_WITH_ARIA_128_CBC_SHA256",
            0xC065, "TLS_PSK_WITH_ARIA_256_CBC_SHA384",
            0xC066, "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256",
            0xC067, "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384",
            0xC068, "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256",
            0xC069, "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384",
            0xC06A, "TLS_PSK_WITH_ARIA_128_GCM_SHA256",
            0xC06B, "TLS_PSK_WITH_ARIA_256_GCM_SHA384",
            0xC06C, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256",
            0xC06D, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384",
            0xC06E, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256",
            0xC06F, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384",
            0xC070, "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256",
            0xC071, "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384",
            0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
            0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
            0xC074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
            0xC075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
            0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
            0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
            0xC078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256",
            0xC079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384",
            0xC07A, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256",
            0xC07B, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384",
            0xC07C, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
            0xC07D, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
            0xC07E, "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256",
            0xC07F, "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384",
            0xC080, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256",
            0xC081, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384",
            0xC082, "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256",
            0xC083, "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384",
            0xC084, "TLS_DH_ANON_WITH_CAMELLIA_128_GCM_SHA256",
            0xC085, "TLS_DH_ANON_WITH_CAMELLIA_256_GCM_SHA384",
            0xC086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",
            0xC087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
            0xC088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",
            0xC089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
            0xC08A, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
            0xC08B, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
            0xC08C, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256",
            0xC08D, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384",
            0xC08E, "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256",
            0xC08F, "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384",
            0xC090, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256",
            0xC091, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384",
            0xC092, "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256",
            0xC093, "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384",
            0xC094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256",
            0xC095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384",
            0xC096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",
            0xC097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
            0xC098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256",
            0xC099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384",
            0xC09A, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",
            0xC09B, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
            0xC09C, "TLS_RSA_WITH_AES_128_CCM",
            0xC09D, "TLS_RSA_WITH_AES_256_CCM",
            0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM",
            0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM",
            0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8",
            0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8",
            0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8",
            0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8",
            0xC0A4, "TLS_PSK_WITH_AES_128_CCM",
            0xC0A5, "TLS_PSK_WITH_AES_256_CCM",
            0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM",
            0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM",
            0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8",
            0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8",
            0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8",
            0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8",
            0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
            0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
            0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
            0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
            0xC0B0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256",
            0xC0B1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384",
            0xC0B2, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256",
            0xC0B3, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384",
            0xC0B4, "TLS_SHA256_SHA256",
            0xC0B5, "TLS_SHA384_SHA384",
            0xC100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",
            0xC101, "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC",
            0xC102, "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT",
            0xC103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L",
            0xC104, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L",
            0xC105, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S",
            0xC106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S",
            0xCC13, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD",
            0xCC14, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256_OLD",
            0xCC15, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD",
            0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256",
            0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
            0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
            0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",
            0xD001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",
            0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384",
            0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256",
            0xD004, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256_OLD",
            0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256",
            0xFEFE, "SSL_RSA_FIPS_WITH_DES_CBC_SHA",
            0xFEFF, "SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA",
            0xFFE0, "SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA_2",
            0xFFE1, "SSL_RSA_FIPS_WITH_DES_CBC_SHA_2",
            0xFF80, "SSL_RSA_WITH_RC2_CBC_MD5",
            0xFF81, "SSL_RSA_WITH_IDEA_CBC_MD5",
            0xFF82, "SSL_RSA_WITH_DES_CBC_MD5",
            0xFF83, "SSL_RSA_WITH_3DES_EDE_CBC_MD5",
        };
        Object[] g = {
            1, "sect163k1", 2, "sect163r1", 3, "sect163r2", 4, "sect193r1", 5, "sect193r2",
            6, "sect233k1", 7, "sect233r1", 8, "sect239k1", 9, "sect283k1", 10, "sect283r1",
            11, "sect409k1", 12, "sect409r1", 13, "sect571k1", 14, "sect571r1", 15, "secp160k1",
            16, "secp160r1", 17, "secp160r2", 18, "secp192k1", 19, "secp192r1", 20, "secp224k1",
            21, "secp224r1", 22, "secp256k1", 23, "secp256r1", 24, "secp384r1", 25, "secp521r1",
            26, "brainpoolP256r1", 27, "brainpoolP384r1", 28, "brainpoolP512r1", 29, "x25519",
            30, "x448", 31, "brainpoolP256r1tls13", 32, "brainpoolP384r1tls13",
            33, "brainpoolP512r1tls13", 34, "GC256A", 35, "GC256B", 36, "GC256C", 37, "GC256D",
            38, "GC512A", 39, "GC512B", 40, "GC512C", 41, "curveSM2",
            256, "ffdhe2048", 257, "ffdhe3072", 258, "ffdhe4096", 259, "ffdhe6144", 260, "ffdhe8192",
            512, "MLKEM512", 513, "MLKEM768", 514, "MLKEM1024",
            4587, "SecP256r1MLKEM768", 4588, "X25519MLKEM768", 4589, "SecP384r1MLKEM1024",
            4590, "curveSM2MLKEM768", 16696, "CECPQ2",
            25497, "X25519Kyber768Draft00", 25498, "SecP256r1Kyber768Draft00",
            0xFF01, "arbitrary_explicit_prime_curves", 0xFF02, "arbitrary_explicit_char2_curves",
        };
        Object[] a = {
            0, "close_notify", 10, "unexpected_message", 20, "bad_record_mac",
            21, "decryption_failed", 22, "record_overflow", 30, "decompression_failure",
            40, "handshake_failure", 41, "no_certificate", 42, "bad_certificate",
            43, "unsupported_certificate", 44, "certificate_revoked", 45, "certificate_expired",
            46, "certificate_unknown", 47, "illegal_parameter", 48, "unknown_ca",
            49, "access_denied", 50, "decode_error", 51, "decrypt_error",
            60, "export_restriction", 70, "protocol_version", 71, "insufficient_security",
            80, "internal_error", 86, "inappropriate_fallback", 90, "user_canceled",
            100, "no_renegotiation", 110, "unsupported_extension", 111, "certificate_unobtainable",
            112, "unrecognized_name", 113, "bad_certificate_status_response",
            114, "bad_certificate_hash_value", 115, "unknown_psk_identity",
            116, "certificate_required", 117, "general_error", 120, "no_application_protocol",
            121, "ech_required",
        };
        int[][] codes = new int[2][];
        String[][] names = new String[2][];
        Object[][] tables = {c, withGrease(g)};
        for (int t = 0; t < 2; t++) {
            Object[] src = t == 0 ? withGrease(c) : tables[1];
            int n = src.length / 2;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Integer.compare((Integer) src[2 * x], (Integer) src[2 * y]));
            codes[t] = new int[n];
            names[t] = new String[n];
            for (int i = 0; i < n; i++) {
                codes[t][i] = (Integer) src[2 * order[i]];
                names[t][i] = (String) src[2 * order[i] + 1];
            }
        }
        CIPHER_CODES = codes[0];
        CIPHER_NAMES = names[0];
        CURVE_CODES = codes[1];
        CURVE_NAMES = names[1];
        for (int i = 0; i < a.length; i += 2) {
            ALERTS[(Integer) a[i]] = (String) a[i + 1];
        }
    }

    /** Appends Zeek's grease_0xXAXA names (cipher and curve tables both carry them). */
    private static Object[] withGrease(Object[] base) {
        Object[] out = Arrays.copyOf(base, base.length + 32);
        for (int i = 0; i < 16; i++) {
            int v = (i << 12) | 0x0A00 | (i << 4) | 0x0A;
            out[base.length + 2 * i] = v;
            out[base.length + 2 * i + 1] = String.format("grease_0x%04X", v);
        }
        return out;
    }
}
