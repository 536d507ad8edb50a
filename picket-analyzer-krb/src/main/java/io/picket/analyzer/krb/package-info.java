/**
 * The Kerberos analyzers {@code krb} (UDP) and {@code krb_tcp} (TCP) (stage: protocol analysis):
 * kerberos.log and the PKINIT certificates in x509.log. Run on the shard thread that owns the
 * connection; registered through {@code META-INF/services/io.picket.analyzer.spi.AnalyzerProvider}.
 */
package io.picket.analyzer.krb;
