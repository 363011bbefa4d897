# Sourced by the bench scripts: the real host in Release on a loopback port with a fresh data dir.
#   NAME=my-bench PORT_DEFAULT=18100 . "$(dirname "$0")/host.sh"; start_host
# Sets ROOT, OUT (bench/out/NAME, emptied), API, TOKEN (the owner's), HOST_PID; `log` prints a timed line to stderr;
# `api METHOD PATH [curl args…]` calls the API as the owner. The host is stopped when the script exits.

PORT=${LAZYAF_PORT:-$PORT_DEFAULT}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/bench/out/$NAME
HOST_BIN=$ROOT/src/LazyAf.Host/bin/Release/net10.0
API=http://127.0.0.1:$PORT
HOST_PID=
TOKEN=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
stop_host() {
  if [[ -n $HOST_PID ]]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
  HOST_PID=
  return 0
}
trap stop_host EXIT

api() { local method=$1 path=$2; shift 2; curl -sf -X "$method" -H "Authorization: Bearer $TOKEN" "$@" "$API$path"; }

start_host() { # [extra host arguments…]
  curl -s -o /dev/null "$API/" && { echo "port $PORT is in use; set LAZYAF_PORT" >&2; exit 1; }
  rm -rf "$OUT"; mkdir -p "$OUT"
  log "building the host (Release)"
  dotnet build -c Release "$ROOT/src/LazyAf.Host" -nologo -v q >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
  (cd "$HOST_BIN" && exec dotnet LazyAf.Host.dll --urls "$API" --data-dir "$OUT/data" "$@") >"$OUT/host.log" 2>&1 &
  HOST_PID=$!
  for _ in $(seq 300); do curl -s -o /dev/null "$API/health" && [[ -s $OUT/data/owner.token ]] && break; sleep 0.1; done
  TOKEN=$(cat "$OUT/data/owner.token")
}
