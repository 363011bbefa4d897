#!/usr/bin/env bash
# Cards and live-events benchmark: 10,000 cards across 20 repos, the latency of
# GET /api/repos/{id}/cards, and the fan-out of card.updated events to 200 WebSocket subscribers.
# The load is bench/CardsLoad; this script builds it and the host in Release, starts the host on a
# loopback port with a fresh data dir, runs the load and writes the report. See bench/README.md.
#
#   bench/cards-load.sh                                   # about 30 s on 2 cores
#   bench/cards-load.sh --patch-concurrency 4 --updates 2000
#   bench/cards-load.sh --repos 1 --cards-per-repo 10000 --list-concurrency 1,16 --subscribers 20 --updates 200
#                                                         # issue 13: pages of the 10,000-card repo at 16 clients
#
# Arguments go to CardsLoad as they are. The report goes to stdout and to bench/out/cards-load/report.md.
set -euo pipefail

LAZYAF_PORT=${LAZYAF_PORT:-18090}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/cards-load
HOST_BIN=$ROOT/src/LazyAf.Host/bin/Release/net10.0
LOAD_BIN=$ROOT/bench/CardsLoad/bin/Release/net10.0
HOST_PID=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

cleanup() {
  [[ -n $HOST_PID ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null
  return 0
}
trap cleanup EXIT

if curl -s -o /dev/null "http://127.0.0.1:$LAZYAF_PORT/"; then
  echo "port $LAZYAF_PORT is in use; set LAZYAF_PORT" >&2
  exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"

log "building the host and CardsLoad (Release)"
for project in src/LazyAf.Host bench/CardsLoad; do
  dotnet build -c Release "$ROOT/$project" -nologo -v q >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
done

# The real host, Release build, fresh data dir, started from its output folder like the git benchmark's. Its board
# folder is one of ours, where CardsLoad writes the static reference (a page's bytes as a file).
mkdir -p "$OUT/board"
echo '<!doctype html><title>LazyAF bench</title>' >"$OUT/board/index.html"
(cd "$HOST_BIN" && exec dotnet LazyAf.Host.dll --urls "http://127.0.0.1:$LAZYAF_PORT" --data-dir "$OUT/data" --Board:Path "$OUT/board") >"$OUT/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$LAZYAF_PORT/health" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$LAZYAF_PORT/health" >/dev/null || { echo "the host did not become healthy; see $OUT/host.log" >&2; exit 1; }
for _ in $(seq 100); do [[ -s $OUT/data/owner.token ]] && break; sleep 0.1; done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
dotnet "$LOAD_BIN/CardsLoad.dll" --server "http://127.0.0.1:$LAZYAF_PORT/" --pid "$HOST_PID" --board-dir "$OUT/board" --token "$(cat "$OUT/data/owner.token")" "$@" >"$OUT/load.md" || status=$?
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
kill -0 "$HOST_PID" 2>/dev/null || { echo "the host (pid $HOST_PID) exited during the run; see $OUT/host.log" >&2; exit 1; }
kill "$HOST_PID"; wait "$HOST_PID" || true; HOST_PID=

{
  echo "## Machine"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores; RAM: $(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- .NET SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/NETCore.App/ { v = $2 } END { print v }')"
  echo "- LazyAF commit $(git -C "$ROOT" rev-parse --short HEAD); CardsLoad arguments: ${*:-(defaults)}"
  echo "- Load average (1/5/15 min) before the run: $LOAD_BEFORE; after: $LOAD_AFTER"
  echo
  cat "$OUT/load.md"
} | tee "$OUT/report.md"
exit "$status"
