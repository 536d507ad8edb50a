/**
 * The SMTP analyzer (stage: protocol analysis): smtp.log, and TLS after {@code STARTTLS} handed to
 * the ssl analyzer as a child. Runs on the shard thread that owns the connection; registered
 * through {@code META-INF/services/io.picket.analyzer.spi.AnalyzerProvider}.
 */
package io.picket.analyzer.smtp;
