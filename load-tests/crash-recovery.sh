#!/usr/bin/env bash
# Crash recovery of the product as users run it: `./kaskade up` (default settings) under V2 REST
# load from separate processes (curl), `kill -9`, then `./kaskade up` again on the same data dir.
# Prints the cold start, a clean restart, and the restart after kill -9 (seconds to the
# `Kaskade ready` line), `N` times. (SIGTERM stops it cleanly, as Ctrl-C does; a background job ignores SIGINT.) Usage: load-tests/crash-recovery.sh [RUNS] (default 3).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
port=18080
grpc=18081
kport=19092
rport=18085
body='{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[6.8,2.8,4.8,1.4]}]}'

start_up() { # $1 data dir, $2 log; sets $elapsed (seconds to ready) and $up_pid
  local t0 t1
  t0=$(date +%s.%N)
  "$root/kaskade" up --data-dir "$1" --http-port $port --grpc-port $grpc --kafka-port $kport \
    --registry-port $rport >"$2" 2>&1 &
  up_pid=$!
  until grep -q 'Kaskade ready' "$2"; do
    kill -0 "$up_pid" 2>/dev/null || { echo "kaskade up exited: $(tail -5 "$2")" >&2; exit 1; }
    sleep 0.1
  done
  t1=$(date +%s.%N)
  elapsed=$(awk "BEGIN{printf \"%.1f\", $t1 - $t0}")
}

load() { # 4 closed-loop curl clients until killed; their pids in $load_pids
  load_pids=()
  for _ in 1 2 3 4; do
    (while true; do
      curl -s -o /dev/null -m 5 "localhost:$port/v2/models/iris/infer" -d "$body" || true
    done) &
    load_pids+=($!)
  done
}

trap 'kill -9 ${up_pid:-} ${load_pids[@]:-} 2>/dev/null || true' EXIT
"$root/kaskade" version >/dev/null # build once, outside the timings
for run in $(seq 1 "$runs"); do
  dir=$(mktemp -d /tmp/kaskade-crash-XXXX)
  start_up "$dir/data" "$dir/up1.log"; cold=$elapsed
  kill -TERM "$up_pid"; wait "$up_pid" || true
  start_up "$dir/data" "$dir/up2.log"; clean=$elapsed
  load
  sleep 10
  kill -9 "$up_pid"; wait "$up_pid" 2>/dev/null || true
  # the clients stop with it: while nothing listens they would spin on refused connections
  kill "${load_pids[@]}" 2>/dev/null || true
  wait "${load_pids[@]}" 2>/dev/null || true
  start_up "$dir/data" "$dir/up3.log"; crash=$elapsed
  ok=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/v2/models/iris/infer" -d "$body")
  kill -TERM "$up_pid"; wait "$up_pid" || true
  echo "run $run: cold start ${cold}s, clean restart ${clean}s, restart after kill -9 under load ${crash}s, first call after it: HTTP $ok"
  rm -rf "$dir"
done
