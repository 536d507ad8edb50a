/**
 * Dispatch stage: which tenant owns a decoded packet, and which networks are local for it.
 *
 * <p>{@link io.picket.tenant.TenantsConfig} reads and validates {@code tenants.yaml} on the
 * control thread (startup or reload). {@link io.picket.tenant.TenantSelector} and
 * {@link io.picket.tenant.LocalNets} are built from it once, are immutable, and are then read
 * by every shard thread on the packet path without allocating.
 */
package io.picket.tenant;
