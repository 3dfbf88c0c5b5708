#!/usr/bin/env bash
# Fraud scoring over HTTP: a Release storepilot with a model trained on the
# handbook data (`fraud predict --model-out`), driven by storepilot_load --orders
# at a fixed rate (latency from each request's scheduled start: no coordinated
# omission). Every request is a new order: parse, feature lookup, 100 trees,
# TreeSHAP with 5 facts, rules, record in the feature windows, async log append.
#   bench/fraud/http_latency.sh [RUNS=3] [SECONDS=20] [RATE=2000] [MODEL]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
SECS=${2:-20}
RATE=${3:-2000}
MODEL=${4:-}
BIN=${BIN:-build/bin}
DATA=${DATA:-../shared/data/fraud/handbook-sim}
[ -x $BIN/storepilot ] && [ -x $BIN/storepilot_load ] || { echo "build storepilot and storepilot_load first" >&2; exit 2; }
D=$(mktemp -d)
if [ -z "$MODEL" ]; then
  MODEL=$D/model.ubj
  $BIN/storepilot fraud predict --transactions "$DATA" --train-start 2018-07-25 \
    --train-end 2018-07-31 --test-start 2018-08-08 --test-end 2018-08-08 --delay-days 7 \
    --out "$D/scores.csv" --model-out "$MODEL" >/dev/null
fi
TOKEN=bench-token-0123456789
. bench/lib.sh
bench_server "fraud_model: $MODEL"

load() { $BIN/storepilot_load --port "$PORT" --token "$TOKEN" --shop bench --orders "$@"; }
# Warm-up: fills the feature windows (5,000 customers) and the server's buffers.
load --seconds 5 --connections 8 --rate "$RATE" --id-prefix warm >/dev/null || true
# CPU seconds the server used (user + system), to tell its cost from the waiting
# a busy machine adds.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / hz}' /proc/$PID/stat; }
results=()
for r in $(seq "$RUNS"); do
  c0=$(cpu)
  out=$(load --seconds "$SECS" --connections 16 --rate "$RATE" --id-prefix "run$r")
  c1=$(cpu)
  n=$(echo "$out" | field ok)
  echo "run $r: $out   server CPU per request: $(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN {printf "%.1f", (b - a) * 1e6 / n}') us   load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  results+=("$out")
done
echo "median: requests/s=$(printf '%s\n' "${results[@]}" | field requests_per_s | median)" \
  "p50_ms=$(printf '%s\n' "${results[@]}" | field p50_ms | median)" \
  "p99_ms=$(printf '%s\n' "${results[@]}" | field p99_ms | median)"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^storepilot_fraud_scores_total' || true
