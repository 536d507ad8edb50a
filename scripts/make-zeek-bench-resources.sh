#!/usr/bin/env bash
# make-zeek-bench-resources.sh - rebuild the vendored benchmark captures and Zeek logs in
# picket-engine/src/test/resources/zeek-bench/ (used by BenchConnConformanceTest).
#
# Usage: scripts/make-zeek-bench-resources.sh BENCH_DIR ZEEK_BENCH_LOGS [OUT_DIR]
#   BENCH_DIR        folder with make-bench-pcap.sh and seeds/ (may be read-only)
#   ZEEK_BENCH_LOGS  folder with Zeek 8.2.2's logs of the 16 MiB capture (conn.log.gz at the
#                    top, json/, community-id-vlan/, shared-ip-vlan-key/)
#   OUT_DIR          default picket-engine/src/test/resources/zeek-bench
#
# Needs tcprewrite (tcpreplay 4.4.3), editcap/mergecap/capinfos (wireshark-common 4.0.17),
# python3, xz, sha256sum: Debian 12's packages give byte-identical captures. Fails when a
# built capture does not have the expected sha256.
set -euo pipefail
export LC_ALL=C

[ $# -ge 2 ] && [ $# -le 3 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
BENCH_DIR=$(cd "$1" && pwd)
LOGS=$(cd "$2" && pwd)
OUT=${3:-picket-engine/src/test/resources/zeek-bench}
DISTINCT_SHA=2a99f303e46114c0fbd1396df8db67215adead002b3e94229f498d10127d9952
SHARED_SHA=40bb4d0b0dbf05e426a6f4bc05faf9f004a61a262d8676bb1349833ed346c79e

mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT

( cd "$BENCH_DIR" && ./make-bench-pcap.sh seeds "$WORK/bench-16M.pcap" 16M 8 )
( cd "$BENCH_DIR" && IP_MODE=shared ./make-bench-pcap.sh seeds "$WORK/bench-16M-shared.pcap" 16M 8 )
check() {
  local got
  got=$(sha256sum < "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || { echo "sha256 of $1 is $got, expected $2" >&2; exit 1; }
}
check "$WORK/bench-16M.pcap" "$DISTINCT_SHA"
check "$WORK/bench-16M-shared.pcap" "$SHARED_SHA"

# The shared capture differs from the distinct one only in the rewritten addresses of the
# second copy: store it as a byte-wise XOR against the distinct capture (same length).
python3 - "$WORK/bench-16M.pcap" "$WORK/bench-16M-shared.pcap" "$WORK/bench-16M-shared.xor" <<'PY'
import sys
a = open(sys.argv[1], 'rb').read()
b = open(sys.argv[2], 'rb').read()
assert len(a) == len(b), 'captures differ in length'
open(sys.argv[3], 'wb').write(bytes(x ^ y for x, y in zip(a, b)))
PY

xz -9e -T1 -c "$WORK/bench-16M.pcap" > "$OUT/bench-16M.pcap.xz"
xz -9e -T1 -c "$WORK/bench-16M-shared.xor" > "$OUT/bench-16M-shared.xor.xz"
cp "$WORK/bench-16M.pcap.manifest.tsv" "$WORK/bench-16M-shared.pcap.manifest.tsv" "$OUT/"
for v in . json community-id-vlan shared-ip-vlan-key; do
  mkdir -p "$OUT/$v"
  cp "$LOGS/$v/conn.log.gz" "$OUT/$v/conn.log.gz"
done
cp "$BENCH_DIR/seeds/SOURCES.md" "$OUT/SOURCES.md"
chmod -R u+w "$OUT"
ls -l "$OUT" "$OUT"/*/
