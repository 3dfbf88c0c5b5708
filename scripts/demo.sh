#!/usr/bin/env bash
# ./run demo: starts storepilot on its embedded store (./demo-data) with a demo shop,
# loads a small catalog and a few thousand generated shopper events through the API,
# prints where the API is and some requests to try, and runs until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DEMO_DATA_DIR:-./demo-data}
PORT=${DEMO_PORT:-8080}
ADMIN=demo-admin-token-0123456789
TOKEN=demo-shop-token-0123456789
SHOP=demo-store.myshopify.com
mkdir -p "$DATA"
cat > "$DATA/config.yaml" <<YAML
listen: 127.0.0.1:$PORT
data_dir: $DATA/store
admin_token: $ADMIN
shops:
  - shop: $SHOP
    api_token: $TOKEN
    webhook_secret: demo-webhook-secret
YAML
rm -f "$DATA/port"
build/bin/storepilot serve --config "$DATA/config.yaml" --port-file "$DATA/port" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do [ -s "$DATA/port" ] && break; sleep 0.1; done
[ -s "$DATA/port" ] || { echo "storepilot did not start" >&2; exit 1; }
URL="http://127.0.0.1:$(cat "$DATA/port")"
until curl -sf "$URL/readyz" >/dev/null; do sleep 0.1; done
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

# A small catalog: 8 categories x 6 products.
categories=(Lamps Sofas Rugs Mugs Kettles Chairs Desks Plants)
brands=(Lumo Nordby Casa Fjell Oakly)
products="["
n=0
for c in "${categories[@]}"; do
  for i in 1 2 3 4 5 6; do
    n=$((n + 1))
    b=${brands[$((n % 5))]}
    [ "$n" -gt 1 ] && products+=","
    products+="{\"id\":\"p$n\",\"title\":\"$b ${c%s} $i\",\"brand\":\"$b\",\"category\":[\"Home\",\"$c\"],\"price\":$((10 + n * 3)).99,\"currency\":\"USD\",\"inventory\":$((n % 7 * 5)),\"tags\":[\"$c\"]}"
  done
done
products+="]"
api -X POST "$URL/v1/shops/$SHOP/products:batch" -d "$products" >/dev/null

# Shopper sessions: views, searches, carts and some purchases over the last days.
now_ms=$(($(date +%s) * 1000))
types=(view view view view search add_to_cart)
for batch in $(seq 0 19); do
  body="["
  for i in $(seq 0 99); do
    k=$((batch * 100 + i))
    s=$((k / 12))
    p=$(((k * 7 + s) % n + 1))
    t=${types[$((k % 6))]}
    ts=$((now_ms - (2000 - k) * 60000))
    extra="\"product_id\":\"p$p\""
    [ "$t" = search ] && extra="\"query\":\"${categories[$((p % 8))]}\""
    [ "$i" -gt 0 ] && body+=","
    body+="{\"event_id\":\"demo-$k\",\"type\":\"$t\",\"ts\":$ts,\"session_id\":\"sess-$s\",\"user_id\":\"user-$((s % 60))\",$extra,\"context\":{\"device\":\"mobile\",\"country\":\"US\"}}"
    if [ $((k % 25)) -eq 24 ]; then
      body+=",{\"event_id\":\"demo-buy-$k\",\"type\":\"purchase\",\"ts\":$ts,\"session_id\":\"sess-$s\",\"user_id\":\"user-$((s % 60))\",\"order_id\":\"o-$k\",\"items\":[{\"product_id\":\"p$p\",\"quantity\":1,\"price\":19.99}]}"
    fi
  done
  body+="]"
  api -X POST "$URL/v1/shops/$SHOP/events" -d "$body" >/dev/null
done

cat <<TXT

storepilot is running at $URL  (data in $DATA/store; Ctrl-C stops it)
  shop:        $SHOP
  shop token:  $TOKEN
  admin token: $ADMIN

Try:
  curl -H 'Authorization: Bearer $TOKEN' $URL/v1/shops/$SHOP/stats
  curl -H 'Authorization: Bearer $TOKEN' $URL/v1/shops/$SHOP/products/p1
  curl -H 'Authorization: Bearer $TOKEN' -X POST $URL/v1/shops/$SHOP/events \\
       -d '[{"event_id":"try-1","type":"view","ts":$now_ms,"session_id":"me","product_id":"p3"}]'
  curl -H 'Authorization: Bearer $ADMIN' -X POST $URL/v1/admin/shops -d '{"shop":"another-shop"}'
  curl $URL/metrics
TXT
api "$URL/v1/shops/$SHOP/stats"
echo
wait $PID
