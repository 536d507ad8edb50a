package io.picket.flow;

/**
 * A tunnel an inner packet came through (Zeek's {@code EncapsulatingConn}): a UDP tunnel is its
 * {@link Connection}, an IP-level tunnel (GRE, IP-in-IP) an object of the tunnel stage. Owned by
 * the shard thread.
 */
public interface Encapsulation {
    /** The tunnel's uid as conn.log {@code tunnel_parents} and tunnel.log name it. */
    String uid();
}
