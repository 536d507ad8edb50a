package io.picket.policy.intel;

/** Zeek's {@code Intel::Type} (base/frameworks/intel/main.zeek and files.zeek). */
public enum IntelType {
    ADDR, SUBNET, URL, SOFTWARE, EMAIL, DOMAIN, USER_NAME, CERT_HASH, PUBKEY_HASH, FILE_HASH, FILE_NAME;

    /** The name as Zeek writes it, e.g. {@code Intel::DOMAIN}. */
    public String zeekName() {
        return "Intel::" + name();
    }

    /** The type for a Zeek enum name ({@code Intel::DOMAIN}), or null. */
    public static IntelType fromZeek(String s) {
        if (!s.startsWith("Intel::")) {
            return null;
        }
        try {
            return valueOf(s.substring(7));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
