/**
 * The SSL/TLS analyzer (stage: protocol analysis), Zeek's ANALYZER_SSL: {@link
 * io.picket.analyzer.ssl.SslAnalyzerProvider} (ports, DPD {@link io.picket.analyzer.ssl.SslDetector},
 * schemas), the per-connection record/handshake parser with Zeek's ssl.log script state, the
 * X.509 parser that prints like OpenSSL ({@link io.picket.analyzer.ssl.X509Certificate}), Zeek's
 * name tables ({@link io.picket.analyzer.ssl.TlsNames}) and the optional JA3/JA4 fingerprints
 * ({@link io.picket.analyzer.ssl.TlsFingerprint}). Analyzers run on the shard thread that owns the
 * connection; the provider and its x509 deduplication set are shared by all shards. Registered
 * through {@code META-INF/services/io.picket.analyzer.spi.AnalyzerProvider}.
 */
package io.picket.analyzer.ssl;
