package io.picket.policy.intel;

import io.picket.log.LogRecord;
import io.picket.policy.IpAddress;
import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A tenant's intelligence data, indexed as Zeek's {@code Intel::data_store}: string indicators by
 * (lower-cased indicator, type) in a hash map (O(1)), addresses in a hash map and subnets in a
 * 128-bit prefix trie (O(128)). Each indicator keeps one metadata record per source, a later
 * record of the same source replacing the earlier one ({@code Intel::insert}). {@link #seen}
 * implements {@code Intel::seen}, {@code Intel::match} and its hooks: the intel.log record of
 * base/frameworks/intel (with files.zeek's columns), whitelist suppression
 * (policy/frameworks/intel/whitelist.zeek) and do_notice notices. Immutable after construction;
 * shared by all shard threads.
 */
public final class IntelIndex {
    private static final IntelIndex EMPTY = new IntelIndex(List.of());

    private final Map<String, LinkedHashMap<String, IntelItem>> strings = new HashMap<>();
    private final Map<Long, Map<Long, LinkedHashMap<String, IntelItem>>> hosts = new HashMap<>();
    private final AddressTrie subnets = new AddressTrie();
    private final List<LinkedHashMap<String, IntelItem>> subnetItems = new ArrayList<>();
    private final List<String> subnetText = new ArrayList<>();
    private final int entries;

    private IntelIndex(List<IntelItem> items) {
        for (IntelItem it : items) {
            insert(it);
        }
        this.entries = items.size();
    }

    public static IntelIndex empty() {
        return EMPTY;
    }

    /** Indexes items in order (as {@code Intel::insert} would); the caller has validated them. */
    public static IntelIndex of(List<IntelItem> items) {
        return new IntelIndex(items);
    }

    /** Parses and indexes intel files; throws listing every bad line, or when over the entry limit. */
    public static IntelIndex load(List<SourceFile> files, Limits limits) throws PolicyException {
        List<PolicyError> errors = new ArrayList<>();
        List<IntelItem> items = IntelParser.parseAll(files, errors);
        if (items.size() > limits.maxIntelEntries()) {
            errors.add(new PolicyError(files.isEmpty() ? "intel" : files.get(files.size() - 1).name(), 0, 0,
                    "too many intel entries: " + items.size() + " > limit " + limits.maxIntelEntries()));
        }
        if (!errors.isEmpty()) {
            throw new PolicyException(errors);
        }
        return new IntelIndex(items);
    }

    /** Number of items (lines) indexed. */
    public int entries() {
        return entries;
    }

    /** Whether any {@code Intel::ADDR} or {@code Intel::SUBNET} item is indexed; O(1), thread-safe. */
    public boolean hasAddresses() {
        return !hosts.isEmpty() || !subnetItems.isEmpty();
    }

    /**
     * Whether an address has items of its own or lies in an indexed subnet: the cheap test before
     * building an {@link IntelSeen} (only the map lookup by the high half may box a long).
     */
    public boolean containsAddress(long hi, long lo) {
        if (!hosts.isEmpty()) {
            Map<Long, LinkedHashMap<String, IntelItem>> byLo = hosts.get(hi);
            if (byLo != null && byLo.containsKey(lo)) {
                return true;
            }
        }
        return !subnetItems.isEmpty() && subnets.containsAny(hi, lo);
    }

    private void insert(IntelItem it) {
        switch (it.type()) {
            case ADDR -> {
                long[] a = new long[2];
                IpAddress.parse(it.indicator(), a);
                hosts.computeIfAbsent(a[0], k -> new HashMap<>()).computeIfAbsent(a[1], k -> new LinkedHashMap<>())
                        .put(it.meta().source(), it);
            }
            case SUBNET -> {
                long[] s = IntelParser.parseSubnet(it.indicator());
                int idx = subnets.get(s[0], s[1], (int) s[2]);
                if (idx < 0) {
                    idx = subnetItems.size();
                    subnetItems.add(new LinkedHashMap<>());
                    subnetText.add(subnetText(s));
                    subnets.put(s[0], s[1], (int) s[2], idx);
                }
                subnetItems.get(idx).put(it.meta().source(), it);
            }
            default -> strings.computeIfAbsent(key(it.indicator(), it.type()), k -> new LinkedHashMap<>())
                    .put(it.meta().source(), it);
        }
    }

    private static String subnetText(long[] s) {
        boolean v4 = IpAddress.isIpv4(s[0], s[1]);
        return IpAddress.format(s[0], s[1]) + "/" + (v4 ? s[2] - 96 : s[2]);
    }

    private static String key(String indicator, IntelType type) {
        return indicator.toLowerCase(Locale.ROOT) + '\u0000' + type.ordinal();
    }

    /** Whether a string indicator of this type is known (case-insensitive); O(1). */
    public boolean contains(String indicator, IntelType type) {
        return strings.containsKey(key(indicator, type));
    }

    /** Items for a string indicator of this type (one per source), empty if unknown. */
    public List<IntelItem> lookup(String indicator, IntelType type) {
        LinkedHashMap<String, IntelItem> m = strings.get(key(indicator, type));
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /**
     * Items for an address: the address's own items (as {@code Intel::ADDR}) and those of every
     * subnet containing it (as {@code Intel::SUBNET} with the subnet as indicator).
     */
    public List<IntelItem> lookupAddress(long hi, long lo) {
        List<IntelItem> out = new ArrayList<>();
        Map<Long, LinkedHashMap<String, IntelItem>> byLo = hosts.get(hi);
        if (byLo != null) {
            LinkedHashMap<String, IntelItem> m = byLo.get(lo);
            if (m != null) {
                String text = IpAddress.format(hi, lo);
                for (IntelItem it : m.values()) {
                    out.add(new IntelItem(text, IntelType.ADDR, it.meta()));
                }
            }
        }
        int[] found = new int[129];
        int n = subnets.lookup(hi, lo, found);
        for (int i = 0; i < n; i++) {
            for (IntelItem it : subnetItems.get(found[i]).values()) {
                out.add(new IntelItem(subnetText.get(found[i]), IntelType.SUBNET, it.meta()));
            }
        }
        return out;
    }

    /**
     * {@code Intel::seen}: returns null when nothing matches, else the match with its intel.log
     * record (null if whitelisted) and notices.
     */
    public IntelMatch seen(IntelSeen s) {
        List<IntelItem> items;
        String indicator;
        IntelType type;
        if (s.host()) {
            items = lookupAddress(s.hostHi(), s.hostLo());
            indicator = IpAddress.format(s.hostHi(), s.hostLo());
            type = IntelType.ADDR;
        } else {
            if (s.indicator() == null || s.type() == null) {
                return null;
            }
            items = new ArrayList<>();
            for (IntelItem it : lookup(s.indicator(), s.type())) {
                items.add(new IntelItem(s.indicator(), s.type(), it.meta()));
            }
            indicator = s.indicator();
            type = s.type();
        }
        if (items.isEmpty()) {
            return null;
        }
        String node = s.node() == null ? "zeek" : s.node();
        boolean whitelisted = false;
        EnumSet<IntelType> matched = EnumSet.noneOf(IntelType.class);
        TreeSet<String> sources = new TreeSet<>();
        for (IntelItem it : items) {
            whitelisted |= it.meta().whitelist();
            matched.add(it.type());
            sources.add(it.meta().source());
        }
        LogRecord rec = null;
        if (!whitelisted) {
            List<String> matchedNames = new ArrayList<>();
            for (IntelType t : matched) {
                matchedNames.add(t.zeekName());
            }
            rec = new LogRecord(IntelLog.SCHEMA).set(0, s.ts()).set(1, s.uid()).set(2, s.origH()).set(3, s.origP())
                    .set(4, s.respH()).set(5, s.respP()).set(6, indicator).set(7, type.zeekName())
                    .set(8, s.where().zeekName()).set(9, node).set(10, matchedNames)
                    .set(11, new ArrayList<>(sources)).set(12, s.fuid()).set(13, s.fileMimeType())
                    .set(14, s.fileDesc());
        }
        List<IntelNotice> notices = new ArrayList<>();
        for (IntelItem it : items) {
            IntelMeta m = it.meta();
            if (m.doNotice() && (m.ifIn() == IntelWhere.IN_ANYWHERE || m.ifIn() == s.where())) {
                String id = indicator;
                if (s.origH() != null && s.respH() != null) {
                    id = indicator + (lessAddr(s.origH(), s.respH()) ? s.origH() + s.respH() : s.respH() + s.origH());
                }
                notices.add(new IntelNotice(s.ts(), "Intel hit on " + indicator + " at " + s.where().zeekName(),
                        indicator, s.uid(), s.origH(), s.origP(), s.respH(), s.respP(), id, m.source()));
            }
        }
        IntelSeen completed = new IntelSeen(s.ts(), indicator, type, s.host(), s.hostHi(), s.hostLo(), s.where(),
                s.uid(), s.origH(), s.origP(), s.respH(), s.respP(), s.fuid(), s.fileMimeType(), s.fileDesc(), node);
        return new IntelMatch(completed, List.copyOf(items), rec, List.copyOf(notices));
    }

    private static boolean lessAddr(String a, String b) {
        long[] x = new long[2];
        long[] y = new long[2];
        if (!IpAddress.parse(a, x) || !IpAddress.parse(b, y)) {
            return a.compareTo(b) < 0;
        }
        int c = Long.compareUnsigned(x[0], y[0]);
        if (c == 0) {
            c = Long.compareUnsigned(x[1], y[1]);
        }
        return c < 0;
    }
}
