#!/usr/bin/env bash
# Load test of the learner reads against a server on THIS machine, for a bounded time.
#
#   bench/run_load.sh                                   # 20 users, 60 s, http://127.0.0.1:8000
#   HOST=http://127.0.0.1:8001 USERS=20 DURATION=60s bench/run_load.sh
#
# Writes bench/results/load-<date>_{stats,failures,exceptions,stats_history}.csv and .log, and
# prints p50 / p95 per request kind. Exits non-zero when a request failed or the run could not start.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST="${HOST:-http://127.0.0.1:8000}"
USERS="${USERS:-20}"
SPAWN_RATE="${SPAWN_RATE:-5}"
DURATION="${DURATION:-60s}"
PYTHON=.venv/bin/python

# Only ever this machine: a load test aimed elsewhere is an attack, not a benchmark.
if ! [[ "$HOST" =~ ^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/?$ ]]; then
  echo "error: HOST must be http://127.0.0.1[:port] or http://localhost[:port], not $HOST" >&2
  exit 2
fi
# Bounded: seconds or minutes, at most 15 minutes.
if ! [[ "$DURATION" =~ ^([0-9]+)(s|m)?$ ]]; then
  echo "error: DURATION must look like 60s or 5m, not $DURATION" >&2
  exit 2
fi
seconds=${BASH_REMATCH[1]}
[ "${BASH_REMATCH[2]}" = "m" ] && seconds=$((seconds * 60))
if [ "$seconds" -lt 1 ] || [ "$seconds" -gt 900 ]; then
  echo "error: DURATION must be between 1 s and 15 min" >&2
  exit 2
fi
if ! [[ "$USERS" =~ ^[0-9]+$ && "$SPAWN_RATE" =~ ^[0-9]+$ ]]; then
  echo "error: USERS and SPAWN_RATE must be whole numbers" >&2
  exit 2
fi

"$PYTHON" - "$HOST" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1].rstrip("/") + "/healthz", timeout=10)
except OSError as error:
    sys.exit(f"error: no server answering at {sys.argv[1]} ({error}); start it first")
PY

mkdir -p bench/results
prefix="bench/results/load-$(date +%Y%m%d-%H%M%S)"
echo "Load: $USERS users (+$SPAWN_RATE/s) for ${seconds}s against $HOST -> ${prefix}_*.csv"
status=0
.venv/bin/locust -f "${LOCUSTFILE:-bench/locustfile.py}" --headless --host "$HOST" \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "${seconds}s" --stop-timeout 10 \
  --csv "$prefix" --csv-full-history --only-summary --loglevel WARNING >"$prefix.log" 2>&1 \
  || status=$?
if [ ! -s "${prefix}_stats.csv" ]; then
  cat "$prefix.log" >&2
  exit "$((status > 0 ? status : 1))"
fi

"$PYTHON" - "${prefix}_stats.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print("| Requests | Count | Failures | Req/s | p50 (ms) | p95 (ms) | max (ms) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for row in rows:
    name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
    print(
        f"| {name} | {row['Request Count']} | {row['Failure Count']} "
        f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
        f"| {float(row['Max Response Time']):.0f} |"
    )
PY
if [ "$status" -ne 0 ]; then
  echo "locust exited with $status: see ${prefix}_failures.csv and $prefix.log" >&2
fi
exit "$status"
