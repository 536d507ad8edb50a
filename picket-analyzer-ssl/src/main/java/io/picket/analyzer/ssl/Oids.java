package io.picket.analyzer.ssl;

import java.util.Map;

/**
 * The OpenSSL object names Zeek's x509 analyzer prints: long names for key and signature
 * algorithms ({@code i2t_ASN1_OBJECT}), short names for distinguished-name attributes
 * ({@code XN_FLAG_FN_SN}) and named curves ({@code OSSL_PKEY_PARAM_GROUP_NAME}) with their
 * order sizes. Immutable, shared by all threads.
 */
final class Oids {
    static final String RSA = "1.2.840.113549.1.1.1";
    static final String MD5_WITH_RSA = "1.2.840.113549.1.1.4";
    static final String DSA = "1.2.840.10040.4.1";
    static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    static final String COMMON_NAME = "2.5.4.3";
    static final String BASIC_CONSTRAINTS = "2.5.29.19";
    static final String SUBJECT_ALT_NAME = "2.5.29.17";

    /** OpenSSL long names (falling back to the short name) of algorithm identifiers. */
    private static final Map<String, String> ALGORITHMS = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.1", "rsaEncryption"),
            Map.entry("1.2.840.113549.1.1.2", "md2WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.3", "md4WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.7", "rsaesOaep"),
            Map.entry("1.2.840.113549.1.1.10", "rsassaPss"),
            Map.entry("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.15", "sha512-224WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.16", "sha512-256WithRSAEncryption"),
            Map.entry("1.2.840.10040.4.1", "dsaEncryption"),
            Map.entry("1.2.840.10040.4.3", "dsaWithSHA1"),
            Map.entry("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224"),
            Map.entry("2.16.840.1.101.3.4.3.2", "dsa_with_SHA256"),
            Map.entry("2.16.840.1.101.3.4.3.3", "dsa_with_SHA384"),
            Map.entry("2.16.840.1.101.3.4.3.4", "dsa_with_SHA512"),
            Map.entry("2.16.840.1.101.3.4.3.9", "ecdsa_with_SHA3-224"),
            Map.entry("2.16.840.1.101.3.4.3.10", "ecdsa_with_SHA3-256"),
            Map.entry("2.16.840.1.101.3.4.3.11", "ecdsa_with_SHA3-384"),
            Map.entry("2.16.840.1.101.3.4.3.12", "ecdsa_with_SHA3-512"),
            Map.entry("2.16.840.1.101.3.4.3.13", "RSA-SHA3-224"),
            Map.entry("2.16.840.1.101.3.4.3.14", "RSA-SHA3-256"),
            Map.entry("2.16.840.1.101.3.4.3.15", "RSA-SHA3-384"),
            Map.entry("2.16.840.1.101.3.4.3.16", "RSA-SHA3-512"),
            Map.entry("1.2.840.10045.2.1", "id-ecPublicKey"),
            Map.entry("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
            Map.entry("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
            Map.entry("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
            Map.entry("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
            Map.entry("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
            Map.entry("1.3.101.110", "X25519"),
            Map.entry("1.3.101.111", "X448"),
            Map.entry("1.3.101.112", "ED25519"),
            Map.entry("1.3.101.113", "ED448"),
            Map.entry("1.3.14.3.2.3", "md5WithRSA"),
            Map.entry("1.3.14.3.2.12", "dsaEncryption-old"),
            Map.entry("1.3.14.3.2.13", "dsaWithSHA"),
            Map.entry("1.3.14.3.2.15", "shaWithRSAEncryption"),
            Map.entry("1.3.14.3.2.27", "dsaWithSHA1-old"),
            Map.entry("1.3.14.3.2.29", "sha1WithRSA"),
            Map.entry("1.3.36.3.3.1.2", "ripemd160WithRSA"),
            Map.entry("1.2.156.10197.1.301", "sm2"),
            Map.entry("1.2.156.10197.1.501", "SM2-with-SM3"),
            Map.entry("1.2.643.2.2.3", "GOST R 34.11-94 with GOST R 34.10-2001"),
            Map.entry("1.2.643.2.2.4", "GOST R 34.11-94 with GOST R 34.10-94"),
            Map.entry("1.2.643.2.2.19", "GOST R 34.10-2001"),
            Map.entry("1.2.643.2.2.20", "GOST R 34.10-94"),
            Map.entry("1.2.643.7.1.1.1.1", "GOST R 34.10-2012 with 256 bit modulus"),
            Map.entry("1.2.643.7.1.1.1.2", "GOST R 34.10-2012 with 512 bit modulus"),
            Map.entry("1.2.643.7.1.1.3.2", "GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)"),
            Map.entry("1.2.643.7.1.1.3.3", "GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)"));

    /** OpenSSL short names of name attributes. */
    private static final Map<String, String> ATTRIBUTES = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"),
            Map.entry("2.5.4.4", "SN"),
            Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.6", "C"),
            Map.entry("2.5.4.7", "L"),
            Map.entry("2.5.4.8", "ST"),
            Map.entry("2.5.4.9", "street"),
            Map.entry("2.5.4.10", "O"),
            Map.entry("2.5.4.11", "OU"),
            Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.13", "description"),
            Map.entry("2.5.4.14", "searchGuide"),
            Map.entry("2.5.4.15", "businessCategory"),
            Map.entry("2.5.4.16", "postalAddress"),
            Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.18", "postOfficeBox"),
            Map.entry("2.5.4.19", "physicalDeliveryOfficeName"),
            Map.entry("2.5.4.20", "telephoneNumber"),
            Map.entry("2.5.4.21", "telexNumber"),
            Map.entry("2.5.4.22", "teletexTerminalIdentifier"),
            Map.entry("2.5.4.23", "facsimileTelephoneNumber"),
            Map.entry("2.5.4.24", "x121Address"),
            Map.entry("2.5.4.25", "internationaliSDNNumber"),
            Map.entry("2.5.4.26", "registeredAddress"),
            Map.entry("2.5.4.27", "destinationIndicator"),
            Map.entry("2.5.4.28", "preferredDeliveryMethod"),
            Map.entry("2.5.4.29", "presentationAddress"),
            Map.entry("2.5.4.30", "supportedApplicationContext"),
            Map.entry("2.5.4.31", "member"),
            Map.entry("2.5.4.32", "owner"),
            Map.entry("2.5.4.33", "roleOccupant"),
            Map.entry("2.5.4.34", "seeAlso"),
            Map.entry("2.5.4.35", "userPassword"),
            Map.entry("2.5.4.36", "userCertificate"),
            Map.entry("2.5.4.37", "cACertificate"),
            Map.entry("2.5.4.38", "authorityRevocationList"),
            Map.entry("2.5.4.39", "certificateRevocationList"),
            Map.entry("2.5.4.40", "crossCertificatePair"),
            Map.entry("2.5.4.41", "name"),
            Map.entry("2.5.4.42", "GN"),
            Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.45", "x500UniqueIdentifier"),
            Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.47", "enhancedSearchGuide"),
            Map.entry("2.5.4.48", "protocolInformation"),
            Map.entry("2.5.4.49", "distinguishedName"),
            Map.entry("2.5.4.50", "uniqueMember"),
            Map.entry("2.5.4.51", "houseIdentifier"),
            Map.entry("2.5.4.52", "supportedAlgorithms"),
            Map.entry("2.5.4.53", "deltaRevocationList"),
            Map.entry("2.5.4.54", "dmdName"),
            Map.entry("2.5.4.65", "pseudonym"),
            Map.entry("2.5.4.72", "role"),
            Map.entry("2.5.4.97", "organizationIdentifier"),
            Map.entry("2.5.4.98", "c3"),
            Map.entry("2.5.4.99", "n3"),
            Map.entry("2.5.4.100", "dnsName"),
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("1.2.840.113549.1.9.2", "unstructuredName"),
            Map.entry("1.2.840.113549.1.9.8", "unstructuredAddress"),
            Map.entry("0.9.2342.19200300.100.1.1", "UID"),
            Map.entry("0.9.2342.19200300.100.1.3", "mail"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
            Map.entry("1.2.643.3.131.1.1", "INN"),
            Map.entry("1.2.643.100.1", "OGRN"),
            Map.entry("1.2.643.100.3", "SNILS"),
            Map.entry("1.2.643.100.5", "OGRNIP"),
            Map.entry("1.2.643.100.4", "INNLE"),
            // other objects OpenSSL knows by a short name (printed the same way in a name)
            Map.entry("2.5.29.9", "subjectDirectoryAttributes"),
            Map.entry("2.5.29.14", "subjectKeyIdentifier"),
            Map.entry("2.5.29.15", "keyUsage"),
            Map.entry("2.5.29.16", "privateKeyUsagePeriod"),
            Map.entry("2.5.29.17", "subjectAltName"),
            Map.entry("2.5.29.18", "issuerAltName"),
            Map.entry("2.5.29.19", "basicConstraints"),
            Map.entry("2.5.29.20", "crlNumber"),
            Map.entry("2.5.29.21", "CRLReason"),
            Map.entry("2.5.29.24", "invalidityDate"),
            Map.entry("2.5.29.27", "deltaCRL"),
            Map.entry("2.5.29.28", "issuingDistributionPoint"),
            Map.entry("2.5.29.29", "certificateIssuer"),
            Map.entry("2.5.29.30", "nameConstraints"),
            Map.entry("2.5.29.31", "crlDistributionPoints"),
            Map.entry("2.5.29.32", "certificatePolicies"),
            Map.entry("2.5.29.33", "policyMappings"),
            Map.entry("2.5.29.35", "authorityKeyIdentifier"),
            Map.entry("2.5.29.36", "policyConstraints"),
            Map.entry("2.5.29.37", "extendedKeyUsage"),
            Map.entry("2.5.29.46", "freshestCRL"),
            Map.entry("2.5.29.54", "inhibitAnyPolicy"),
            Map.entry("1.3.6.1.5.5.7.1.1", "authorityInfoAccess"),
            Map.entry("1.3.6.1.5.5.7.1.11", "subjectInfoAccess"),
            Map.entry("2.16.840.1.113730.1.1", "nsCertType"),
            Map.entry("2.16.840.1.113730.1.13", "nsComment"),
            Map.entry("1.2.840.113549.1.9.3", "contentType"),
            Map.entry("1.2.840.113549.1.9.7", "challengePassword"),
            Map.entry("1.2.840.113549.1.9.14", "extReq"),
            Map.entry("1.2.840.113549.1.1.1", "rsaEncryption"));

    /** Named curves OpenSSL decodes: short name and bit length of the group order. */
    private record Curve(String name, int orderBits) {
    }

    private static final Map<String, Curve> CURVES = Map.ofEntries(
            Map.entry("1.2.840.10045.3.1.1", new Curve("prime192v1", 192)),
            Map.entry("1.2.840.10045.3.1.2", new Curve("prime192v2", 192)),
            Map.entry("1.2.840.10045.3.1.3", new Curve("prime192v3", 192)),
            Map.entry("1.2.840.10045.3.1.4", new Curve("prime239v1", 239)),
            Map.entry("1.2.840.10045.3.1.5", new Curve("prime239v2", 239)),
            Map.entry("1.2.840.10045.3.1.6", new Curve("prime239v3", 239)),
            Map.entry("1.2.840.10045.3.1.7", new Curve("prime256v1", 256)),
            Map.entry("1.3.132.0.6", new Curve("secp112r1", 112)),
            Map.entry("1.3.132.0.7", new Curve("secp112r2", 110)),
            Map.entry("1.3.132.0.28", new Curve("secp128r1", 128)),
            Map.entry("1.3.132.0.29", new Curve("secp128r2", 126)),
            Map.entry("1.3.132.0.9", new Curve("secp160k1", 161)),
            Map.entry("1.3.132.0.8", new Curve("secp160r1", 161)),
            Map.entry("1.3.132.0.30", new Curve("secp160r2", 161)),
            Map.entry("1.3.132.0.31", new Curve("secp192k1", 192)),
            Map.entry("1.3.132.0.32", new Curve("secp224k1", 225)),
            Map.entry("1.3.132.0.33", new Curve("secp224r1", 224)),
            Map.entry("1.3.132.0.10", new Curve("secp256k1", 256)),
            Map.entry("1.3.132.0.34", new Curve("secp384r1", 384)),
            Map.entry("1.3.132.0.35", new Curve("secp521r1", 521)),
            Map.entry("1.3.36.3.3.2.8.1.1.1", new Curve("brainpoolP160r1", 160)),
            Map.entry("1.3.36.3.3.2.8.1.1.3", new Curve("brainpoolP192r1", 192)),
            Map.entry("1.3.36.3.3.2.8.1.1.5", new Curve("brainpoolP224r1", 224)),
            Map.entry("1.3.36.3.3.2.8.1.1.7", new Curve("brainpoolP256r1", 256)),
            Map.entry("1.3.36.3.3.2.8.1.1.9", new Curve("brainpoolP320r1", 320)),
            Map.entry("1.3.36.3.3.2.8.1.1.11", new Curve("brainpoolP384r1", 384)),
            Map.entry("1.3.36.3.3.2.8.1.1.13", new Curve("brainpoolP512r1", 512)));

    private Oids() {
    }

    /** {@code i2t_ASN1_OBJECT}: OpenSSL's name, or the dotted OID when OpenSSL has none. */
    static String algorithm(String oid) {
        return ALGORITHMS.getOrDefault(oid, oid);
    }

    /** True when OpenSSL knows the algorithm (an unknown signature nid prints as nothing). */
    static boolean knownAlgorithm(String oid) {
        return ALGORITHMS.containsKey(oid);
    }

    /** Short name of a name attribute, or null when OpenSSL does not know the OID. */
    static String attribute(String oid) {
        return ATTRIBUTES.get(oid);
    }

    /** Curve short name, or null when not a named curve OpenSSL decodes. */
    static String curveName(String oid) {
        Curve c = CURVES.get(oid);
        return c == null ? null : c.name();
    }

    /** Bit length of the curve's group order, or 0. */
    static int curveOrderBits(String oid) {
        Curve c = CURVES.get(oid);
        return c == null ? 0 : c.orderBits();
    }
}
