#!/usr/bin/env bash
# Shopify webhook benchmark (issue 3): signed ~3 KB orders/create deliveries on
# keep-alive connections against a Release storepilot with fsync'd group
# commits; prints each run, the medians, and the translation lag: the largest
# partition lag seen while loading and the time the log apply (translation into
# orders and purchase events) needs to catch up after the load stops.
#   bench/shopify.sh [RUNS=3] [SECONDS=10] [CONNECTIONS=64]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SECS=${2:-10}
CONNS=${3:-64}
BIN=${BIN:-build/bin}
[ -x $BIN/storepilot ] && [ -x $BIN/storepilot_load ] || { echo "run ./run build first" >&2; exit 2; }
D=$(mktemp -d)
TOKEN=bench-token-0123456789
SECRET=whsec_bench_0123456789abcdef
. bench/lib.sh
bench_server "" "    webhook_secret: $SECRET"

lag() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^storepilot_partition_lag_records/ {s+=$2} END {print s+0}'; }
now_ms() { date +%s%3N; }

results=()
refs=()
for r in $(seq "$RUNS"); do
  max_lag=0
  (while sleep 0.5; do lag; done) > "$D/lag.$r" &
  SAMPLER=$!
  out=$($BIN/storepilot_load --port "$PORT" --token "$TOKEN" --shop bench --seconds "$SECS" \
          --connections "$CONNS" --shopify-secret "$SECRET" --id-prefix "run$r-$RANDOM")
  stop=$(now_ms)
  kill $SAMPLER 2>/dev/null; wait $SAMPLER 2>/dev/null || true
  max_lag=$(sort -n "$D/lag.$r" | tail -1)
  until [ "$(lag)" = "0" ]; do sleep 0.05; done
  drain=$(( $(now_ms) - stop ))
  echo "run $r: $out max_lag_records=${max_lag:-0} drain_ms=$drain"
  results+=("$out")
  # The reference in the same conditions: single ~200-byte events (the foundation's
  # ingest path, no HMAC, no translation) on as many connections.
  ref=$($BIN/storepilot_load --port "$PORT" --token "$TOKEN" --shop bench --seconds "$SECS" \
          --connections "$CONNS" --batch 1 --id-prefix "ref$r-$RANDOM")
  echo "reference run $r (single events): $ref"
  refs+=("$ref")
done
rps=$(printf '%s\n' "${results[@]}" | field requests_per_s | median)
p99=$(printf '%s\n' "${results[@]}" | field p99_ms | median)
p50=$(printf '%s\n' "${results[@]}" | field p50_ms | median)
orders=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^storepilot_shopify_translated_total\{topic="orders",result="applied"\}/ {print $2}')
ref_rps=$(printf '%s\n' "${refs[@]}" | field requests_per_s | median)
ref_p99=$(printf '%s\n' "${refs[@]}" | field p99_ms | median)
echo "reference median: single events/s=$ref_rps p99_ms=$ref_p99"
echo "median: webhooks/s=$rps p50_ms=$p50 p99_ms=$p99 orders_translated=$orders load: $(uptime | sed 's/.*load/load/')"
