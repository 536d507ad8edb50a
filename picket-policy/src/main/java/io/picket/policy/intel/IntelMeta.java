package io.picket.policy.intel;

import java.util.Map;

/**
 * {@code Intel::MetaData}: {@code source} (the key of a metadata record within an item),
 * optional {@code desc} and {@code url}, {@code do_notice} and {@code if_in}
 * (policy/frameworks/intel/do_notice.zeek), {@code whitelist}
 * (policy/frameworks/intel/whitelist.zeek), and any other {@code meta.*} columns as text. Immutable.
 */
public record IntelMeta(String source, String desc, String url, boolean doNotice, IntelWhere ifIn, boolean whitelist,
                        Map<String, String> extra) {
    public IntelMeta {
        extra = Map.copyOf(extra);
    }
}
