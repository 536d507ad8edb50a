/**
 * Log output stage: Zeek-exact TSV ({@link io.picket.log.format.TsvFormat}) and JSON
 * ({@link io.picket.log.format.JsonFormat}) rendering of {@link io.picket.log.LogRecord}s into a
 * reusable {@link io.picket.log.format.LogBuffer}. Runs on log writer threads, never on a
 * packet (shard) thread; format instances hold scratch state and belong to one thread.
 */
package io.picket.log.format;
