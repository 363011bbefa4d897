#!/usr/bin/env bash
# Time to first request of the lazyaf CLI: from starting the command to a loopback server receiving its first HTTP
# request, for scripts/lazyaf (the published binary, reused), the binary itself, and curl as the reference.
# Usage: bench/cli-startup.sh [RUNS]   (default 50). Prints p50 and p99 in milliseconds per client.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
runs="${1:-50}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# Publishes artifacts/cli when it is missing or stale, so the runs below measure starting, not building.
"$root/scripts/lazyaf" --help >/dev/null

# A server that writes the time each request arrives (ns since the epoch) to arrivals and answers an empty list.
python3 - "$work" <<'PY' &
import http.server, sys, time, os
work = sys.argv[1]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(os.path.join(work, "arrivals"), "a") as f:
            f.write(f"{time.time_ns()}\n")
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(work, "port"), "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
PY
server=$!
while [[ ! -s "$work/port" ]]; do sleep 0.05; done
url="http://127.0.0.1:$(cat "$work/port")"
export LAZYAF_SERVER="$url" LAZYAF_TOKEN=bench

measure() { # NAME COMMAND…: runs it RUNS times, prints p50/p99 of start → first request
  local name="$1" i start arrived
  shift
  : >"$work/samples"
  for ((i = 0; i < runs; i++)); do
    : >"$work/arrivals"
    start=$(date +%s%N)
    "$@" >/dev/null
    arrived=$(head -n 1 "$work/arrivals")
    echo $(((arrived - start) / 1000)) >>"$work/samples"
  done
  sort -n "$work/samples" | awk -v name="$name" '{ v[NR] = $1 } END {
    p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1];
    printf "%-24s n=%d  p50 %7.1f ms  p99 %7.1f ms\n", name, NR, p50 / 1000, p99 / 1000 }'
}

echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "binary:  $(file -b "$root/artifacts/cli/lazyaf" | cut -d, -f1-2)"
measure "curl" curl -s "$url/api/repos"
measure "artifacts/cli/lazyaf" "$root/artifacts/cli/lazyaf" repos
measure "scripts/lazyaf" "$root/scripts/lazyaf" repos
