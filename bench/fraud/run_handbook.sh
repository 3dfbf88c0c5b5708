#!/usr/bin/env bash
# Runs `storepilot fraud predict` on one handbook-protocol period and evaluates
# it: 7 training days from TRAIN_START, a 7-day delay, 7 test days.
#   bench/fraud/run_handbook.sh TRAIN_START [extra predict flags...]
# Env: BUILD (default build), DATA (default ../shared/data/fraud/handbook-sim).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data/fraud/handbook-sim}
start=$1
shift
day() { date -u -d "$start + $1 days" +%F; }
out=$(mktemp /tmp/fraud_scores.XXXXXX.csv)
nice -n 10 "$BUILD/bin/storepilot" fraud predict --transactions "$DATA" \
  --train-start "$start" --train-end "$(day 6)" \
  --test-start "$(day 14)" --test-end "$(day 20)" --delay-days 7 --out "$out" "$@"
nice -n 10 "$BUILD/bin/fraud_handbook_eval" --transactions "$DATA" --scores "$out" \
  --train-start "$start" --test-start "$(day 14)" --test-end "$(day 20)" --delay-days 7
rm -f "$out"
