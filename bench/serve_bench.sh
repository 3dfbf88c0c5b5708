#!/usr/bin/env bash
# Serving benchmark of recommendations and search over HTTP (issues 4 and 5):
# loads a generated 50,000-product catalog and 1,000,000 events through the API,
# then GETs recommendations and typo-tolerant faceted searches at fixed rates
# (open loop: latency counted from each request's scheduled start). Prints one
# JSON line per run, the medians, the server's RSS and the load average.
#   bench/serve_bench.sh [RUNS=3] [SECONDS=10] [REC_RATE=2000] [SEARCH_RATE=1000]
# A rate of 0 skips that mode.
# Environment: PRODUCTS (50000), EVENTS (1000000), CONNECTIONS (32), THREADS
# (server threads, default: cores), SERVER_YAML (extra config lines, e.g.
# "recommend_retrain_interval_s: 30" to retrain during the runs), PAUSE_FILE (when set, the script waits for
# the file to appear before measuring, e.g. to attach a profiler to $PID, which
# it prints).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SECS=${2:-10}
REC_RATE=${3:-2000}
SEARCH_RATE=${4:-1000}
PRODUCTS=${PRODUCTS:-50000}
EVENTS=${EVENTS:-1000000}
CONNECTIONS=${CONNECTIONS:-32}
BIN=build/bin
for b in storepilot storepilot_load storepilot_serve_data; do
  [ -x $BIN/$b ] || { echo "missing $BIN/$b: run ./run build first" >&2; exit 2; }
done
D=$(mktemp -d)
TOKEN=bench-token-0123456789
. bench/lib.sh
bench_server "${THREADS:+threads: $THREADS}
${SERVER_YAML:-}"
URL=http://127.0.0.1:$PORT/v1/shops/bench
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$PID/status; }
# The server's user+system CPU time in clock ticks (independent of the load
# other processes put on the machine).
cpu_ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
TICK_MS=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN {print 1000 / hz}')

echo "generating $PRODUCTS products and $EVENTS events..."
$BIN/storepilot_serve_data --out "$D/gen" --products "$PRODUCTS" --events "$EVENTS"
RSS0=$(rss_mb)
start=$(date +%s.%N)
for f in "$D"/gen/products-*.json; do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary @"$f" "$URL/products:batch"
done
mid=$(date +%s.%N)
for f in "$D"/gen/events-*.ndjson; do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$f" "$URL/events"
done
# Events are acknowledged once durable; wait until the engines applied them.
until [ "$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/stats" |
           sed -E 's/.*"events":([0-9]+).*/\1/')" -ge "$EVENTS" ]; do sleep 0.5; done
end=$(date +%s.%N)
echo "loaded: products in $(echo "$mid - $start" | bc) s, events in $(echo "$end - $mid" | bc) s;" \
     "RSS $RSS0 MB before, $(rss_mb) MB after loading"

# Freshness: a view must change that session's next recommendations.
changed=0
for i in $(seq 20); do
  before=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/recommendations?session_id=fresh$i&n=5")
  product=$(echo "$before" | sed -E 's/.*"items":\[\{"product_id":"([^"]+)".*/\1/')
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary "[{\"event_id\":\"fresh$i\",\"type\":\"view\",\"ts\":$(date +%s%3N),\"session_id\":\"fresh$i\",\"product_id\":\"$product\"}]" \
    "$URL/events"
  t0=$(date +%s%N)
  while true; do
    after=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/recommendations?session_id=fresh$i&n=5")
    [ "$(echo "$after" | sed 's/"request_id":"[^"]*"//')" != "$(echo "$before" | sed 's/"request_id":"[^"]*"//')" ] && break
    [ $(( ($(date +%s%N) - t0) / 1000000 )) -gt 1000 ] && break
  done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
done > "$D/fresh"
echo "view -> changed recommendations (ms after the event was acknowledged, 20 sessions):" \
     "median $(median < "$D/fresh")," \
     "max $(sort -n "$D/fresh" | tail -1)"

# Background model trainings finished so far (recommendation retrains and
# search ranker trainings): a run that overlaps one says so in its line.
trainings() {
  curl -sf "http://127.0.0.1:$PORT/metrics" |
    awk '/^storepilot_(recommend_retrains_total|search_ltr_trainings_total)/ {n += $NF} END {print n + 0}'
}

run_mode() {  # name, urls file, rate (0 skips the mode)
  [ "$3" -gt 0 ] || return 0
  local results=()
  for r in $(seq "$RUNS"); do
    local out c0 c1 ok t0
    t0=$(trainings)
    c0=$(cpu_ticks)
    out=$($BIN/storepilot_load --port "$PORT" --token "$TOKEN" --urls "$2" --rate "$3" \
          --connections "$CONNECTIONS" --seconds "$SECS" || true)
    c1=$(cpu_ticks)
    ok=$(echo "$out" | field ok)
    out="${out%\}},\"server_cpu_ms_per_request\":$(awk -v t=$((c1 - c0)) -v ms="$TICK_MS" -v n="$ok" 'BEGIN {printf "%.3f", n ? t * ms / n : 0}')}"
    echo "$1 run $r: $out load average: $(cut -d' ' -f1-3 /proc/loadavg)," \
         "background trainings during the run: $(( $(trainings) - t0 ))"
    results+=("$out")
  done
  echo "$1 median: requests/s=$(printf '%s\n' "${results[@]}" | field requests_per_s | median)" \
       "p50_ms=$(printf '%s\n' "${results[@]}" | field p50_ms | median)" \
       "p99_ms=$(printf '%s\n' "${results[@]}" | field p99_ms | median)" \
       "errors=$(printf '%s\n' "${results[@]}" | field errors | median)" \
       "server_cpu_ms_per_request=$(printf '%s\n' "${results[@]}" | field server_cpu_ms_per_request | median)" \
       "RSS=$(rss_mb) MB"
}
if [ -n "${PAUSE_FILE:-}" ]; then
  echo "server pid $PID; waiting for $PAUSE_FILE"
  until [ -e "$PAUSE_FILE" ]; do sleep 0.2; done
fi
run_mode recommendations "$D/gen/recs.urls" "$REC_RATE"
run_mode search "$D/gen/search.urls" "$SEARCH_RATE"
echo "uptime: $(uptime)"
