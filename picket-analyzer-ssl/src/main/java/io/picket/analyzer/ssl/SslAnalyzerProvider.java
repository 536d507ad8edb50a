package io.picket.analyzer.ssl;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.log.LogSchema;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The SSL/TLS analyzer ({@code ssl}, Zeek's ANALYZER_SSL): TCP on Zeek's {@code SSL::ssl_ports},
 * detected by Zeek's dpd.sig, writing ssl.log and x509.log. Stateless apart from the shared,
 * thread-safe x509 deduplication set and, when validation is on, the validation caches; one
 * instance serves all shard threads. Zeek's
 * once-per-certificate x509.log rule holds across a run only if the run shares this instance
 * among its shards, as the SPI says: a run that loads one provider per shard deduplicates per
 * shard and logs a certificate seen on several shards once per shard.
 */
public final class SslAnalyzerProvider implements AnalyzerProvider {
    /** {@code SSL::ssl_ports} (Zeek 8; 465 is not among them). */
    public static final Set<Integer> TCP_PORTS = Set.of(443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223);

    /** Weird names this analyzer raises. */
    public static final List<String> WEIRDS = List.of(
            "SSL_many_server_names",
            "ssl_ext_unknown_server_name_type",
            "ssl_early_application_data",
            "SSL_unclear_connection_direction",
            "zero_length_certificate",
            "SSL_zero_length_stapled_OCSP_message",
            "SSL_max_ssl_history_length_reached");

    private final SslOptions options;
    private final X509Dedup dedup;
    private final CertValidator validator;
    private final LogSchema sslSchema;

    /** Zeek's default configuration (used by the ServiceLoader). */
    public SslAnalyzerProvider() {
        this(SslOptions.defaults());
    }

    public SslAnalyzerProvider(SslOptions options) {
        this.options = Objects.requireNonNull(options);
        this.dedup = new X509Dedup(options.relogKnownCertificatesAfter(), options.knownCertificatesMaximum());
        this.validator = options.validation() == null ? null : new CertValidator(options.validation());
        this.sslSchema = SslLogs.ssl(options);
    }

    /**
     * A provider like this one with other options (a fresh deduplication set and fresh
     * validation caches). This is how a run or a tenant turns on the optional columns
     * ({@link SslOptions#withFingerprints}) and certificate validation
     * ({@link SslOptions#withValidation} with, for instance, {@link CertValidation#withJdkRoots()}
     * or {@code CertValidation.with(TrustStore.fromPem(path))}).
     */
    /**
     * Run options: {@code validation=jdk} (validate server chains against the JDK's roots, adds
     * {@code validation_status}) or {@code validation=<PEM bundle path>}; {@code ja3=true},
     * {@code ja4=true} (fingerprint columns).
     */
    @Override
    public io.picket.analyzer.spi.AnalyzerProvider configure(java.util.Map<String, String> opts) {
        SslOptions o = options();
        boolean ja3 = false;
        boolean ja4 = false;
        for (java.util.Map.Entry<String, String> e : opts.entrySet()) {
            switch (e.getKey()) {
                case "validation" -> {
                    try {
                        CertValidation v = "jdk".equals(e.getValue()) ? CertValidation.withJdkRoots()
                                : CertValidation.with(TrustStore.fromPem(java.nio.file.Path.of(e.getValue())));
                        o = o.withValidation(v);
                    } catch (java.io.IOException | RuntimeException ex) {
                        throw new IllegalArgumentException("ssl.validation=" + e.getValue() + ": " + ex.getMessage(),
                                ex);
                    }
                }
                case "ja3" -> ja3 = Boolean.parseBoolean(e.getValue());
                case "ja4" -> ja4 = Boolean.parseBoolean(e.getValue());
                default -> throw new IllegalArgumentException("unknown ssl option '" + e.getKey()
                        + "' (known: validation, ja3, ja4)");
            }
        }
        if (ja3 || ja4) {
            o = o.withFingerprints(ja3, ja4);
        }
        return opts.isEmpty() ? this : withOptions(o);
    }

    public SslAnalyzerProvider withOptions(SslOptions newOptions) {
        return new SslAnalyzerProvider(newOptions);
    }

    public SslOptions options() {
        return options;
    }

    /** The x509.log deduplication set shared by this provider's connections. */
    public X509Dedup dedup() {
        return dedup;
    }

    /** The certificate validator of this provider's connections, or null when validation is off. */
    CertValidator validator() {
        return validator;
    }

    /** The ssl.log schema of this run (with the optional columns it enables). */
    public LogSchema sslSchema() {
        return sslSchema;
    }

    @Override
    public String name() {
        return "ssl";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return TCP_PORTS;
    }

    @Override
    public Detector newDetector() {
        return new SslDetector(options.sslv2Detection());
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new SslAnalyzer(context, this);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(sslSchema, SslLogs.X509);
    }

    @Override
    public List<String> weirds() {
        return WEIRDS;
    }
}
