/**
 * CPU placement: which cores each tenant's shards and the capture threads run on, and the pinning
 * itself. {@link io.picket.affinity.CorePlan} turns the tenants' placements ({@code dedicated} cores
 * or the {@code shared} pool) and {@code capture_cores} into a {@link io.picket.affinity.CpuSet}
 * per role, checked against the machine; its javadoc explains the cache trade-off between the two.
 * {@link io.picket.affinity.Affinity} pins the calling thread with {@code sched_setaffinity} through
 * FFM.
 *
 * <p>Startup only: a plan is built once (or on reload) and each shard or capture thread pins
 * itself before its first packet. Nothing here runs on the packet path.
 */
package io.picket.affinity;
