/**
 * Zeek's notice framework as a per-tenant policy: the {@code notice.yaml} policy, suppression by
 * (note, identifier), ignored types, notice.log records and the built-in detectors (SSH password
 * guessing, address and port scans). The policy is parsed on the control thread; the per-tenant
 * state ({@link io.picket.policy.notice.TenantNotices}) is shared by shard threads under its lock.
 */
package io.picket.policy.notice;
