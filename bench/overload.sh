#!/usr/bin/env bash
# Overload-control benchmark (issue 9). Loads a generated shop once (catalog and
# shopper events, so recommendations and search do real work), then per pass:
# measures the server's capacity on the mixed workload (closed loop, admission
# off), and offers 1x, 2x, 4x and 8x of it open loop, with admission control off
# and on, each against a fresh storepilot started on a copy of the loaded data.
# Prints one JSON line per run (per-class success, shed, unsent, p50/p99,
# goodput, server peak RSS and CPU seconds) and the admission metrics after it.
#   bench/overload.sh [SECONDS=10] [MULTIPLIERS="1 2 4 8"] [MODES="false true"]
# Environment: PASSES (1), PRODUCTS (5000), EVENTS (100000), GEN_THREADS (2),
# POOL (connections per class and generator thread, 64), CAPACITY=N (skips the
# capacity measurement), MIX (the open-loop runs' class mix, e.g. 100,0,0,0), SERVER_YAML (extra config lines of the measured servers), REJECT_COST=1 (only the reject-cost run: everything
# but critical shed, the server's CPU per shed request).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
MULTS=${2:-"1 2 4 8"}
MODES=${3:-"false true"}
PASSES=${PASSES:-1}
PRODUCTS=${PRODUCTS:-5000}
EVENTS=${EVENTS:-100000}
GEN_THREADS=${GEN_THREADS:-2}
POOL=${POOL:-64}
BIN=${BIN:-build/bin}
for b in storepilot storepilot_overload_gen storepilot_serve_data; do
  [ -x $BIN/$b ] || { echo "missing $BIN/$b: run ./run build first (with the bench targets)" >&2; exit 2; }
done
TOKEN=bench-token-0123456789
W=$(mktemp -d)
PID=
D=
stop() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  PID=
  [ -n "$D" ] && rm -rf "$D"
  D=
  return 0
}
trap 'stop; rm -rf "$W"' EXIT
start() {  # admission: true|false; extra YAML line
  D=$(mktemp -d)
  [ -d "$W/data" ] && cp -a "$W/data" "$D/data"
  cat > "$D/config.yaml" <<YAML
listen: 127.0.0.1:0
data_dir: $D/data
log_level: info
admission: $1
${2:-}
shops:
  - shop: bench
    api_token: $TOKEN
YAML
  $BIN/storepilot serve --config "$D/config.yaml" --port-file "$D/port" 2>"$D/log" &
  PID=$!
  for _ in $(seq 100); do [ -s "$D/port" ] && break; sleep 0.1; done
  PORT=$(cat "$D/port")
  until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.1; done
}
# The generator runs in its own session (setsid), so that the kernel's
# per-session CPU share (autogroup) of a shared machine is not split between it
# and the server it measures, as if it ran on another machine.
gen() {
  local TIMEFORMAT='%U %S'
  { time setsid -w $BIN/storepilot_overload_gen --port "$PORT" --token "$TOKEN" --pid "$PID" \
    --threads "$GEN_THREADS" --pool "$POOL" --products "$PRODUCTS" --product-offset 100000 \
    --normal-urls "$W/gen/recs.urls" --normal-urls "$W/gen/search.urls" "$@" 2>&3; } 3>&2 2>"$W/gen.time"
}
# The last generator run's CPU seconds (user + system): on a 2-core machine
# the load it offers competes with the server for the same cores.
gen_cpu() { awk '{printf "%.1f", $1 + $2}' "$W/gen.time"; }
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
# Mean of a histogram in ms (sum / count) since the server started.
mean_ms() { awk -v s="$(metric "$1_sum")" -v c="$(metric "$1_count")" 'BEGIN {printf "%.1f", c ? 1000 * s / c : 0}'; }
load() { uptime | sed 's/.*load average: //'; }
# The server-side p99 in ms (histogram bucket bound) of the durable event POSTs
# answered 200 (critical and high): time from the parsed request to the answer,
# without the time a request waits in the socket before it is read.
events_p99_ms() {
  curl -s "http://127.0.0.1:$PORT/metrics" |
    grep '^storepilot_http_request_duration_seconds_bucket{route="/v1/shops/{shop}/events",method="POST",status="200"' |
    sed -E 's/.*le="([^"]*)"\} ([0-9.e+]+)$/\1 \2/; s/^\+Inf /1e9 /' | sort -g |
    awk '{le[NR] = $1; n[NR] = $2} END {for (i = 1; i <= NR; i++) if (n[i] >= 0.99 * n[NR]) {printf "%g", le[i] * 1000; exit}}'
}

