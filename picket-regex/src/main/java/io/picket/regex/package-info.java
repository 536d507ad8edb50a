/**
 * Zeek's regular expression dialect compiled to byte DFAs: {@link io.picket.regex.ZeekRegexParser}
 * to {@link io.picket.regex.RegexNode}, {@link io.picket.regex.DfaBuilder} to an immutable
 * {@link io.picket.regex.Dfa} shared by all threads. JDK only; used by signature policies and by
 * HTTP file-type sniffing. Compilation runs once, off the packet path.
 */
package io.picket.regex;
