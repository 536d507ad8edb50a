/**
 * Tenant policy bundles: a tenant folder's signatures and intel, loaded and validated as a whole
 * on the control thread, immutable, and swapped atomically for the shard threads.
 */
package io.picket.policy.bundle;
