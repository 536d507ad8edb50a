/**
 * Decode stage: turns a captured frame ({@link io.picket.capture.RawPacket}) into a {@link
 * io.picket.decode.Packet} — link layer, IPv4/IPv6 with fragment reassembly, TCP/UDP/ICMP headers —
 * with Zeek's checks and weird names ({@link io.picket.decode.PacketDecoder}, {@link
 * io.picket.decode.DecodeWeird}), plus Zeek's address text form ({@link io.picket.decode.Addresses}).
 *
 * <p>Runs on the shard threads: each shard owns one {@code PacketDecoder}, its reassembly state and
 * counters, and one reused {@code Packet}; nothing here is shared between threads except the
 * immutable options and enums.
 */
package io.picket.decode;
