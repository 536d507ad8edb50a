/**
 * Per-tenant log filters ({@code filters.yaml} in a tenant's policy folder): Zeek's
 * {@code Log::Filter} {@code pred}, {@code include} and {@code exclude}, with predicates written in
 * CEL ({@link io.picket.policy.expr.LogExpression}). Compiled with the bundle; applied on the shard
 * thread to every record a tenant writes.
 */
package io.picket.policy.filter;
