#!/usr/bin/env bash
# Dispatch latency, side by side in one run: execution created → running (its started_at), N script cards one at a
# time, first on the in-process local executor (no runner connected), then on a connected native agent (the cards
# require its label, so they are pushed on its gRPC stream; "running" is the moment the host saved its ack). The real
# host in Release on loopback ports with a fresh data dir; the agent is the published AOT binary (AGENT=jit: the JIT build).
#
#   bench/runner-dispatch.sh           # N=100
#   N=30 bench/runner-dispatch.sh
#   TRACE=1 N=30 bench/runner-dispatch.sh   # also where each remote dispatch's time goes (perf syscall tracepoints)
set -euo pipefail

N=${N:-100}
PORT=${LAZYAF_PORT:-18097}
RPORT=${LAZYAF_RUNNER_PORT:-18098}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/runner-dispatch
HOST_BIN=$ROOT/src/LazyAf.Host/bin/Release/net10.0
AGENT_BIN=$ROOT/src/LazyAf.NativeAgent/bin/Release/net10.0
# The native agent as it is deployed (the AOT binary, published when missing); AGENT=jit runs the JIT build instead.
if [[ ${AGENT:-aot} == jit ]]; then AGENT=(dotnet "$AGENT_BIN/lazyaf-native-agent.dll"); else AGENT=("$ROOT/artifacts/native-agent/linux-x64/lazyaf-native-agent"); fi
API=http://127.0.0.1:$PORT
HOST_PID=
AGENT_PID=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
# Under set -e a failing wait (a killed process's status) would end the trap before the host is stopped.
cleanup() {
  if [[ -n $AGENT_PID ]]; then kill -9 "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" 2>/dev/null || true; fi
  if [[ -n $HOST_PID ]]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
  return 0
}
trap cleanup EXIT

curl -s -o /dev/null "$API/" && { echo "port $PORT is in use; set LAZYAF_PORT" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
log "building the host and the native agent (Release)"
for project in src/LazyAf.Host src/LazyAf.NativeAgent; do
  dotnet build -c Release "$ROOT/$project" -nologo -v q >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
done
[[ ${AGENT[0]} == dotnet ]] || "$ROOT/scripts/publish-native-agent" linux-x64 >>"$OUT/build.log" 2>&1
(cd "$HOST_BIN" && exec dotnet LazyAf.Host.dll --urls "$API" --data-dir "$OUT/data" --Runners:Url "http://127.0.0.1:$RPORT") >"$OUT/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 300); do curl -s -o /dev/null "$API/health" && [[ -s $OUT/data/owner.token ]] && break; sleep 0.1; done
TOKEN=$(cat "$OUT/data/owner.token")
AUTH=(-H "Authorization: Bearer $TOKEN")

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
repo=$(curl -sf "${AUTH[@]}" -X POST "$API/api/repos" -H 'content-type: application/json' -d '{"name":"bench"}' | json "['id']")
git -c init.defaultBranch=main init -q "$OUT/src" && (cd "$OUT/src" && echo hi > README.md && git add . &&
  git -c user.name=b -c user.email=b@b commit -qm init &&
  git -c http.extraHeader="Authorization: Bearer $TOKEN" push -q "$API/git/$repo.git" main)

# One card at a time, each waited for: the executor is idle when the next is created.
one_at_a_time() { # $1: requires (JSON list), $2: output file
  for i in $(seq "$N"); do
    card=$(curl -sf "${AUTH[@]}" -X POST "$API/api/repos/$repo/cards" -H 'content-type: application/json' \
      -d "{\"title\":\"dispatch $i\",\"step_type\":\"script\",\"step_config\":{\"command\":\"true\"},\"requires\":$1}" | json "['id']")
    path=$(curl -sf "${AUTH[@]}" -X POST "$API/api/cards/$card/start" -o /dev/null -D - | awk '/^[Ll]ocation:/ { print $2 }' | tr -d '\r')
    # The log follow returns once the step has ended: no poller (a python start per poll) competes for the CPU
    # while the step is being dispatched.
    curl -sf -N "${AUTH[@]}" "$API$path/logs?follow=true" -o /dev/null
    curl -sf "${AUTH[@]}" "$API$path"; echo
  done >"$2"
}

log "$N steps on the in-process executor"
one_at_a_time '[]' "$OUT/local.ndjson"

log "starting a native agent"
reg=$(curl -sf "${AUTH[@]}" -X POST "$API/api/runners/tokens" -H 'content-type: application/json' -d '{"description":"bench"}' | json "['token']")
"${AGENT[@]}" --server "http://127.0.0.1:$RPORT" --token "$reg" --labels pool=bench \
  --name bench-agent --state-dir "$OUT/agent" >"$OUT/agent.log" 2>&1 &
AGENT_PID=$!
until curl -sf "${AUTH[@]}" "$API/api/runners" | python3 -c "import json,sys; sys.exit(0 if any(r['connected'] for r in json.load(sys.stdin)) else 1)"; do sleep 0.1; done

log "$N steps on the connected runner"
if [[ -n ${TRACE:-} ]]; then
  # Socket syscalls of both processes on CLOCK_MONOTONIC, and that clock's offset to the wall clock the host stamps with.
  perf record -q -k mono -e syscalls:sys_enter_sendto,syscalls:sys_exit_recvfrom -p "$HOST_PID,$AGENT_PID" -o "$OUT/perf.data" 2>>"$OUT/build.log" &
  PERF_PID=$!
  sleep 1
fi
one_at_a_time '["pool=bench"]' "$OUT/remote.ndjson"
if [[ -n ${TRACE:-} ]]; then
  python3 -c "import time; print(time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_MONOTONIC))" >"$OUT/clock-offset"
  kill -INT "$PERF_PID"; wait "$PERF_PID" || true
fi
RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$HOST_PID/status")

python3 - "$OUT/local.ndjson" "$OUT/remote.ndjson" "$RSS" <<'PY' | tee "$OUT/report.md"
import json, sys, datetime
def t(s): return datetime.datetime.fromisoformat(s)
def stats(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    ok = [r for r in rows if r['state'] == 'succeeded']
    lat = sorted((t(r['started_at']) - t(r['created_at'])).total_seconds() * 1000 for r in ok)
    run = sorted((t(r['finished_at']) - t(r['started_at'])).total_seconds() * 1000 for r in ok)
    pick = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]
    return len(rows), len(ok), {r['runner'] for r in ok}, pick(lat, .5), pick(lat, .99), pick(run, .5), pick(run, .99)
print("| executor | executions (succeeded) | ran on | dispatch created → running p50 | p99 | step run p50 | p99 |")
print("|---|---|---|---|---|---|---|")
for name, path in (("in-process local", sys.argv[1]), ("native agent over gRPC", sys.argv[2])):
    n, ok, runners, p50, p99, r50, r99 = stats(path)
    print(f"| {name} | {n} ({ok}) | {', '.join(sorted(x[:8] for x in runners))} | {p50:.1f} ms | {p99:.1f} ms | {r50:.0f} ms | {r99:.0f} ms |")
print(f"\nhost peak RSS (VmHWM): {int(sys.argv[3]) // 1024} MiB")
PY
if [[ -n ${TRACE:-} ]]; then
  perf script -i "$OUT/perf.data" -F comm,pid,tid,time,event,trace 2>/dev/null >"$OUT/perf.txt"
  echo | tee -a "$OUT/report.md"
  python3 "$ROOT/bench/dispatch-hops.py" "$OUT/remote.ndjson" "$OUT/perf.txt" "$OUT/clock-offset" "$HOST_PID" "$AGENT_PID" | tee -a "$OUT/report.md"
fi
