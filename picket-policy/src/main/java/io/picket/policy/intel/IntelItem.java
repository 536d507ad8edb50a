package io.picket.policy.intel;

/** {@code Intel::Item}: an indicator, its type and one metadata record. Immutable. */
public record IntelItem(String indicator, IntelType type, IntelMeta meta) {
}
