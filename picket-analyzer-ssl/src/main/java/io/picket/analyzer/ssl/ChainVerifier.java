package io.picket.analyzer.ssl;

import static io.picket.analyzer.ssl.VerifyMessages.CERT_CHAIN_TOO_LONG;
import static io.picket.analyzer.ssl.VerifyMessages.CERT_HAS_EXPIRED;
import static io.picket.analyzer.ssl.VerifyMessages.CERT_NOT_YET_VALID;
import static io.picket.analyzer.ssl.VerifyMessages.CERT_SIGNATURE_FAILURE;
import static io.picket.analyzer.ssl.VerifyMessages.DEPTH_ZERO_SELF_SIGNED_CERT;
import static io.picket.analyzer.ssl.VerifyMessages.EXCLUDED_VIOLATION;
import static io.picket.analyzer.ssl.VerifyMessages.INVALID_CA;
import static io.picket.analyzer.ssl.VerifyMessages.OK;
import static io.picket.analyzer.ssl.VerifyMessages.PATH_LENGTH_EXCEEDED;
import static io.picket.analyzer.ssl.VerifyMessages.PERMITTED_VIOLATION;
import static io.picket.analyzer.ssl.VerifyMessages.SELF_SIGNED_CERT_IN_CHAIN;
import static io.picket.analyzer.ssl.VerifyMessages.UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY;
import static io.picket.analyzer.ssl.VerifyMessages.UNABLE_TO_GET_ISSUER_CERT;
import static io.picket.analyzer.ssl.VerifyMessages.UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
import static io.picket.analyzer.ssl.VerifyMessages.UNHANDLED_CRITICAL_EXTENSION;
import static io.picket.analyzer.ssl.VerifyMessages.UNSPECIFIED;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * OpenSSL's {@code X509_verify_cert} as Zeek's {@code x509_verify} calls it (no purpose, no
 * revocation, default flags, check time = the connection's network time), over JCA
 * certificates. The chain is built as OpenSSL 1.1+ builds it (trusted-first issuer lookup, the
 * store's self-signed certificates as the only anchors); its extensions are checked in
 * OpenSSL's order; signatures, validity periods (the anchor's too, as OpenSSL checks it) and
 * name constraints are then left to {@link CertPathValidator} (PKIX, revocation off), whose
 * failure reasons are mapped to OpenSSL's codes. Where PKIX refuses what OpenSSL accepts (the JDK's disabled algorithms such
 * as MD5 signatures or small RSA keys, policy processing, the JDK's blocked certificates), the
 * signatures and validity periods are checked directly as OpenSSL's {@code internal_verify}
 * does. Stateless; any thread.
 */
final class ChainVerifier {
    /** OpenSSL's default verify depth (100) plus the one extra certificate build_chain allows. */
    private static final int MAX_DEPTH = 101;

    /** Critical extensions OpenSSL handles ({@code X509_supported_extension}); others fail. */
    static final Set<String> OPENSSL_SUPPORTED = Set.of(
            "2.16.840.1.113730.1.1", // netscape-cert-type
            "2.5.29.15", // keyUsage
            "2.5.29.17", // subjectAltName
            "2.5.29.19", // basicConstraints
            "2.5.29.32", // certificatePolicies
            "2.5.29.31", // cRLDistributionPoints
            "2.5.29.37", // extKeyUsage
            "1.3.6.1.5.5.7.1.7", // sbgp-ipAddrBlock
            "1.3.6.1.5.5.7.1.8", // sbgp-autonomousSysNum
            "1.3.6.1.5.5.7.48.1.5", // id-pkix-OCSP-noCheck
            "2.5.29.36", // policyConstraints
            "1.3.6.1.5.5.7.1.14", // proxyCertInfo
            "2.5.29.30", // nameConstraints
            "2.5.29.33", // policyMappings
            "2.5.29.54"); // inhibitAnyPolicy

    private static final String AKID = "2.5.29.35";
    private static final String SKID = "2.5.29.14";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String NETSCAPE_CERT_TYPE = "2.16.840.1.113730.1.1";

    /** Outcome: OpenSSL's code and, when it is {@code OK}, the validated chain (anchor last). */
    record Result(int code, List<X509Certificate> chain) {
    }

    private ChainVerifier() {
    }

    /**
     * Verifies {@code leaf} with the {@code untrusted} certificates the peer sent (or that a
     * cache supplies) against {@code store} at {@code when}.
     */
    static Result verify(TrustStore store, X509Certificate leaf, List<X509Certificate> untrusted, Date when) {
        List<X509Certificate> chain = new ArrayList<>(4);
        chain.add(leaf);
        int code = buildChain(store, chain, new ArrayList<>(untrusted), when);
        if (code != OK) {
            return new Result(code, null);
        }
        code = checkExtensions(chain);
        if (code == OK) {
            code = pkix(chain, when);
        }
        return new Result(code, code == OK ? List.copyOf(chain) : null);
    }

    // ------------------------------------------------------------------ build_chain

    /**
     * OpenSSL's {@code build_chain} with {@code X509_V_FLAG_TRUSTED_FIRST} (the default since
     * 1.1.0) and no partial chains; {@code chain} holds the leaf and is extended in place.
     */
    private static int buildChain(TrustStore store, List<X509Certificate> chain, List<X509Certificate> pool,
            Date when) {
        boolean searchUntrusted = true;
        int numUntrusted = 1;
        boolean trusted = false;
        while (true) {
            int num = chain.size();
            X509Certificate curr = chain.get(num - 1);
            X509Certificate issuer = num > MAX_DEPTH ? null
                    : bestIssuer(store.bySubject(curr.getIssuerX500Principal()), curr, when, null);
            if (issuer != null) {
                boolean selfSigned = selfSigned(curr);
                boolean ok = true;
                if (!selfSigned) {
                    chain.add(issuer);
                    selfSigned = selfSigned(issuer);
                } else if (!curr.equals(issuer)) {
                    ok = false; // a self-signed look-alike of a trusted certificate
                } else {
                    numUntrusted = --num;
                    chain.set(num, issuer);
                }
                if (ok) {
                    searchUntrusted = false;
                    // check_trust: a store certificate is trusted (compat rule) when self-signed
                    if (selfSigned(chain.get(chain.size() - 1))) {
                        trusted = true;
                        break;
                    }
                    if (!selfSigned) {
                        continue;
                    }
                }
            }
            if (!searchUntrusted) {
                break;
            }
            num = chain.size();
            curr = chain.get(num - 1);
            X509Certificate next = selfSigned(curr) || num > MAX_DEPTH ? null : bestIssuer(pool, curr, when, chain);
            if (next == null) {
                searchUntrusted = false;
                continue;
            }
            pool.remove(next);
            chain.add(next);
            numUntrusted++;
        }
        if (trusted) {
            return OK;
        }
        int num = chain.size();
        if (num > MAX_DEPTH) {
            return CERT_CHAIN_TOO_LONG;
        }
        if (selfSigned(chain.get(num - 1))) {
            return num == 1 ? DEPTH_ZERO_SELF_SIGNED_CERT : SELF_SIGNED_CERT_IN_CHAIN;
        }
        return numUntrusted < num ? UNABLE_TO_GET_ISSUER_CERT : UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
    }

    /**
     * {@code get0_best_issuer_sk}: the first candidate that likely issued {@code x} and is valid
     * at {@code when}, else the matching one that expires last. With {@code chain} given,
     * certificates already on it are skipped (unless {@code x} is a self-issued leaf).
     */
    private static X509Certificate bestIssuer(Collection<X509Certificate> candidates, X509Certificate x, Date when,
            List<X509Certificate> chain) {
        X509Certificate best = null;
        boolean noDupException = chain != null && chain.size() == 1 && selfIssued(x);
        for (X509Certificate c : candidates) {
            if (chain != null && !noDupException && chain.contains(c)) {
                continue;
            }
            if (!likelyIssued(c, x)) {
                continue;
            }
            if (timeCode(c, when) == OK) {
                return c;
            }
            if (best == null || c.getNotAfter().after(best.getNotAfter())) {
                best = c;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ issuer and self-signed tests

    static boolean selfIssued(X509Certificate x) {
        return x.getSubjectX500Principal().equals(x.getIssuerX500Principal());
    }

    /** OpenSSL's {@code EXFLAG_SS}: self-issued, its AKID matching itself, and a fitting key type. */
    static boolean selfSigned(X509Certificate x) {
        return selfIssued(x) && akidMatches(x, x) && sigAlgMatchesKey(x.getPublicKey(), x.getSigAlgOID());
    }

    /** {@code ossl_x509_likely_issued}: names chain, AKID fits the issuer, key type fits the signature. */
    static boolean likelyIssued(X509Certificate issuer, X509Certificate x) {
        return issuer.getSubjectX500Principal().equals(x.getIssuerX500Principal()) && akidMatches(issuer, x)
                && sigAlgMatchesKey(issuer.getPublicKey(), x.getSigAlgOID());
    }

    /** {@code X509_check_akid(issuer, x->akid) == X509_V_OK}; a malformed AKID never matches. */
    static boolean akidMatches(X509Certificate issuer, X509Certificate x) {
        byte[] ext = x.getExtensionValue(AKID);
        if (ext == null) {
            return true;
        }
        Der outer = new Der(ext, 0, ext.length);
        if (!outer.next(Der.OCTET_STRING)) {
            return false;
        }
        Der seq = outer.inner();
        if (!seq.next(Der.SEQUENCE)) {
            return false;
        }
        Der f = seq.inner();
        while (f.hasMore()) {
            if (!f.next()) {
                return false;
            }
            switch (f.tag) {
                case 0x80 -> { // keyIdentifier
                    byte[] skid = subjectKeyId(issuer);
                    if (skid != null && !Arrays.equals(ext, f.valueOffset, f.valueEnd(), skid, 0, skid.length)) {
                        return false;
                    }
                }
                case 0xa1 -> { // authorityCertIssuer: the first directoryName counts
                    X500Principal name = firstDirectoryName(f.inner());
                    if (name != null && !name.equals(issuer.getIssuerX500Principal())) {
                        return false;
                    }
                }
                case 0x82 -> { // authorityCertSerialNumber
                    if (f.valueLength == 0) {
                        return false;
                    }
                    BigInteger serial = new BigInteger(Arrays.copyOfRange(ext, f.valueOffset, f.valueEnd()));
                    if (!serial.equals(issuer.getSerialNumber())) {
                        return false;
                    }
                }
                default -> {
                    // not part of AuthorityKeyIdentifier: ignored
                }
            }
        }
        return true;
    }

    private static X500Principal firstDirectoryName(Der names) {
        while (names.hasMore()) {
            if (!names.next()) {
                return null;
            }
            if (names.tag == 0xa4) {
                Der n = names.inner();
                if (!n.next(Der.SEQUENCE)) {
                    return null;
                }
                try {
                    return new X500Principal(Arrays.copyOfRange(n.buf, n.start, n.pos));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static byte[] subjectKeyId(X509Certificate x) {
        byte[] ext = x.getExtensionValue(SKID);
        if (ext == null) {
            return null;
        }
        Der outer = new Der(ext, 0, ext.length);
        if (!outer.next(Der.OCTET_STRING)) {
            return null;
        }
        Der inner = outer.inner();
        if (!inner.next(Der.OCTET_STRING)) {
            return null;
        }
        return Arrays.copyOfRange(ext, inner.valueOffset, inner.valueEnd());
    }

    /** OpenSSL's {@code check_sig_alg_match}: the signature algorithm's key type is the key's. */
    static boolean sigAlgMatchesKey(PublicKey key, String sigOid) {
        if (key == null || sigOid == null) {
            return false;
        }
        return switch (sigOid) {
            case "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.3", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5",
                    "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
                    "1.2.840.113549.1.1.14", "1.2.840.113549.1.1.15", "1.2.840.113549.1.1.16", "1.3.14.3.2.29" ->
                    key instanceof RSAPublicKey && "RSA".equals(key.getAlgorithm());
            case "1.2.840.113549.1.1.10" -> key instanceof RSAPublicKey;
            case "1.2.840.10045.4.1", "1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3",
                    "1.2.840.10045.4.3.4" -> key instanceof ECPublicKey;
            case "1.2.840.10040.4.3", "2.16.840.1.101.3.4.3.1", "2.16.840.1.101.3.4.3.2" ->
                    key instanceof DSAPublicKey;
            case "1.3.101.112" -> key instanceof EdECPublicKey e && "Ed25519".equals(e.getParams().getName());
            case "1.3.101.113" -> key instanceof EdECPublicKey e && "Ed448".equals(e.getParams().getName());
            default -> false;
        };
    }

    // ------------------------------------------------------------------ check_extensions

    /**
     * OpenSSL's {@code check_extensions} without a purpose: unhandled critical extensions, CA
     * certificates above the leaf, and path length constraints.
     */
    static int checkExtensions(List<X509Certificate> chain) {
        int num = chain.size();
        int plen = 0;
        for (int i = 0; i < num; i++) {
            X509Certificate x = chain.get(i);
            Set<String> critical = x.getCriticalExtensionOIDs();
            if (critical != null) {
                for (String oid : critical) {
                    if (!OPENSSL_SUPPORTED.contains(oid)) {
                        return UNHANDLED_CRITICAL_EXTENSION;
                    }
                }
            }
            if (i > 0) {
                int ca = checkCa(x);
                if (ca == 0 || (i + 1 < num && ca != 1)) {
                    return INVALID_CA;
                }
            }
            int pathLen = pathLength(x);
            if (i > 1 && pathLen != -1 && plen > pathLen) {
                return PATH_LENGTH_EXCEEDED;
            }
            if (i > 0 && !selfIssued(x)) {
                plen++;
            }
        }
        return OK;
    }

    /** OpenSSL's {@code X509_check_ca}: 1 for a CA by basicConstraints, 3-5 for legacy CAs, 0 otherwise. */
    static int checkCa(X509Certificate x) {
        boolean[] ku = x.getKeyUsage();
        boolean hasKu = x.getExtensionValue(KEY_USAGE) != null;
        if (hasKu && (ku == null || ku.length <= 5 || !ku[5])) {
            return 0;
        }
        if (x.getExtensionValue(BASIC_CONSTRAINTS) != null) {
            return x.getBasicConstraints() >= 0 ? 1 : 0;
        }
        if (x.getVersion() == 1 && selfSigned(x)) {
            return 3;
        }
        if (hasKu) {
            return 4;
        }
        byte[] ns = x.getExtensionValue(NETSCAPE_CERT_TYPE);
        if (ns != null && netscapeCa(ns)) {
            return 5;
        }
        return 0;
    }

    private static boolean netscapeCa(byte[] ext) {
        Der outer = new Der(ext, 0, ext.length);
        if (!outer.next(Der.OCTET_STRING)) {
            return false;
        }
        Der bits = outer.inner();
        if (!bits.next(Der.BIT_STRING) || bits.valueLength < 2) {
            return false;
        }
        return (ext[bits.valueOffset + 1] & 0x07) != 0; // NS_SSL_CA | NS_SMIME_CA | NS_OBJSIGN_CA
    }

    /** OpenSSL's {@code ex_pathlen}: the CA's pathLenConstraint, or -1 without one. */
    private static int pathLength(X509Certificate x) {
        int bc = x.getBasicConstraints();
        return bc < 0 || bc == Integer.MAX_VALUE ? -1 : bc;
    }

    // ------------------------------------------------------------------ validity, signatures

    static int timeCode(X509Certificate x, Date when) {
        try {
            x.checkValidity(when);
            return OK;
        } catch (CertificateExpiredException e) {
            return CERT_HAS_EXPIRED;
        } catch (CertificateNotYetValidException e) {
            return CERT_NOT_YET_VALID;
        }
    }

    /**
     * The whole chain through {@link CertPathValidator}. The store certificate at its top is
     * part of the path, anchored by its own key, so that PKIX checks what OpenSSL checks of it
     * too (validity, name constraints); reasons only PKIX has, and a refused self-signature of
     * that certificate (which OpenSSL does not check), fall back to {@link #internalVerify}.
     */
    private static int pkix(List<X509Certificate> chain, Date when) {
        int n = chain.size();
        X509Certificate top = chain.get(n - 1);
        try {
            CertPath path = TrustStore.factory().generateCertPath(chain);
            PKIXParameters p = new PKIXParameters(
                    Set.of(new TrustAnchor(top.getSubjectX500Principal(), top.getPublicKey(), null)));
            p.setRevocationEnabled(false);
            p.setDate(when);
            p.setPolicyQualifiersRejected(false);
            p.addCertPathChecker(OpenSslExtensions.INSTANCE);
            CertPathValidator.getInstance("PKIX").validate(path, p);
            return OK;
        } catch (CertPathValidatorException e) {
            int code = map(e);
            if (code == PERMITTED_VIOLATION && excludedMatch(chain, e.getIndex())) {
                code = EXCLUDED_VIOLATION;
            }
            if (code == CERT_SIGNATURE_FAILURE && e.getIndex() == n - 1) {
                code = UNSPECIFIED;
            }
            return code == UNSPECIFIED ? internalVerify(chain, when) : code;
        } catch (GeneralSecurityException | RuntimeException e) {
            return internalVerify(chain, when);
        }
    }

    private static int map(CertPathValidatorException e) {
        CertPathValidatorException.Reason r = e.getReason();
        if (r == CertPathValidatorException.BasicReason.EXPIRED) {
            return CERT_HAS_EXPIRED;
        }
        if (r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return CERT_NOT_YET_VALID;
        }
        if (r == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return CERT_SIGNATURE_FAILURE;
        }
        if (r == PKIXReason.NOT_CA_CERT || r == PKIXReason.INVALID_KEY_USAGE) {
            return INVALID_CA;
        }
        if (r == PKIXReason.PATH_TOO_LONG) {
            return PATH_LENGTH_EXCEEDED;
        }
        if (r == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
            return UNHANDLED_CRITICAL_EXTENSION;
        }
        if (r == PKIXReason.INVALID_NAME) {
            return PERMITTED_VIOLATION;
        }
        // ALGORITHM_CONSTRAINED, INVALID_POLICY, revocation, the JDK's blocked certificates, ...
        return UNSPECIFIED;
    }

    /**
     * Whether a DNS name of the certificate PKIX refused (at {@code index}) lies in an excluded
     * subtree of a certificate above it: PKIX does not say which kind of name constraint failed.
     */
    private static boolean excludedMatch(List<X509Certificate> chain, int index) {
        if (index < 0 || index >= chain.size()) {
            return false;
        }
        List<String> names = new ArrayList<>(2);
        try {
            Collection<List<?>> san = chain.get(index).getSubjectAlternativeNames();
            if (san != null) {
                for (List<?> n : san) {
                    if (n.size() > 1 && Integer.valueOf(2).equals(n.get(0)) && n.get(1) instanceof String d) {
                        names.add(d);
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
        for (int j = index + 1; j < chain.size(); j++) {
            byte[] ext = chain.get(j).getExtensionValue("2.5.29.30");
            if (ext == null) {
                continue;
            }
            for (String base : excludedDnsBases(ext)) {
                for (String name : names) {
                    if (dnsWithin(name, base)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> excludedDnsBases(byte[] ext) {
        List<String> out = new ArrayList<>(1);
        Der outer = new Der(ext, 0, ext.length);
        if (!outer.next(Der.OCTET_STRING)) {
            return out;
        }
        Der nc = outer.inner();
        if (!nc.next(Der.SEQUENCE)) {
            return out;
        }
        Der trees = nc.inner();
        while (trees.next()) {
            if (trees.tag != 0xa1) {
                continue;
            }
            Der subtrees = trees.inner();
            while (subtrees.next(Der.SEQUENCE)) {
                Der subtree = subtrees.inner();
                if (subtree.next() && subtree.tag == 0x82) {
                    out.add(new String(ext, subtree.valueOffset, subtree.valueLength,
                            java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
        }
        return out;
    }

    /** OpenSSL's {@code nc_dns}: equal, or a subdomain of the base (case-insensitive). */
    private static boolean dnsWithin(String name, String base) {
        if (base.isEmpty()) {
            return true;
        }
        String n = name.toLowerCase(java.util.Locale.ROOT);
        String b = base.toLowerCase(java.util.Locale.ROOT);
        if (n.length() > b.length()) {
            return n.endsWith(b) && (b.charAt(0) == '.' || n.charAt(n.length() - b.length() - 1) == '.');
        }
        return n.equals(b);
    }

    /**
     * OpenSSL's {@code internal_verify} from the anchor down: each certificate's signature by its
     * issuer's key (not the self-signed anchor's own), then its validity period.
     */
    static int internalVerify(List<X509Certificate> chain, Date when) {
        int n = chain.size();
        for (int i = n - 1; i >= 0; i--) {
            X509Certificate xs = chain.get(i);
            if (i < n - 1) {
                X509Certificate xi = chain.get(i + 1);
                try {
                    xs.verify(xi.getPublicKey());
                } catch (InvalidKeyException e) {
                    return UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY;
                } catch (GeneralSecurityException | RuntimeException e) {
                    return CERT_SIGNATURE_FAILURE;
                }
            }
            int t = timeCode(xs, when);
            if (t != OK) {
                return t;
            }
        }
        return OK;
    }

    /** Marks the critical extensions OpenSSL handles as handled, so that PKIX does not refuse them. */
    private static final class OpenSslExtensions extends PKIXCertPathChecker {
        static final OpenSslExtensions INSTANCE = new OpenSslExtensions();

        @Override
        public void init(boolean forward) {
            // stateless
        }

        @Override
        public boolean isForwardCheckingSupported() {
            return true;
        }

        @Override
        public Set<String> getSupportedExtensions() {
            return OPENSSL_SUPPORTED;
        }

        @Override
        public void check(java.security.cert.Certificate cert, Collection<String> unresolvedCritExts) {
            unresolvedCritExts.removeAll(OPENSSL_SUPPORTED);
        }

        @Override
        public Object clone() {
            return this;
        }
    }
}
