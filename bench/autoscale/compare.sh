#!/bin/bash
# Runs the autoscale comparison of BENCHMARKS.md: hpa (target 0.7),
# predictive (with and without a calendar) and the perfect-foresight
# reference on one trace. Usage:
#   bench/autoscale/compare.sh TRACE.csv CAPACITY WARMUP [CALENDAR.csv]
# Prints one JSON summary per policy (see docs/autoscale.md).
set -euo pipefail
BIN=${BIN:-build/bin/storepilot}
trace=$1 capacity=$2 warmup=$3 calendar=${4:-}
out=$(mktemp -d)
common=(--trace "$trace" --capacity-per-pod "$capacity" --startup-minutes 10
        --min-replicas 1 --max-replicas 1000 --warmup-minutes "$warmup")
for policy in perfect hpa predictive; do
  "$BIN" autoscale simulate "${common[@]}" --policy "$policy" \
      --target-utilization 0.7 --out "$out/$policy.csv"
done
if [ -n "$calendar" ]; then
  "$BIN" autoscale simulate "${common[@]}" --policy predictive \
      --calendar "$calendar" --out "$out/predictive_calendar.csv"
fi
rm -rf "$out"
