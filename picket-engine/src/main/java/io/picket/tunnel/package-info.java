/**
 * Tunnel decapsulation (stage: between the decoder and the connections, and after the
 * connections for UDP tunnels): {@link io.picket.tunnel.Tunnels} dispatches to Teredo, VXLAN,
 * Geneve, GRE (with ERSPAN and PPTP) and IP-in-IP as Zeek 8 does; inner packets re-enter the
 * connection stage with their tunnel recorded in {@code tunnel_parents}, and tunnel.log gets
 * Zeek's DISCOVER/CLOSE/EXPIRE rows. Runs on the shard thread.
 */
package io.picket.tunnel;
