#!/usr/bin/env bash
# Overload-control benchmark (issue 9): measures the server's capacity on the mixed
# workload (closed loop), then offers 1x, 2x, 4x and 8x of it open loop, with admission
# control off and on, each against a fresh storepilot on loopback. Prints one JSON line
# per run (per-class success, shed, p50/p99, goodput, server peak RSS) and the admission
# metrics at the end of each run.
#   bench/overload.sh [SECONDS=10] [MULTIPLIERS="1 2 4 8"] [MODES="false true"]
# CAPACITY=N skips the capacity measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
MULTS=${2:-"1 2 4 8"}
MODES=${3:-"false true"}
BIN=build/bin
[ -x $BIN/storepilot ] && [ -x $BIN/storepilot_overload_gen ] || { echo "run ./run build first (with the bench targets)" >&2; exit 2; }
TOKEN=bench-token-0123456789
PID=
D=
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=; [ -n "$D" ] && rm -rf "$D"; D=; return 0; }
trap stop EXIT
start() {  # admission: true|false
  D=$(mktemp -d)
  cat > "$D/config.yaml" <<YAML
listen: 127.0.0.1:0
data_dir: $D/data
log_level: info
admission: $1
shops:
  - shop: bench
    api_token: $TOKEN
YAML
  $BIN/storepilot serve --config "$D/config.yaml" --port-file "$D/port" 2>"$D/log" &
  PID=$!
  for _ in $(seq 100); do [ -s "$D/port" ] && break; sleep 0.1; done
  PORT=$(cat "$D/port")
  until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.1; done
  $BIN/storepilot_overload_gen --port "$PORT" --token "$TOKEN" --seed-products 1000 --seconds 0
}
gen() { $BIN/storepilot_overload_gen --port "$PORT" --token "$TOKEN" --pid "$PID" "$@"; }
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

echo "machine: $(nproc) cores; $(uptime)"
if [ -z "${CAPACITY:-}" ]; then
  start false
  out=$(gen --rate 0 --connections 64 --seconds "$SECS" --id-prefix cap)
  echo "capacity run (closed loop, 64 connections, admission off): $out"
  CAPACITY=$(echo "$out" | sed -E 's/.*"goodput_per_s":([0-9.]+).*/\1/')
  stop
fi
echo "capacity: $CAPACITY requests/s"
for mode in $MODES; do
  for m in $MULTS; do
    start "$mode"
    rate=$(awk -v c="$CAPACITY" -v m="$m" 'BEGIN {printf "%.0f", c * m}')
    out=$(gen --rate "$rate" --seconds "$SECS" --deadline-ms 1000 --id-prefix "r$m$mode$RANDOM")
    alive=$(kill -0 "$PID" 2>/dev/null && echo yes || echo no)
    echo "admission=$mode x$m: $out"
    echo "  server alive: $alive; level=$(metric storepilot_admission_level) limit=$(metric storepilot_admission_limit) queue_delay_s=$(metric storepilot_admission_queue_delay_seconds) level_log_lines=$(grep -c 'admission level changed' "$D/log" || true); $(uptime | sed 's/.*load/load/')"
    stop
  done
done
