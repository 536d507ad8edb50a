/**
 * JMH benchmarks of the packet path and the traffic they run on: decode
 * ({@link io.picket.bench.DecodeBenchmark}), tenant selection
 * ({@link io.picket.bench.TenantSelectBenchmark}), connection tracking
 * ({@link io.picket.bench.ConnTrackerBenchmark}) and the engine end to end with the analyzers
 * ({@link io.picket.bench.EngineBenchmark}). Each benchmark thread owns its state, like a shard
 * thread. Run with {@code java -jar picket-bench/target/benchmarks.jar} (see the module's README).
 */
package io.picket.bench;
