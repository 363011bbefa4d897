#!/usr/bin/env bash
# Runner benchmarks beside their references, each in the same run (see RESULTS.md, "Remote runners"):
#   1. log latency, step print → /ws and → a follow client (logs?follow=true, NDJSON), on the in-process executor
#      (reference), the Docker agent and the native agent;
#   2. the native agent's footprint (size, start-up, start → connected, idle RSS): the AOT binaries for linux-x64 and
#      linux-arm64 (under qemu-aarch64-static) beside the JIT build of the same agent;
#   3. 1,000 simulated runners holding streams with heartbeats on a fresh host, beside the same host idle.
# The real host in Release from its output folder with a fresh data dir, on loopback; the load is bench/RunnerLoad.
#
#   bench/runner-load.sh                     # about 4 minutes on 2 cores
#   LINES=500 RUNNERS=200 HOLD=20 bench/runner-load.sh
set -euo pipefail

LINES=${LINES:-2000}
RUNNERS=${RUNNERS:-1000}
HOLD=${HOLD:-60}
PORT=${LAZYAF_PORT:-18101}
RPORT=${LAZYAF_RUNNER_PORT:-18102}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/runner-load
HOST_BIN=$ROOT/src/LazyAf.Host/bin/Release/net10.0
LOAD=(dotnet "$ROOT/bench/RunnerLoad/bin/Release/net10.0/RunnerLoad.dll")
NATIVE_JIT=(dotnet "$ROOT/src/LazyAf.NativeAgent/bin/Release/net10.0/lazyaf-native-agent.dll")
DOCKER_JIT=(dotnet "$ROOT/src/LazyAf.RunnerAgent/bin/Release/net10.0/lazyaf-runner.dll")
X64=$ROOT/artifacts/native-agent/linux-x64/lazyaf-native-agent
ARM64=$ROOT/artifacts/native-agent/linux-arm64/lazyaf-native-agent
API=http://127.0.0.1:$PORT
RUNNER_URL=http://127.0.0.1:$RPORT
HOST_PID=
AGENT_PIDS=()

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
stop_agents() {
  for pid in "${AGENT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  AGENT_PIDS=()
}
stop_host() {
  if [[ -n $HOST_PID ]]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
  HOST_PID=
}
cleanup() { stop_agents; stop_host; return 0; }
trap cleanup EXIT

