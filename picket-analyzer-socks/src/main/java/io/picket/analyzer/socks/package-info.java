/**
 * The SOCKS analyzer (stage: protocol analysis): SOCKS v4/v4a/v5 handshakes, socks.log, the
 * {@code Tunnel::SOCKS} registration and the hand-off of the tunnelled stream to protocol
 * detection. Runs on the shard thread that owns the connection; registered through
 * {@code META-INF/services/io.picket.analyzer.spi.AnalyzerProvider}.
 */
package io.picket.analyzer.socks;
