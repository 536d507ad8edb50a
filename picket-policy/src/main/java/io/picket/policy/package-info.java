/**
 * Shared types of the tenant policy engine: sources, limits and validation errors. Policies are
 * compiled off the packet path (control thread) into immutable objects that shard threads read.
 */
package io.picket.policy;
