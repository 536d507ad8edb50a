package io.picket.capture;

import java.util.Set;

/**
 * Link-layer header types (LINKTYPE_* values of the pcap and pcapng formats) that Picket
 * decodes. Capture readers reject any other type when a file or interface is opened.
 * Stateless; usable from any thread.
 */
public final class LinkTypes {
    /** BSD loopback: 4-byte address family in the capturing host's byte order. */
    public static final int NULL = 0;
    /** Ethernet II / 802.3. */
    public static final int ETHERNET = 1;
    /** Raw IP as some older writers spell it (DLT_RAW on most platforms). */
    public static final int RAW_DLT = 12;
    /** Raw IPv4 or IPv6, version taken from the first nibble. */
    public static final int RAW = 101;
    /** Linux cooked capture v1 (SLL). */
    public static final int LINUX_SLL = 113;
    /** Raw IPv4. */
    public static final int IPV4 = 228;
    /** Raw IPv6. */
    public static final int IPV6 = 229;
    /** Linux cooked capture v2 (SLL2). */
    public static final int LINUX_SLL2 = 276;

    /** Every supported link type. */
    public static final Set<Integer> SUPPORTED =
            Set.of(NULL, ETHERNET, RAW_DLT, RAW, LINUX_SLL, IPV4, IPV6, LINUX_SLL2);

    private LinkTypes() {
    }

    /** Tells whether frames of {@code linkType} can be decoded; allocation-free. */
    public static boolean isSupported(int linkType) {
        return switch (linkType) {
            case NULL, ETHERNET, RAW_DLT, RAW, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
            default -> false;
        };
    }
}
