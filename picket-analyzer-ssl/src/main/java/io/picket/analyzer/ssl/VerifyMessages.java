package io.picket.analyzer.ssl;

/**
 * The text of OpenSSL's {@code X509_verify_cert_error_string}, which Zeek logs as ssl.log
 * {@code validation_status}. The wording depends on the OpenSSL that Zeek is linked with, so a
 * run picks the release family whose logs it must reproduce. Immutable.
 */
public enum VerifyMessages {
    /** OpenSSL 1.1.x: "self signed certificate", "certificate is not yet valid". */
    OPENSSL_1_1,
    /** OpenSSL 3.0 to 3.5: "self-signed certificate", "certificate is not yet valid". */
    OPENSSL_3_0,
    /** OpenSSL 3.6 and later: as 3.0, and "certificate is not yet valid or the system clock is incorrect". */
    OPENSSL_3_6;

    /** OpenSSL's {@code X509_V_*} codes this analyzer reports. */
    static final int OK = 0;
    static final int UNSPECIFIED = 1;
    static final int UNABLE_TO_GET_ISSUER_CERT = 2;
    static final int UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY = 6;
    static final int CERT_SIGNATURE_FAILURE = 7;
    static final int CERT_NOT_YET_VALID = 9;
    static final int CERT_HAS_EXPIRED = 10;
    static final int DEPTH_ZERO_SELF_SIGNED_CERT = 18;
    static final int SELF_SIGNED_CERT_IN_CHAIN = 19;
    static final int UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20;
    static final int CERT_CHAIN_TOO_LONG = 22;
    static final int INVALID_CA = 24;
    static final int PATH_LENGTH_EXCEEDED = 25;
    static final int KEYUSAGE_NO_CERTSIGN = 32;
    static final int UNHANDLED_CRITICAL_EXTENSION = 34;
    static final int PERMITTED_VIOLATION = 47;
    static final int EXCLUDED_VIOLATION = 48;

    /** The message of an {@code X509_V_*} code, as {@code X509_verify_cert_error_string} words it. */
    public String text(int code) {
        boolean v3 = this != OPENSSL_1_1;
        return switch (code) {
            case OK -> "ok";
            case UNSPECIFIED -> "unspecified certificate verification error";
            case UNABLE_TO_GET_ISSUER_CERT -> "unable to get issuer certificate";
            case UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY -> "unable to decode issuer public key";
            case CERT_SIGNATURE_FAILURE -> "certificate signature failure";
            case CERT_NOT_YET_VALID -> this == OPENSSL_3_6
                    ? "certificate is not yet valid or the system clock is incorrect"
                    : "certificate is not yet valid";
            case CERT_HAS_EXPIRED -> "certificate has expired";
            case DEPTH_ZERO_SELF_SIGNED_CERT -> v3 ? "self-signed certificate" : "self signed certificate";
            case SELF_SIGNED_CERT_IN_CHAIN -> v3
                    ? "self-signed certificate in certificate chain"
                    : "self signed certificate in certificate chain";
            case UNABLE_TO_GET_ISSUER_CERT_LOCALLY -> "unable to get local issuer certificate";
            case CERT_CHAIN_TOO_LONG -> "certificate chain too long";
            case INVALID_CA -> "invalid CA certificate";
            case PATH_LENGTH_EXCEEDED -> "path length constraint exceeded";
            case KEYUSAGE_NO_CERTSIGN -> "key usage does not include certificate signing";
            case UNHANDLED_CRITICAL_EXTENSION -> "unhandled critical extension";
            case PERMITTED_VIOLATION -> "permitted subtree violation";
            case EXCLUDED_VIOLATION -> "excluded subtree violation";
            default -> "unknown certificate verification error";
        };
    }
}
