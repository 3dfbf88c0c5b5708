# Shared by the server benchmarks (bench/*.sh): source it after setting BIN and
# TOKEN. Not a script of its own.

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/"; }

# bench_server [TOP_YAML] [SHOP_YAML]: starts `storepilot serve` on a fresh data
# directory under $D (made here unless already set) with one shop "bench"
# (api token $TOKEN), extra top-level and shop config lines, and waits until it
# is ready. Sets D, PID and PORT; the server is stopped and $D removed on exit.
bench_server() {
  D=${D:-$(mktemp -d)}
  cat > "$D/config.yaml" <<YAML
listen: 127.0.0.1:0
data_dir: $D/data
log_level: warn
${1:-}
shops:
  - shop: bench
    api_token: $TOKEN
${2:-}
YAML
  $BIN/storepilot serve --config "$D/config.yaml" --port-file "$D/port" &
  PID=$!
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$D"' EXIT
  for _ in $(seq 100); do [ -s "$D/port" ] && break; sleep 0.1; done
  PORT=$(cat "$D/port")
  until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.1; done
}
