/**
 * Log sinks: {@link io.picket.log.writer.FileLogSink} queues records from shard threads and
 * writes per-tenant log files on its own writer thread, with optional Zeek-style rotation (by
 * interval and/or size) and gzip/zstd compression of rotated files;
 * {@link io.picket.log.writer.MemoryLogSink} keeps records in memory for tests.
 */
package io.picket.log.writer;
