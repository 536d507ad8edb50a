/**
 * Tunnel decapsulation (stage: between connections and the inner packet's decode): Teredo
 * today; inner packets re-enter the connection stage with their tunnel connection recorded in
 * {@code tunnel_parents}. Runs on the shard thread.
 */
package io.picket.tunnel;
