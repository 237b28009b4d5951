#!/usr/bin/env bash
# The accuracy comparison of the README ("Forecast accuracy on every data set"): for each data
# set, `forecast backtest` (every model, auto included) and the Python reference models of
# ../shared/anchors (bench/reference_backtest.py) on the same file and cutoffs, in one run;
# then bench/accuracy_report.py writes one table per data set into $OUT/accuracy.md.
#
#   bash bench/accuracy.sh [DATASETS]        DATASETS: any of cdnow default low-repeat seasonal subscription-like
#
# Environment: FORECAST (the binary, default .build/release/forecast), OUT (default
# data/accuracy), CUSTOMERS per generated shop (default 5000), SEED (default 42), ANCHORS
# (default ../shared/anchors), PYTHON (a python with the anchors' requirements; default
# .venv-anchors/bin/python, created when missing). Generated shops are --clean: the
# reference reads every row as it is, without the toolkit's quality rules.
set -euo pipefail
cd "$(dirname "$0")/.."
FORECAST=${FORECAST:-.build/release/forecast}
OUT=${OUT:-data/accuracy}
CUSTOMERS=${CUSTOMERS:-5000}
SEED=${SEED:-42}
ANCHORS=${ANCHORS:-../shared/anchors}
PYTHON=${PYTHON:-.venv-anchors/bin/python}
DATASETS=${*:-cdnow default low-repeat seasonal subscription-like}

if [ ! -x "$PYTHON" ]; then
  python3 -m venv .venv-anchors
  .venv-anchors/bin/pip install -q -r "$ANCHORS/requirements.txt"
  PYTHON=.venv-anchors/bin/python
fi
mkdir -p "$OUT"
for set in $DATASETS; do
  dir="$OUT/$set"
  mkdir -p "$dir"
  if [ "$set" = cdnow ]; then
    data="$ANCHORS/../datasets/cdnow/CDNOW_master.txt"; layout=(--layout cdnow); cutoffs=1997-10-01..1998-06-01
    reference_layout=(--layout cdnow)
  else
    "$FORECAST" generate --out "$dir/shop" --customers "$CUSTOMERS" --seed "$SEED" --profile "$set" --clean --quiet
    data="$dir/shop/transactions.csv"; layout=(--layout transactions); cutoffs=2019-07-01..2019-12-01
    reference_layout=()
    if head -1 "$data" | grep -q ',status'; then layout+=(--status-col status); fi
  fi
  echo "== $set: forecast backtest ($cutoffs)"
  start=$(date +%s)
  "$FORECAST" backtest --data "$data" "${layout[@]}" --cutoffs "$cutoffs" --format csv --out "$dir/ours.csv" > /dev/null || [ $? -eq 2 ]
  echo "   $(( $(date +%s) - start )) s"
  echo "== $set: Python reference"
  start=$(date +%s)
  "$PYTHON" bench/reference_backtest.py --data "$data" "${reference_layout[@]}" --cutoffs "$cutoffs" --out "$dir/reference" \
    --label "$set" --anchors "$ANCHORS" > "$dir/reference.log"
  echo "   $(( $(date +%s) - start )) s"
done
"$PYTHON" bench/accuracy_report.py --out "$OUT/accuracy.md" $(for set in $DATASETS; do echo "$set=$OUT/$set"; done)
echo "wrote $OUT/accuracy.md"
