/**
 * Tenant-written expressions over log records, in CEL (Common Expression Language): compiled and
 * type-checked against a log's {@link io.picket.log.LogSchema}, without loops (no comprehension
 * macros) and with a static cost bound. {@link io.picket.policy.expr.LogExpression} is the reusable
 * unit (log filters, tenant-defined notices).
 */
package io.picket.policy.expr;
