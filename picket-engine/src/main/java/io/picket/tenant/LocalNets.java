package io.picket.tenant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A set of IP prefixes answering "is this address local?" for conn.log's {@code local_orig} and
 * {@code local_resp} ({@code Site::is_local_addr}: {@code a in Site::local_nets}).
 *
 * <p>Addresses are the 128-bit (hi, lo) pairs of {@link io.picket.decode.Packet}; IPv4 prefixes
 * are stored IPv4-mapped ({@code /96+len}), so IPv4 packets match IPv4 prefixes without
 * conversion. The lookup keeps one sorted array of networks per distinct prefix length and
 * binary-searches each masked address: a few dozen comparisons, no allocation.
 *
 * <p>Immutable and safe to share between shard threads.
 */
public final class LocalNets {

    /**
     * Zeek's {@code Site::private_address_space} as {@code scripts/base/utils/site.zeek} defines it
     * (Zeek 9.1.0-dev), including the 6to4 ({@code 2002::/16}) image of every IPv4 range:
     * {@code 2002:} followed by the 32 IPv4 bits, length 16 + the IPv4 length. Zeek lists the
     * images literally next to each IPv4 range; {@code LocalNetsTest} checks they are exactly the
     * computed images.
     */
    private static final List<String> ZEEK_PRIVATE_ADDRESS_SPACE = List.of(
            "0.0.0.0/8", "[2002::]/24",
            "10.0.0.0/8", "[2002:a00::]/24",
            "100.64.0.0/10", "[2002:6440::]/26",
            "127.0.0.0/8", "[2002:7f00::]/24",
            "169.254.0.0/16", "[2002:a9fe::]/32",
            "172.16.0.0/12", "[2002:ac10::]/28",
            "192.0.0.0/24", "[2002:c000::]/40",
            "192.0.2.0/24", "[2002:c000:200::]/40",
            "192.168.0.0/16", "[2002:c0a8::]/32",
            "198.18.0.0/15", "[2002:c612::]/31",
            "198.51.100.0/24", "[2002:c633:6400::]/40",
            "203.0.113.0/24", "[2002:cb00:7100::]/40",
            "224.0.0.0/24", "[2002:e000::]/40",
            "239.0.0.0/8", "[2002:ef00::]/24",
            "240.0.0.0/4", "[2002:f000::]/20",
            "255.255.255.255/32", "[2002:ffff:ffff::]/48",
            "[::]/128",
            "[::1]/128",
            "[64:ff9b:1::]/48",
            "[100::]/64",
            "[2001::]/23",
            "[2001:2::]/48",
            "[2001:db8::]/32",
            "[fc00::]/7",
            "[fe80::]/10",
            "[fec0::]/10");

    private static final Comparator<IpPrefix> ORDER = Comparator
            .comparingInt(IpPrefix::length)
            .thenComparing(IpPrefix::hi, Long::compareUnsigned)
            .thenComparing(IpPrefix::lo, Long::compareUnsigned);

    private static final LocalNets EMPTY = new LocalNets(List.of());
    private static final LocalNets ZEEK_DEFAULT = parse(ZEEK_PRIVATE_ADDRESS_SPACE);

    private final List<IpPrefix> prefixes;
    /** Distinct prefix lengths present. */
    private final int[] lengths;
    private final long[] hiMasks;
    private final long[] loMasks;
    /** Per length: networks as interleaved (hi, lo) pairs, sorted unsigned by hi then lo. */
    private final long[][] networks;

    private LocalNets(Collection<IpPrefix> input) {
        TreeSet<IpPrefix> sorted = new TreeSet<>(ORDER);
        sorted.addAll(input);
        this.prefixes = List.copyOf(sorted);
        int[] distinct = sorted.stream().mapToInt(IpPrefix::length).distinct().toArray();
        this.lengths = distinct;
        this.hiMasks = new long[distinct.length];
        this.loMasks = new long[distinct.length];
        this.networks = new long[distinct.length][];
        for (int i = 0; i < distinct.length; i++) {
            int len = distinct[i];
            hiMasks[i] = IpPrefix.hiMask(len);
            loMasks[i] = IpPrefix.loMask(len);
            List<IpPrefix> same = sorted.stream().filter(p -> p.length() == len).toList();
            long[] pairs = new long[same.size() * 2];
            for (int k = 0; k < same.size(); k++) {
                pairs[2 * k] = same.get(k).hi();
                pairs[2 * k + 1] = same.get(k).lo();
            }
            networks[i] = pairs;
        }
    }

    /** Zeek's default {@code Site::local_nets}: the private address space (see class doc). */
    public static LocalNets zeekDefault() {
        return ZEEK_DEFAULT;
    }

    /** No local networks; {@code local_orig}/{@code local_resp} are then unset in Zeek. */
    public static LocalNets empty() {
        return EMPTY;
    }

    /** The given prefixes (duplicates collapse). */
    public static LocalNets of(Collection<IpPrefix> prefixes) {
        return prefixes.isEmpty() ? EMPTY : new LocalNets(prefixes);
    }

    /**
     * Parses prefixes in {@link IpPrefix#parse} notation.
     *
     * @throws IllegalArgumentException on the first bad prefix
     */
    public static LocalNets parse(Collection<String> cidrs) {
        List<IpPrefix> list = new ArrayList<>(cidrs.size());
        for (String c : cidrs) {
            list.add(IpPrefix.parse(c));
        }
        return of(list);
    }

    /** Varargs form of {@link #parse(Collection)}. */
    public static LocalNets parse(String... cidrs) {
        return parse(Arrays.asList(cidrs));
    }

    /**
     * True if the address lies in any prefix. Called on the shard thread at connection creation
     * and after a flip; allocates nothing.
     */
    public boolean contains(long hi, long lo) {
        for (int i = 0; i < lengths.length; i++) {
            if (find(networks[i], hi & hiMasks[i], lo & loMasks[i])) {
                return true;
            }
        }
        return false;
    }

    /** True if there are no prefixes. */
    public boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** Number of distinct prefixes. */
    public int size() {
        return prefixes.size();
    }

    /** The prefixes, sorted by length then network. */
    public List<IpPrefix> prefixes() {
        return prefixes;
    }

    /** The union of both sets. */
    public LocalNets union(LocalNets other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<IpPrefix> all = new ArrayList<>(prefixes);
        all.addAll(other.prefixes);
        return new LocalNets(all);
    }

    private static boolean find(long[] pairs, long hi, long lo) {
        int low = 0;
        int high = (pairs.length >>> 1) - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Long.compareUnsigned(pairs[2 * mid], hi);
            if (c == 0) {
                c = Long.compareUnsigned(pairs[2 * mid + 1], lo);
            }
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalNets other && prefixes.equals(other.prefixes);
    }

    @Override
    public int hashCode() {
        return prefixes.hashCode();
    }

    @Override
    public String toString() {
        return prefixes.toString();
    }
}
