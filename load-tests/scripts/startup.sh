#!/usr/bin/env bash
# Cold start of `./kaskade up` to its "Kaskade ready" line: a new JVM and an empty data dir each
# run. Usage: load-tests/scripts/startup.sh [RUNS]   (run from the repository root)
set -euo pipefail
runs="${1:-5}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./kaskade version >/dev/null   # builds the jar if needed; not part of the measurement
times=()
for i in $(seq 1 "$runs"); do
  dir="$(mktemp -d)"
  log="$dir/up.log"
  start=$(date +%s%N)
  ./kaskade up --data-dir "$dir/data" --http-port 0 --grpc-port 0 --kafka-port 0 --registry-port 0 >"$log" 2>&1 &
  pid=$!
  until grep -q "Kaskade ready" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "kaskade up exited:"; cat "$log"; exit 1; fi
    sleep 0.05
  done
  ready=$(date +%s%N)
  kill -TERM "$pid"
  stop_start=$(date +%s%N)
  wait "$pid" || true
  stopped=$(date +%s%N)
  t=$(( (ready - start) / 1000000 ))
  s=$(( (stopped - stop_start) / 1000000 ))
  times+=("$t")
  echo "run $i: ready after ${t} ms, stopped ${s} ms after SIGTERM"
  rm -rf "$dir"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "cold start to 'Kaskade ready' over $runs runs (ms): min $(echo "$sorted" | head -1), median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p"), max $(echo "$sorted" | tail -1)"
