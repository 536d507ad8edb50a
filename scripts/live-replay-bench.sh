#!/usr/bin/env bash
# live-replay-bench.sh - live capture at tcpreplay's top speed: Picket and tcpdump side by side.
#
# Usage: scripts/live-replay-bench.sh [-w WORKERS] [-m RUNMODE] [-a ANALYZERS] [-l LOOPS] [-t TENANTS] CAPTURE
#   CAPTURE      pcap to replay (e.g. the 16 MiB bench capture, unpacked from
#                picket-engine/src/test/resources/zeek-bench/bench-16M.pcap.xz)
#   -w WORKERS   picket --workers (default 1; N fanout sockets share the interface)
#   -m RUNMODE   picket --runmode: workers (default) or autofp (one capture thread feeds WORKERS shards)
#   -a LIST      picket --analyzers (default: all)
#   -l LOOPS     tcpreplay --loop (default 1)
#   -t FILE      tenants.yaml (default: one tenant per VLAN 1000-1007, as the bench capture)
#
# Creates a network namespace with a veth pair va/vb (MTU 9000, IPv6 off), starts
# `picket run -i vb` and `tcpdump -i vb -w /dev/null` (128 MiB buffer, like Picket's default
# ring) on the capture side, replays CAPTURE out of va with `tcpreplay --topspeed`, then stops
# both (SIGINT, SIGTERM) and prints what each one received and what the kernel dropped for it.
# Needs root, iproute2, tcpreplay and tcpdump (Debian: apt-get install tcpreplay tcpdump).
# The namespace is deleted on exit. A benchmark, not a test: run it on a quiet machine.
set -euo pipefail
export LC_ALL=C

WORKERS=1 RUNMODE=workers ANALYZERS="" LOOPS=1 TENANTS="" EXTRA=()
while getopts "w:m:a:l:t:h" o; do
  case $o in
    w) WORKERS=$OPTARG ;;
    m) RUNMODE=$OPTARG ;;
    a) ANALYZERS=$OPTARG ;;
    l) LOOPS=$OPTARG ;;
    t) TENANTS=$OPTARG ;;
    *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
CAPTURE=$(realpath "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in ip tcpreplay tcpdump; do
  command -v $tool >/dev/null || { echo "live-replay-bench: needs $tool" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "live-replay-bench: needs root (netns, AF_PACKET)" >&2; exit 1; }

NS=picket-lrb-$$
WORK=$(mktemp -d)
PICKET_PID="" TCPDUMP_PID=""
cleanup() {
  [ -n "$PICKET_PID" ] && kill -TERM "$PICKET_PID" 2>/dev/null || true
  [ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null || true
  sleep 0.5
  ip netns del "$NS" 2>/dev/null || true
  rm -rf -- "$WORK"
}
trap cleanup EXIT

if [ -z "$TENANTS" ]; then
  TENANTS=$WORK/tenants.yaml
  { echo "tenants:"; for v in $(seq 1000 1007); do printf '  - id: t%d\n    vlans: [%d]\n' $((v - 1000)) "$v"; done; } > "$TENANTS"
fi

ip netns add "$NS"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$NS" link add va mtu 9000 type veth peer name vb mtu 9000
ip -n "$NS" link set lo up
ip -n "$NS" link set va up
ip -n "$NS" link set vb up
for _ in $(seq 300); do
  ip -n "$NS" link show vb | grep -q 'state UP' && ip -n "$NS" link show va | grep -q 'state UP' && break
  sleep 0.01
done

"$HERE/picket" --version >/dev/null # builds the jar first when needed, outside the measurement
args=(run -i vb --logs "$WORK/logs" --tenants "$TENANTS" --workers "$WORKERS" --runmode "$RUNMODE" -C)
[ -n "$ANALYZERS" ] && args+=(--analyzers "$ANALYZERS")
ip netns exec "$NS" "$HERE/picket" "${args[@]}" > "$WORK/picket.out" 2> "$WORK/picket.err" &
PICKET_PID=$!
ip netns exec "$NS" tcpdump -i vb -n -B 131072 -w /dev/null 2> "$WORK/tcpdump.err" &
TCPDUMP_PID=$!
for _ in $(seq 300); do
  grep -q '^capturing on' "$WORK/picket.err" && grep -q 'listening on' "$WORK/tcpdump.err" && break
  sleep 0.1
done
grep -q '^capturing on' "$WORK/picket.err" || { echo "picket did not start:"; cat "$WORK/picket.err"; exit 1; }

rx_before=$(ip netns exec "$NS" cat /sys/class/net/vb/statistics/rx_packets)
ip netns exec "$NS" tcpreplay --topspeed --loop "$LOOPS" -i va "$CAPTURE" > "$WORK/tcpreplay.out" 2>&1
rx=$(( $(ip netns exec "$NS" cat /sys/class/net/vb/statistics/rx_packets) - rx_before ))
sleep 2 # let both drain their rings
kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=""
# SIGTERM: a background job of a script starts with SIGINT ignored, and the JVM keeps it so
kill -TERM "$PICKET_PID"; wait "$PICKET_PID" || true; PICKET_PID=""

echo "== tcpreplay --topspeed ($(basename "$CAPTURE"), loop $LOOPS)"
grep -E 'Actual|Rated|Failed packets' "$WORK/tcpreplay.out" | sed 's/^ */  /'
echo "== vb received (rx_packets): $rx"
echo "== tcpdump -B 131072"
grep -E 'captured|received by filter|dropped by kernel' "$WORK/tcpdump.err" | sed 's/^/  /'
echo "== picket run -i vb --workers $WORKERS --runmode $RUNMODE${ANALYZERS:+ --analyzers $ANALYZERS}"
grep -E 'kernel received|^total|drops' "$WORK/picket.err" "$WORK/picket.out" 2>/dev/null | sed 's/^[^:]*:/  /'
