#!/usr/bin/env bash
# Execution benchmark: N trivial script cards through the whole path (card start → execution row →
# router → local executor → checkout, step, push → logs → state → card), with throughput and the
# scheduling latency (execution created → running, p50/p99); then one step printing 100 MB, for log
# throughput. The real host in Release on a loopback port with a fresh data dir. See bench/README.md.
#
#   bench/execution-load.sh            # N=500; a few minutes on 2 cores
#   N=100 LOG_MB=20 bench/execution-load.sh
set -euo pipefail

N=${N:-500}
LOG_MB=${LOG_MB:-100}
PORT=${LAZYAF_PORT:-18095}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/execution-load
HOST_BIN=$ROOT/src/LazyAf.Host/bin/Release/net10.0
API=http://127.0.0.1:$PORT
HOST_PID=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
cleanup() { [[ -n $HOST_PID ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null; return 0; }
trap cleanup EXIT

curl -s -o /dev/null "$API/" && { echo "port $PORT is in use; set LAZYAF_PORT" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
log "building the host (Release)"
dotnet build -c Release "$ROOT/src/LazyAf.Host" -nologo -v q >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
(cd "$HOST_BIN" && exec dotnet LazyAf.Host.dll --urls "$API" --data-dir "$OUT/data") >"$OUT/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 100); do curl -sf "$API/health" >/dev/null && break; sleep 0.1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
repo=$(curl -sf -X POST "$API/api/repos" -H 'content-type: application/json' -d '{"name":"bench"}' | json "['id']")
git -c init.defaultBranch=main init -q "$OUT/src" && (cd "$OUT/src" && echo hi > README.md && git add . &&
  git -c user.name=b -c user.email=b@b commit -qm init && git push -q "$API/git/$repo.git" main)

log "creating $N script cards"
for i in $(seq "$N"); do
  curl -sf -X POST "$API/api/repos/$repo/cards" -H 'content-type: application/json' \
    -d "{\"title\":\"step $i\",\"step_type\":\"script\",\"step_config\":{\"command\":\"echo step $i\"}}" | json "['id']"
done >"$OUT/cards.txt"

log "starting them all"
START=$(date +%s.%N)
while read -r card; do curl -sf -X POST "$API/api/cards/$card/start" -o /dev/null -D - | awk '/^[Ll]ocation:/ { print $2 }' | tr -d '\r'; done <"$OUT/cards.txt" >"$OUT/executions.txt"
log "waiting for every card to settle"
while :; do
  left=$(curl -sf "$API/api/repos/$repo/cards?status=in_progress" | json ".__len__()")
  [[ $left == 0 ]] && break
  sleep 0.5
done
END=$(date +%s.%N)
VMHWM=$(awk '/VmHWM/ { print $2 }' "/proc/$HOST_PID/status")

while read -r path; do curl -sf "$API$path"; echo; done <"$OUT/executions.txt" >"$OUT/executions.ndjson"

log "20 steps one at a time (an idle executor)"
for i in $(seq 20); do
  card=$(curl -sf -X POST "$API/api/repos/$repo/cards" -H 'content-type: application/json' \
    -d "{\"title\":\"idle $i\",\"step_type\":\"script\",\"step_config\":{\"command\":\"true\"}}" | json "['id']")
  path=$(curl -sf -X POST "$API/api/cards/$card/start" -o /dev/null -D - | awk '/^[Ll]ocation:/ { print $2 }' | tr -d '\r')
  until [[ $(curl -sf "$API$path" | json "['state']") =~ ^(succeeded|failed)$ ]]; do sleep 0.05; done
  curl -sf "$API$path"; echo
done >"$OUT/idle.ndjson"

log "one step printing $LOG_MB MB"
big=$(curl -sf -X POST "$API/api/repos/$repo/cards" -H 'content-type: application/json' \
  -d "{\"title\":\"loud\",\"step_type\":\"script\",\"step_config\":{\"command\":\"head -c $((LOG_MB * 1000000)) /dev/zero | tr '\\\\0' 'a'\"}}" | json "['id']")
LOUD_START=$(date +%s.%N)
loud=$(curl -sf -X POST "$API/api/cards/$big/start" -o /dev/null -D - | awk '/^[Ll]ocation:/ { print $2 }' | tr -d '\r')
until [[ $(curl -sf "$API$loud" | json "['state']") =~ ^(succeeded|failed)$ ]]; do sleep 0.2; done
LOUD_END=$(date +%s.%N)
LOUD_STATE=$(curl -sf "$API$loud" | json "['state']")

python3 - "$OUT/executions.ndjson" "$START" "$END" "$LOUD_START" "$LOUD_END" "$LOG_MB" "$LOUD_STATE" "$VMHWM" "$OUT/idle.ndjson" <<'PY' | tee "$OUT/report.md"
import json, sys, datetime
path, start, end, ls, le, mb, loud_state, hwm, idle_path = sys.argv[1:]
rows = [json.loads(l) for l in open(path) if l.strip()]
idle_rows = [json.loads(l) for l in open(idle_path) if l.strip()]
def t(s): return datetime.datetime.fromisoformat(s)
lat = sorted((t(r["started_at"]) - t(r["created_at"])).total_seconds() * 1000 for r in rows if r.get("started_at"))
run = sorted((t(r["finished_at"]) - t(r["started_at"])).total_seconds() * 1000 for r in rows if r.get("finished_at") and r.get("started_at"))
def pct(xs, p): return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
wall = float(end) - float(start)
ok = sum(1 for r in rows if r["state"] == "succeeded")
print(f"| what | figure |\n|---|---|")
print(f"| executions | {len(rows)} ({ok} succeeded) |")
print(f"| wall time, first start → last card settled | {wall:.1f} s |")
print(f"| throughput | {len(rows) / wall:.1f} steps/s |")
print(f"| scheduling latency in the burst, created → running (includes queueing behind {len(rows)} steps) | p50 {pct(lat,50):.0f} ms, p99 {pct(lat,99):.0f} ms, max {lat[-1]:.0f} ms |")
idle = sorted((t(r["started_at"]) - t(r["created_at"])).total_seconds() * 1000 for r in idle_rows if r.get("started_at"))
print(f"| scheduling latency with an idle executor ({len(idle)} steps one at a time) | p50 {pct(idle,50):.0f} ms, p99 {pct(idle,99):.0f} ms, max {idle[-1]:.0f} ms |")
print(f"| one step's run (checkout, step, push) | p50 {pct(run,50):.0f} ms, p99 {pct(run,99):.0f} ms |")
loud = float(le) - float(ls)
print(f"| one step printing {mb} MB ({loud_state}) | {loud:.1f} s, {float(mb) / loud:.1f} MB/s through runner → store |")
print(f"| host peak RSS (VmHWM) after the {len(rows)} steps | {int(hwm) / 1024:.0f} MiB |")
PY
