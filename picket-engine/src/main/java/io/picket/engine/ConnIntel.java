package io.picket.engine;

import io.picket.decode.Addresses;
import io.picket.flow.Connection;
import io.picket.flow.tcp.TcpEndpoint;
import io.picket.flow.tcp.TcpSession;
import io.picket.policy.bundle.PolicyBundle;
import io.picket.policy.intel.IntelIndex;
import io.picket.policy.intel.IntelMatch;
import io.picket.policy.intel.IntelSeen;
import io.picket.policy.intel.IntelWhere;

/**
 * policy/frameworks/intel/seen/conn-established.zeek in the connection stage: on
 * {@code connection_established} with both endpoints {@code TCP_ESTABLISHED}, the originator and
 * the responder address are {@code Intel::seen} at {@code Conn::IN_ORIG} / {@code Conn::IN_RESP}.
 * Costs one bundle look-up for tenants without address intel and two allocation-free address
 * tests for those with it. Called on the shard thread.
 */
final class ConnIntel {
    private ConnIntel() {
    }

    /** The connection's {@code connection_established}: sightings of both addresses, if the tenant has address intel. */
    static void established(Shard shard, Connection c, PolicyBundle bundle) {
        if (bundle == null) {
            return;
        }
        IntelIndex intel = bundle.intel();
        if (!intel.hasAddresses()) {
            return;
        }
        TcpSession tcp = c.tcp();
        if (tcp == null || tcp.orig().state() != TcpEndpoint.ESTABLISHED
                || tcp.resp().state() != TcpEndpoint.ESTABLISHED) {
            return;
        }
        boolean origHit = intel.containsAddress(c.origHi(), c.origLo());
        boolean respHit = intel.containsAddress(c.respHi(), c.respLo());
        if (!origHit && !respHit) {
            return;
        }
        if (!shard.containment().admits(c.tenant(), Containment.POLICY, shard.networkTime())) {
            return;
        }
        String oh = Addresses.format(c.origHi(), c.origLo());
        String rh = Addresses.format(c.respHi(), c.respLo());
        if (origHit) {
            seen(shard, c, intel, IntelSeen.address(shard.networkTime(), c.origHi(), c.origLo(), IntelWhere.CONN_IN_ORIG,
                    c.uid(), oh, c.origPort(), rh, c.respPort()));
        }
        if (respHit) {
            seen(shard, c, intel, IntelSeen.address(shard.networkTime(), c.respHi(), c.respLo(), IntelWhere.CONN_IN_RESP,
                    c.uid(), oh, c.origPort(), rh, c.respPort()));
        }
    }

    private static void seen(Shard shard, Connection c, IntelIndex intel, IntelSeen s) {
        IntelMatch m = intel.seen(s);
        if (m == null) {
            return;
        }
        if (m.logRecord() != null) {
            shard.writeFor(c, m.logRecord());
        }
        if (!m.notices().isEmpty()) {
            shard.notices().intel(c, m.notices());
        }
    }
}