echo "machine: $(nproc) cores; $(uptime)"
# The shop: storepilot_serve_data's catalog and events, loaded once.
$BIN/storepilot_serve_data --out "$W/gen" --products "$PRODUCTS" --events "$EVENTS" >/dev/null
start false
URL=http://127.0.0.1:$PORT/v1/shops/bench
for f in "$W"/gen/products-*.json; do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary @"$f" "$URL/products:batch"
done
for f in "$W"/gen/events-*.ndjson; do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$f" "$URL/events"
done
until [ "$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/stats" |
           sed -E 's/.*"events":([0-9]+).*/\1/')" -ge "$EVENTS" ]; do sleep 0.5; done
kill "$PID" && wait "$PID" || true  # a clean shutdown: the data directory is the template
PID=
mv "$D/data" "$W/data"
stop
echo "shop loaded: $PRODUCTS products, $EVENTS events"

if [ -n "${REJECT_COST:-}" ]; then
  # Everything but critical is shed once the level has risen (a queueing-delay
  # target of 0 counts every window as overloaded): the server's CPU per
  # answered request is then the cost of a refusal. Compared with the CPU per
  # served request of a closed-loop run in the same invocation.
  start false
  out=$(gen --rate 0 --connections 64 --seconds "$SECS" --id-prefix rc0)
  echo "served (closed loop, admission off): $out"
  stop
  start true "admission_queue_delay_ms: 0"
  gen --rate 2000 --seconds 1 --mix 0,0,50,50 --id-prefix rcwarm >/dev/null  # level up
  out=$(gen --rate "${RATE:-20000}" --seconds "$SECS" --mix 0,0,50,50 --id-prefix rc1)
  echo "shed (open loop, level at its maximum): $out"
  echo "  level=$(metric storepilot_admission_level); load $(load)"
  stop
  exit 0
fi

for pass in $(seq "$PASSES"); do
  cap=${CAPACITY:-}
  if [ -z "$cap" ]; then
    start false
    out=$(gen --rate 0 --connections 64 --seconds "$SECS" --id-prefix "cap$pass")
    echo "pass $pass capacity (closed loop, 64 connections, admission off): $out"
    cap=$(echo "$out" | sed -E 's/.*"goodput_per_s":([0-9.]+).*/\1/')
    stop
  fi
  echo "pass $pass capacity: $cap requests/s; load $(load)"
  for mode in $MODES; do
    for m in $MULTS; do
      start "$mode" "${SERVER_YAML:-}"
      rate=$(awk -v c="$cap" -v m="$m" 'BEGIN {printf "%.0f", c * m}')
      out=$(gen --rate "$rate" --seconds "$SECS" --deadline-ms 1000 ${MIX:+--mix "$MIX"} \
        --id-prefix "r$pass$m$mode")
      alive=$(kill -0 "$PID" 2>/dev/null && echo yes || echo no)
      echo "pass $pass admission=$mode x$m: $out"
      echo "  server alive: $alive; level=$(metric storepilot_admission_level) limit=$(metric storepilot_admission_limit) queue_delay_s=$(metric storepilot_admission_queue_delay_seconds) level_log_lines=$(grep -c 'admission level changed' "$D/log" || true); mean fsync'd log write $(mean_ms storepilot_log_write_seconds) ms, mean append-to-durable $(mean_ms storepilot_log_append_seconds) ms; server-side p99 of event POSTs <= $(events_p99_ms) ms; generator CPU $(gen_cpu) s; load $(load)"
      stop
    done
  done
done
