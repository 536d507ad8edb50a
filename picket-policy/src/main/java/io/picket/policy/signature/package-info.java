/**
 * Zeek's signature language as a per-tenant policy: parser, RE2/J-validated patterns compiled to
 * DFAs, a per-connection matcher with Zeek's matching semantics, and signatures.log building.
 * Compilation runs on the control thread; {@link io.picket.policy.signature.ConnectionMatcher}
 * runs on the shard thread that owns the connection.
 */
package io.picket.policy.signature;
