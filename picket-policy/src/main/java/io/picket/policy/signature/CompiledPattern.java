package io.picket.policy.signature;

import io.picket.regex.Dfa;

/** One compiled content condition of a signature. Immutable. */
record CompiledPattern(int id, PatternType type, Dfa dfa, long depth, int rule, String source, String re2) {
}