start_host() { # $1: data dir name; then extra host arguments
  local data=$OUT/$1; shift
  (cd "$HOST_BIN" && exec dotnet LazyAf.Host.dll --urls "$API" --data-dir "$data" --Runners:Url "$RUNNER_URL" "$@") >"$data.log" 2>&1 &
  HOST_PID=$!
  for _ in $(seq 300); do curl -s -o /dev/null "$API/health" && [[ -s $data/owner.token ]] && break; sleep 0.1; done
  TOKEN=$(cat "$data/owner.token")
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
registration() { curl -sf -H "Authorization: Bearer $TOKEN" -X POST "$API/api/runners/tokens" -H 'content-type: application/json' -d '{"description":"bench"}' | json "['token']"; }
wait_connected() { # $1: name
  until curl -sf -H "Authorization: Bearer $TOKEN" "$API/api/runners" | python3 -c "import json,sys; sys.exit(0 if any(r['connected'] and r['name']=='$1' for r in json.load(sys.stdin)) else 1)"; do sleep 0.1; done
}

curl -s -o /dev/null "$API/" && { echo "port $PORT is in use; set LAZYAF_PORT" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
log "building the host, both agents and RunnerLoad (Release); publishing the native agent for x64 and arm64"
for project in src/LazyAf.Host src/LazyAf.NativeAgent src/LazyAf.RunnerAgent bench/RunnerLoad; do
  dotnet build -c Release "$ROOT/$project" -nologo -v q >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
done
"$ROOT/scripts/publish-native-agent" linux-x64 >>"$OUT/build.log" 2>&1
"$ROOT/scripts/publish-native-agent" linux-arm64 >>"$OUT/build.log" 2>&1
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
BUSY_BEFORE=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)
STARTED=$(date +%s)

log "host for the log and footprint runs"
start_host data --Execution:LocalLabels:0 where=host
repo=$(curl -sf -H "Authorization: Bearer $TOKEN" -X POST "$API/api/repos" -H 'content-type: application/json' -d '{"name":"bench"}' | json "['id']")
git -c init.defaultBranch=main init -q "$OUT/src" && (cd "$OUT/src" && echo hi > README.md && git add . &&
  git -c user.name=b -c user.email=b@b commit -qm init &&
  git -c http.extraHeader="Authorization: Bearer $TOKEN" push -q "$API/git/$repo.git" main)
"${DOCKER_JIT[@]}" --server "$RUNNER_URL" --token "$(registration)" --labels pool=docker --name bench-docker --state-dir "$OUT/docker-agent" >"$OUT/docker-agent.log" 2>&1 &
AGENT_PIDS+=($!)
"$X64" --server "$RUNNER_URL" --token "$(registration)" --labels pool=native --name bench-native --state-dir "$OUT/native-agent" >"$OUT/native-agent.log" 2>&1 &
AGENT_PIDS+=($!)
wait_connected bench-docker
wait_connected bench-native

status=0
{
  echo "### Log latency, step print → /ws and → a follow client ($LINES lines, one every 5 ms)"
  echo
  echo "| executor, client | state | lines printed | lines received | missing / duplicate / out of order | p50 (ms) | p99 (ms) | max (ms) |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$OUT/logs.md"
for run in "in-process executor (reference)|where=host" "Docker agent (lazyaf-runner, JIT)|pool=docker" "native agent (AOT, linux-x64)|pool=native"; do
  log "log latency: ${run%%|*}"
  "${LOAD[@]}" logs --api "$API" --token "$TOKEN" --repo "$repo" --requires "${run##*|}" --lines "$LINES" --name "${run%%|*}" >>"$OUT/logs.md" || status=1
done
stop_agents

{
  echo "### The native agent's footprint"
  echo
  echo "| build | size | start-up: exec → exit (usage) p50 | exec → connected p50 | idle RSS (connected, 10 s) | peak RSS |"
  echo "|---|---|---|---|---|---|"
} >"$OUT/footprint.md"
log "footprint: linux-x64 AOT"
"${LOAD[@]}" footprint --api "$API" --token "$TOKEN" --runner-url "$RUNNER_URL" --name "AOT linux-x64" --size "$X64" -- "$X64" >>"$OUT/footprint.md"
log "footprint: linux-arm64 AOT under qemu"
"${LOAD[@]}" footprint --api "$API" --token "$TOKEN" --runner-url "$RUNNER_URL" --name "AOT linux-arm64 (qemu-aarch64-static)" --size "$ARM64" -- \
  qemu-aarch64-static -L /usr/aarch64-linux-gnu "$ARM64" >>"$OUT/footprint.md"
log "footprint: the JIT build (reference)"
RUNTIME=$(dirname "$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v=$2; p=$3 } END { gsub(/[\[\]]/, "", p); print p "/" v "/x" }')")
"${LOAD[@]}" footprint --api "$API" --token "$TOKEN" --runner-url "$RUNNER_URL" --name "JIT build, dotnet lazyaf-native-agent.dll (reference; size: app + shared runtime)" \
  --size "$ROOT/src/LazyAf.NativeAgent/bin/Release/net10.0,$RUNTIME" -- "${NATIVE_JIT[@]}" >>"$OUT/footprint.md"
stop_host

log "a fresh host for $RUNNERS simulated runners"
start_host fleet-data
{
  echo "### $RUNNERS simulated runners holding streams"
  echo
} >"$OUT/fleet.md"
"${LOAD[@]}" fleet --api "$API" --token "$TOKEN" --runner-url "$RUNNER_URL" --pid "$HOST_PID" --runners "$RUNNERS" --hold "$HOLD" >>"$OUT/fleet.md" || status=1
stop_host

BUSY_AFTER=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)
{
  echo "## Machine"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); $(free -g | awk '/Mem:/ { print $2 }') GiB"
  echo "- $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); .NET SDK $(dotnet --version); LazyAF commit $(git -C "$ROOT" rev-parse --short HEAD)"
  echo "- Load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg); machine busy $(( (BUSY_AFTER - BUSY_BEFORE) / 100 )) CPU s in $(( $(date +%s) - STARTED )) s of wall time"
  echo
  cat "$OUT/logs.md"; echo; cat "$OUT/footprint.md"; echo; cat "$OUT/fleet.md"
} | tee "$OUT/report.md"
exit $status
