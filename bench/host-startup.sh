#!/usr/bin/env bash
# Host start-up and idle memory (issue 13): a cold start of the host as scripts/up runs it (published ReadyToRun by
# scripts/publish-host, `dotnet artifacts/host/LazyAf.Host.dll`) on an existing data directory (a repo and 200 cards
# in it) → the first 200 from /health, then its resident set after IDLE seconds of nothing.
# The reference in the same run, published the same way and alternated with it: bench/StartupReference, an empty
# ASP.NET Core app with the host's GC settings — the floor any host on this runtime starts from.
#
#   bench/host-startup.sh                       # RUNS=10 IDLE=10
set -euo pipefail
RUNS=${RUNS:-10}
IDLE=${IDLE:-10}
NAME=host-startup PORT_DEFAULT=18102 . "$(dirname "$0")/host.sh"
. "$ROOT/scripts/lib/publish-when-stale.sh"

curl -s -o /dev/null "$API/" && { echo "port $PORT is in use; set LAZYAF_PORT" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
log "publishing the host as scripts/up does (when stale)"
HOST_DLL=$("$ROOT/scripts/publish-host")
log "publishing the reference the same way"
dotnet publish -c Release "$ROOT/bench/StartupReference" -r "$(this_rid)" --self-contained false -p:PublishReadyToRun=true \
  -o "$OUT/reference" -nologo -v q >"$OUT/reference-build.log" 2>&1 || { cat "$OUT/reference-build.log" >&2; exit 1; }

log "filling the data directory: a repo and 200 cards"
dotnet "$HOST_DLL" --urls "$API" --data-dir "$OUT/data" >"$OUT/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 300); do curl -s -o /dev/null "$API/health" && [[ -s $OUT/data/owner.token ]] && break; sleep 0.1; done
TOKEN=$(cat "$OUT/data/owner.token")
repo=$(api POST /api/repos -H 'content-type: application/json' -d '{"name":"startup"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for i in $(seq 200); do
  api POST "/api/repos/$repo/cards" -H 'content-type: application/json' -d "{\"title\":\"card $i\",\"step_type\":\"script\",\"step_config\":{\"command\":\"true\"}}" >/dev/null
done
stop_host

# One cold start: prints "<ms to the first 200 from /health> <VmRSS KiB after IDLE s> <VmHWM KiB>".
measure() { # dir dll [args…]
  local dir=$1 dll=$2; shift 2
  python3 - "$dir" "$dll" "$API" "$IDLE" "$@" <<'PY'
import http.client, os, subprocess, sys, time, urllib.parse
directory, dll, api, idle, *args = sys.argv[1:]
url = urllib.parse.urlparse(api)
started = time.monotonic()
process = subprocess.Popen(["dotnet", dll, "--urls", api, *args], cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while True:
        try:
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit(f"exited with {process.returncode} before /health answered")
        time.sleep(0.005)
    ready_ms = (time.monotonic() - started) * 1000
    time.sleep(float(idle))
    status = dict(line.split(":", 1) for line in open(f"/proc/{process.pid}/status"))
    kib = lambda key: int(status[key].split()[0])
    print(f"{ready_ms:.0f} {kib('VmRSS')} {kib('VmHWM')}")
finally:
    process.terminate()
    process.wait()
PY
}

: >"$OUT/host.txt"; : >"$OUT/reference.txt"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq "$RUNS"); do
  log "run $i/$RUNS"
  measure "$(dirname "$HOST_DLL")" LazyAf.Host.dll --data-dir "$OUT/data" >>"$OUT/host.txt"
  measure "$OUT/reference" StartupReference.dll >>"$OUT/reference.txt"
done

python3 - "$OUT" "$RUNS" "$IDLE" "$(git -C "$ROOT" rev-parse --short HEAD)" "$(lscpu | sed -n 's/^Model name: *//p')" "$load_before" <<'PY' | tee "$OUT/report.md"
import os, statistics, sys, time
out, runs, idle, commit, cpu, load_before = sys.argv[1:]
def rows(name):
    return [tuple(map(int, line.split())) for line in open(os.path.join(out, name)) if line.strip()]
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]
host, ref = rows("host.txt"), rows("reference.txt")
print(f"# Host start-up and idle memory, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
print(f"Commit {commit}; machine: {cpu}, {os.cpu_count()} cores; load average before {load_before}, after {' '.join(open('/proc/loadavg').read().split()[:3])}; {runs} cold starts each, alternated; RSS read after {idle} s idle.\n")
print("| what | n | p50 | p99 | min–max |")
print("|---|---|---|---|---|")
for label, data in (("host", host), ("reference (empty ASP.NET Core app)", ref)):
    ms = [r[0] for r in data]; rss = [r[1] / 1024 for r in data]; hwm = [r[2] / 1024 for r in data]
    print(f"| {label}: start → /health 200 (ms) | {len(ms)} | {pct(ms, 50)} | {pct(ms, 99)} | {min(ms)}–{max(ms)} |")
    print(f"| {label}: idle RSS (MiB) | {len(rss)} | {pct(rss, 50):.1f} | {pct(rss, 99):.1f} | {min(rss):.1f}–{max(rss):.1f} |")
    print(f"| {label}: peak RSS (MiB) | {len(hwm)} | {pct(hwm, 50):.1f} | {pct(hwm, 99):.1f} | {min(hwm):.1f}–{max(hwm):.1f} |")
print(f"\nRatio host / reference, p50 start-up: {statistics.median(r[0] for r in host) / statistics.median(r[0] for r in ref):.2f}×; "
      f"p50 idle RSS: {statistics.median(r[1] for r in host) / statistics.median(r[1] for r in ref):.2f}×")
PY
