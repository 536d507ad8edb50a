/**
 * The SSH analyzer (stage: protocol analysis). Runs on the shard thread that owns the
 * connection; registered through {@code META-INF/services/io.picket.analyzer.spi.AnalyzerProvider}.
 */
package io.picket.analyzer.ssh;
