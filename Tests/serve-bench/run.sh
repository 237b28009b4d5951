#!/usr/bin/env bash
# The serving benchmark (make serve-bench): `forecast serve` on loopback with the default model
# and data, loaded by wrk. Prints requests per second and p50/p99 latency per case as a
# Markdown table. Needs the default data (make demo) and wrk (Debian's package).
set -euo pipefail
cd "$(dirname "$0")/../.."
FORECAST=${FORECAST:-.build/release/forecast}
DATA=${DATA:-data}
PORT=${PORT:-18765}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

$FORECAST features --data $DATA/shop/transactions.csv --layout transactions --cutoff 2020-01-01 --out "$WORK/features.csv" >/dev/null
python3 Tests/serve-bench/make_bodies.py $DATA/shop/transactions.csv "$WORK/features.csv" "$WORK"
$FORECAST serve --store models --port $PORT --data $DATA/shop/transactions.csv --layout transactions 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done

echo "wrk -d$DURATION on 127.0.0.1 ($(nproc) cores shared by wrk and the server), request logging on"
echo
echo "| case | connections | requests/s | customers/s | p50 | p99 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
run() {  # name, customers per request, connections, wrk arguments...
  local name=$1 per=$2 connections=$3; shift 3
  local out
  out=$(wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"$DURATION" --latency "$@" "http://127.0.0.1:$PORT")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "$name: errors: $(grep Non-2xx <<<"$out")" >&2; exit 1; fi
  printf '| %s | %s | %.0f | %.0f | %s | %s |\n' "$name" "$connections" "$rps" "$(awk -v r="$rps" -v n="$per" 'BEGIN {print r * n}')" "$p50" "$p99"
}
IDS="$WORK/customer-ids.txt" run "GET /customers/{id}/forecast (1 customer, data set)" 1 "$CONNECTIONS" -s Tests/serve-bench/customers.lua
BODY="$WORK/history-1.json" run "POST /predict, 1 history" 1 "$CONNECTIONS" -s Tests/serve-bench/post.lua
BODY="$WORK/history-1.json" run "POST /predict, 1 history" 1 1 -s Tests/serve-bench/post.lua
BODY="$WORK/history-1000.json" run "POST /predict, 1,000 histories" 1000 "$CONNECTIONS" -s Tests/serve-bench/post.lua
BODY="$WORK/history-1000.json" run "POST /predict, 1,000 histories" 1000 1 -s Tests/serve-bench/post.lua
BODY="$WORK/rows-1000.json" run "POST /predict, 1,000 feature rows" 1000 "$CONNECTIONS" -s Tests/serve-bench/post.lua
BODY="$WORK/rows-1000.json" run "POST /predict, 1,000 feature rows" 1000 1 -s Tests/serve-bench/post.lua
echo
echo "body sizes: 1 history $(wc -c <"$WORK/history-1.json") B, 1,000 histories $(wc -c <"$WORK/history-1000.json") B, 1,000 rows $(wc -c <"$WORK/rows-1000.json") B"
kill -TERM $SERVER; wait $SERVER
echo "server stopped on SIGTERM (exit $?); $(grep -c '"message":"request"' "$WORK/serve.log") requests logged"
