#!/usr/bin/env bash
# Scores `storepilot forecast predict` on M4 Hourly as M4 does, times it
# (median of 3 runs), and runs statsforecast beside it when a Python with
# statsforecast is given.
#   bench/forecast/m4_hourly.sh [BUILD_DIR] [PYTHON_WITH_STATSFORECAST]
# Defaults: build/ (./run build), no peer. Data: ../shared/data/forecast.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-build}/bin/storepilot
PY=${2:-}
DATA=${DATA:-../shared/data/forecast/m4-hourly}
OUT=$(mktemp -d)
TRAIN=$DATA/Hourly-train.csv
TEST=$DATA/Hourly-test.csv

times=()
for run in 1 2 3; do
  start=$(date +%s.%N)
  "$BIN" forecast predict --input "$TRAIN" --horizon 48 --season 24 \
    --out "$OUT/fc.csv" --quantiles 0.025,0.05,0.5,0.95,0.975 \
    --out-quantiles "$OUT/q.csv"
  end=$(date +%s.%N)
  times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
echo "== storepilot auto (wall s, 3 runs: ${times[*]}; median $median)"
"$BIN" forecast eval --forecast "$OUT/fc.csv" --actual "$TEST" --train "$TRAIN" \
  --season 24 --quantiles "$OUT/q.csv"
for m in naive2 snaive theta; do
  "$BIN" forecast predict --input "$TRAIN" --horizon 48 --season 24 --method $m \
    --no-detect --out "$OUT/$m.csv"
  echo "== storepilot $m"
  "$BIN" forecast eval --forecast "$OUT/$m.csv" --actual "$TEST" --train "$TRAIN" \
    --season 24 | sed -n 2p
done
if [ -n "$PY" ]; then
  "$PY" bench/forecast/statsforecast_peer.py --input "$TRAIN" --horizon 48 \
    --season 24 --weekly 168 --out-dir "$OUT/peer" \
    --models SeasonalNaive,AutoETS,MSTL,AutoTheta |
    while IFS=$'\t' read -r name secs file; do
      echo "== statsforecast $name ($secs wall)"
      "$BIN" forecast eval --forecast "$file" --actual "$TEST" --train "$TRAIN" \
        --season 24 | sed -n 2p
    done
fi
rm -rf "$OUT"
