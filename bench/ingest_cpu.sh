#!/usr/bin/env bash
# Server CPU per acknowledged event or webhook: robust to other load on the
# machine, unlike requests/s. Starts `storepilot serve` from BINDIR on a fresh
# data directory, runs the load generator RUNS times for SECONDS each and, per
# run, reads the server's CPU ticks (/proc/PID/stat utime+stime) before the run
# and 2 s after it (flushes and applies of the run included), divided by the
# acknowledged count.
#   bench/ingest_cpu.sh MODE [RUNS=3] [SECONDS=6] [BINDIR=build/bin]
#   MODE: batch (100 events/request, 32 connections) | single (128 connections)
#         | webhook (signed 3.3 KB orders/create, 64 connections)
# Compare two builds by running it on each BINDIR, alternating.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?mode: batch, single or webhook}
RUNS=${2:-3}
SECS=${3:-6}
BIN=${4:-build/bin}
[ -x "$BIN/storepilot" ] && [ -x "$BIN/storepilot_load" ] || { echo "no binaries in $BIN" >&2; exit 2; }
D=$(mktemp -d)
TOKEN=bench-token-0123456789
SECRET=whsec_bench_0123456789abcdef
. bench/lib.sh
bench_server "" "    webhook_secret: $SECRET"
case $MODE in
  batch) args=(--batch 100 --connections 32) ;;
  single) args=(--batch 1 --connections 128) ;;
  webhook) args=(--connections 64 --shopify-secret "$SECRET") ;;
  *) echo "unknown mode $MODE" >&2; exit 2 ;;
esac
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
per_event=()
for r in $(seq "$RUNS"); do
  t0=$(ticks)
  out=$($BIN/storepilot_load --port "$PORT" --token "$TOKEN" --shop bench --seconds "$SECS" \
          --id-prefix "$MODE$r-$RANDOM" "${args[@]}")
  sleep 2
  t1=$(ticks)
  # Acknowledged events: events/s x elapsed seconds (webhooks count one each).
  n=$(echo "$out" | awk -F'[:,}]' '{for (i = 1; i < NF; i++) {if ($i ~ /"events_per_s"/) e = $(i+1); if ($i ~ /"seconds"/) s = $(i+1)}} END {printf "%.0f", e * s}')
  us=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.1f", (b - a) / hz * 1e6 / n}')
  per_event+=("$us")
  echo "$MODE run $r: $out server_cpu_us_per_event=$us load=$(cut -d' ' -f1 /proc/loadavg)"
done
echo "$MODE median: server_cpu_us_per_event=$(printf '%s\n' "${per_event[@]}" | median) ($BIN)"
