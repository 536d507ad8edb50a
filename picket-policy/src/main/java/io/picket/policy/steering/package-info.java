/**
 * Per-tenant steering: {@code steering.yaml} in a tenant's bundle folder defines the inspection
 * profiles {@code normal} and {@code enhanced} (analyzers, signature files, payload depth) and the
 * ordered 5-tuple rules that send each new connection to one of them. Compiled on the control
 * thread into flat arrays; looked up once per connection by shard threads.
 */
package io.picket.policy.steering;
