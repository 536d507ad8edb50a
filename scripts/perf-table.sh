#!/usr/bin/env bash
# Regenerates the throughput table of docs/PERFORMANCE.md in one session: the FileChannel walk
# and ndpiReader anchors, then picket bench with connections only and all analyzers on 1 and 2
# workers, printed as a Markdown table with the ratios and the issue's targets.
#
#   scripts/perf-table.sh CAPTURE [TENANTS.yaml]
#
# CAPTURE is the reference capture (make-bench-pcap.sh ... 1G 8). Needs a JDK 25 (the launcher
# finds one) and, for the nDPI anchor, ndpiReader (apt-get install libndpi-bin); without it the
# nDPI rows say so. Runs: walk 4x, ndpiReader 2x, each picket configuration --repeat $REPEAT
# (median; default 5: fewer runs leave the JIT and the collector more say in the figure), one
# and two workers in $PAIRS alternating pairs (default 3; the ratio is the median of the pairs').
# Two more one-worker rows show where the connections-only time goes: the frames only read
# (--stage read), then also decoded with their tenants selected (--stage decode).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cap="${1:?usage: scripts/perf-table.sh CAPTURE [TENANTS.yaml]}"
tenants="${2:-}"
repeat="${REPEAT:-5}"
pairs="${PAIRS:-3}"
[ -r "$cap" ] || { echo "perf-table: cannot read $cap" >&2; exit 2; }

"$here/picket" --version >/dev/null 2>&1 || true   # builds the jar first if needed
java="$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)"
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
[ -x "$java" ] || { echo "perf-table: no JDK 25 java found" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$(dirname "$java")/javac" -d "$work" "$here/scripts/PcapWalk.java"

median() { sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
secs() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }

cat "$cap" >/dev/null   # into the page cache
packets="$("$java" -cp "$work" PcapWalk "$cap" | sed -n 's/^packets=\([0-9]*\).*/\1/p')"
walk="$(for i in 1 2 3 4; do secs "$java" -cp "$work" PcapWalk "$cap"; done | median)"

ndpi=""
if command -v ndpiReader >/dev/null; then
  ndpi="$(for i in 1 2; do secs ndpiReader -q -i "$cap"; done | median)"
fi

bench() { # workers [analyzers...]: prints "wall cpu"
  local w="$1"; shift
  local args=(bench -r "$cap" --workers "$w" --repeat "$repeat")
  [ -n "$tenants" ] && args+=(--tenants "$tenants")
  [ $# -gt 0 ] && args+=(--analyzers "$@")
  [ -n "${STAGE:-}" ] && args+=(--stage "$STAGE")
  "$here/picket" "${args[@]}" 2>/dev/null | sed -n 's/^total: .* in \([0-9.]*\) s wall, \([0-9.]*\) s CPU$/\1 \2/p'
}
# one and two workers in $pairs alternating pairs (the machine's speed drifts within minutes):
# the table shows the median wall time of each and the median of the pairs' ratios
pairs() { # [analyzers...]: sets p1 p2 p1cpu p2cpu pratio pratios
  local a b ac bc ws=() xs=() acs=() bcs=() rs=()
  for _ in $(seq 1 "$pairs"); do
    read -r a ac <<<"$(bench 1 "$@")"
    read -r b bc <<<"$(bench 2 "$@")"
    ws+=("$a"); xs+=("$b"); acs+=("$ac"); bcs+=("$bc"); rs+=("$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}')")
  done
  p1="$(printf '%s\n' "${ws[@]}" | median)"; p2="$(printf '%s\n' "${xs[@]}" | median)"
  p1cpu="$(printf '%s\n' "${acs[@]}" | median)"; p2cpu="$(printf '%s\n' "${bcs[@]}" | median)"
  pratio="$(printf '%s\n' "${rs[@]}" | median)"; pratios="${rs[*]}"
}
# where the connections-only time goes: packets only read, then also decoded (1 worker)
read -r rd rdcpu <<<"$(STAGE=read bench 1 conn)"
read -r dc dccpu <<<"$(STAGE=decode bench 1 conn)"
pairs conn
c1=$p1; c2=$p2; c1cpu=$p1cpu; c2cpu=$p2cpu; cratio=$pratio; cratios=$pratios
pairs
a1=$p1; a2=$p2; a1cpu=$p1cpu; a2cpu=$p2cpu; aratio=$pratio; aratios=$pratios

mpps() { awk -v p="$packets" -v s="$1" 'BEGIN{printf "%.2f", p/s/1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN{print (r >= t ? "met" : "**not met**")}'; }

load="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "Session of $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs, load average $load at the end; $packets packets."
echo
echo "| what | wall s | Mpps | ratio | target |"
echo "|---|---|---|---|---|"
echo "| Java FileChannel walk (median of 4, JVM start included) | $walk | $(mpps "$walk") | 1.00 | |"
if [ -n "$ndpi" ]; then
  echo "| ndpiReader -q (median of 2) | $ndpi | $(mpps "$ndpi") | 1.00 | |"
else
  echo "| ndpiReader -q | not installed | | | |"
fi
echo "| Picket, frames read only (\`--stage read\`), 1 worker (CPU $rdcpu s) | $rd | $(mpps "$rd") | $(ratio "$walk" "$rd") × walk | |"
echo "| Picket, also decoded, tenants selected (\`--stage decode\`), 1 worker (CPU $dccpu s) | $dc | $(mpps "$dc") | $(ratio "$walk" "$dc") × walk | |"
r="$(ratio "$walk" "$c1")"
echo "| Picket, connections only, 1 worker (CPU $c1cpu s) | $c1 | $(mpps "$c1") | $r × walk | ≥ 0.60 × walk — $(verdict "$r" 0.60) |"
r="$cratio"
echo "| Picket, connections only, 2 workers (CPU $c2cpu s) | $c2 | $(mpps "$c2") | $r × 1 worker | ≥ 1.7 × — $(verdict "$r" 1.7) |"
if [ -n "$ndpi" ]; then
  r="$(ratio "$ndpi" "$a1")"
  echo "| Picket, all analyzers, 1 worker (CPU $a1cpu s) | $a1 | $(mpps "$a1") | $r × ndpiReader | ≥ 4 × ndpiReader — $(verdict "$r" 4) |"
else
  echo "| Picket, all analyzers, 1 worker (CPU $a1cpu s) | $a1 | $(mpps "$a1") | | ≥ 4 × ndpiReader |"
fi
r="$aratio"
echo "| Picket, all analyzers, 2 workers (CPU $a2cpu s) | $a2 | $(mpps "$a2") | $r × 1 worker | ≥ 1.7 × — $(verdict "$r" 1.7) |"
echo
echo "Picket rows: medians of $pairs alternating pairs of one and two workers, each run the median of"
echo "--repeat $repeat warm runs in one JVM; two-worker ratios per pair: connections only $cratios,"
echo "all analyzers $aratios (the table shows their medians)."
