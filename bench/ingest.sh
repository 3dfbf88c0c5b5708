#!/usr/bin/env bash
# Durable ingest benchmark (foundation issue): batches of 100 events, single-event
# requests, and p99 latency at half of each measured throughput, against a Release
# storepilot on loopback with fsync'd group commits. Prints one JSON line per run and
# the group-commit sizes from /metrics.
#   bench/ingest.sh [RUNS=3] [SECONDS=10]
# Environment: SERVER_YAML, extra top-level config lines of the server (for A/B
# runs, e.g. "log_background_low_priority: false"); BATCH_HALF_RATE and
# SINGLE_HALF_RATE (requests/s) replace "half of the measured throughput" by a
# fixed rate, e.g. 750 and 12500: half of the issue's 150,000 events/s and
# 25,000 requests/s.
# The generator (bench/load_gen.cc) drives its connections from epoll loops, 2
# threads by default; the batch modes use 4, since building 100-event bodies is
# most of its work there.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SECS=${2:-10}
BIN=${BIN:-build/bin}
[ -x $BIN/storepilot ] && [ -x $BIN/storepilot_load ] || { echo "run ./run build first" >&2; exit 2; }
D=$(mktemp -d)
TOKEN=bench-token-0123456789
. bench/lib.sh
bench_server "${SERVER_YAML:-}"

load() { $BIN/storepilot_load --port "$PORT" --token "$TOKEN" --shop bench --seconds "$SECS" "$@"; }
fsync_groups() {
  curl -s "http://127.0.0.1:$PORT/metrics" |
    awk '/^storepilot_log_fsync_batch_records_sum/ {s=$2} /^storepilot_log_fsync_batch_records_count/ {c=$2} END {printf "%.0f %.0f\n", s, c}'
}

lag() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^storepilot_partition_lag_records/ {s+=$2} END {print s+0}'; }

run_mode() {  # name, load args...
  local name=$1
  shift
  # Each run starts in the steady state: the log's apply has caught up with
  # what the previous (closed-loop) run wrote, so the CPU it spends catching
  # up is not counted against this run's latency. The wait is printed.
  local t0=$SECONDS
  until [ "$(lag)" = "0" ] || [ $((SECONDS - t0)) -ge 60 ]; do sleep 0.1; done
  echo "$name: apply caught up after $((SECONDS - t0)) s (lag $(lag) records)"
  local results=() before after
  before=$(fsync_groups)
  for r in $(seq "$RUNS"); do
    local out
    out=$(load --id-prefix "$name-$r-$RANDOM" "$@")
    echo "$name run $r: $out"
    results+=("$out")
  done
  after=$(fsync_groups)
  local rps eps p99
  p99=$(printf '%s\n' "${results[@]}" | field p99_ms | median)
  rps=$(printf '%s\n' "${results[@]}" | field requests_per_s | median)
  eps=$(printf '%s\n' "${results[@]}" | field events_per_s | median)
  read -r s0 c0 <<<"$before"
  read -r s1 c1 <<<"$after"
  echo "$name median: requests/s=$rps events/s=$eps p99_ms=$p99 records_per_fsync=$(awk -v s=$((s1 - s0)) -v c=$((c1 - c0)) 'BEGIN {printf "%.1f", c ? s / c : 0}')"
  MEDIAN_RPS=$rps
}

run_mode batch100 --batch 100 --connections 32 --threads 4
half=${BATCH_HALF_RATE:-$(awk -v r="$MEDIAN_RPS" 'BEGIN {printf "%.0f", r / 2}')}
run_mode batch100_half_load --batch 100 --connections 32 --threads 4 --rate "$half"
run_mode single --batch 1 --connections 128
half=${SINGLE_HALF_RATE:-$(awk -v r="$MEDIAN_RPS" 'BEGIN {printf "%.0f", r / 2}')}
run_mode single_half_load --batch 1 --connections 128 --rate "$half"
echo "store: $(du -sh "$D/data" | cut -f1)"
