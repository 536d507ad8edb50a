/**
 * The SSL/TLS analyzer (stage: protocol analysis), Zeek's ANALYZER_SSL: {@link
 * io.picket.analyzer.ssl.SslAnalyzerProvider} (ports, DPD {@link io.picket.analyzer.ssl.SslDetector},
 * schemas), the per-connection record/handshake parser with Zeek's ssl.log script state, the
 * X.509 parser that prints like OpenSSL ({@link io.picket.analyzer.ssl.X509Certificate}), Zeek's
 * name tables ({@link io.picket.analyzer.ssl.TlsNames}), the optional JA3/JA4 fingerprints
 * ({@link io.picket.analyzer.ssl.TlsFingerprint}) and the optional server certificate validation
 * of Zeek's policy/protocols/ssl/validate-certs.zeek. Analyzers run on the shard thread that owns
 * the connection; the provider, its x509 deduplication set and its validation caches are shared
 * by all shards. Registered through
 * {@code META-INF/services/io.picket.analyzer.spi.AnalyzerProvider}.
 *
 * <h2>Options</h2>
 * The ServiceLoader instance runs Zeek's default scripts. A run or a tenant gets other
 * behaviour from {@code provider.withOptions(options)} with an
 * {@link io.picket.analyzer.ssl.SslOptions} built from {@code SslOptions.defaults()}:
 * <ul>
 * <li>{@code withFingerprints(ja3, ja4)}: ssl.log columns {@code ja3}/{@code ja3s} and
 * {@code ja4}/{@code ja4s} (the JA3 and JA4 packages; last in the row);</li>
 * <li>{@code withValidation(CertValidation)}: ssl.log column {@code validation_status} after
 * {@code sni_matches_cert}, as validate-certs.zeek adds it. {@link
 * io.picket.analyzer.ssl.CertValidation} takes the roots ({@link io.picket.analyzer.ssl.TrustStore}:
 * {@code jdkCacerts()}, {@code fromPem(path)}, {@code fromKeyStore(path)} or {@code of(certs)}),
 * the OpenSSL wording ({@link io.picket.analyzer.ssl.VerifyMessages}, default OpenSSL 3.0) and
 * the bounds of the per-chain result cache (10,000 chains, five minutes after last use) and of
 * the intermediate cache (4,096 issuers; off with {@code withIntermediateCache(false, 0)});</li>
 * <li>{@code withDedupScope(ctx -> tenant)}: x509.log deduplication and the validation caches
 * per tenant rather than per process;</li>
 * <li>{@code withDeduplication}, {@code withMaxHandshakeMessage}, {@code withSslv2Detection}:
 * Zeek's {@code X509::relog_known_certificates_after}/{@code known_log_certs_maximum_size},
 * the handshake buffer bound, and policy/protocols/ssl/dpd-v2.sig.</li>
 * </ul>
 */
package io.picket.analyzer.ssl;
