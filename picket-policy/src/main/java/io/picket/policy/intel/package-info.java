/**
 * Zeek's Intel framework as a per-tenant policy: intel file parsing, an index answering
 * {@code Intel::seen}, whitelist and do_notice semantics, intel.log records. The index is built on
 * the control thread and read by shard threads.
 */
package io.picket.policy.intel;
