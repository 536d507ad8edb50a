package io.picket.decode;

/**
 * Receives network-level anomalies found while decoding (Zeek's {@code net_weird}/{@code
 * flow_weird}). Names are Zeek's weird names exactly (e.g. {@code truncated_VLAN_header}).
 * Called on the decoding thread; implementations count first and may rate-limit logging.
 */
@FunctionalInterface
public interface WeirdListener {
    /**
     * @param name Zeek weird name
     * @param addl additional information as Zeek logs it in {@code addl}, or null
     * @param packet the packet as decoded so far (addresses may be unset), never retained
     */
    void onWeird(String name, String addl, Packet packet);

    /**
     * Receives a weird found by {@link PacketDecoder}, with its Zeek {@code source} available via
     * {@link DecodeWeird#source()}; it is a flow weird when {@code packet.ipVersion != 0}. The
     * default forwards to {@link #onWeird(String, String, Packet)} with Zeek's name.
     */
    default void onDecodeWeird(DecodeWeird weird, String addl, Packet packet) {
        onWeird(weird.zeekName(), addl, packet);
    }

    WeirdListener NONE = (n, a, p) -> { };
}
