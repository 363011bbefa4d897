#!/usr/bin/env bash
# Host start-up and idle memory (issue 13): a cold `dotnet LazyAf.Host.dll` on an existing data directory (a repo and
# 200 cards in it) → the first 200 from /health, then its resident set after IDLE seconds of nothing.
# The reference in the same run, started the same way and alternated with it: bench/StartupReference, an empty
# ASP.NET Core app with the host's GC settings — the floor any host on this runtime starts from.
#
#   bench/host-startup.sh                       # RUNS=10 IDLE=10
set -euo pipefail
RUNS=${RUNS:-10}
IDLE=${IDLE:-10}
NAME=host-startup PORT_DEFAULT=18102 . "$(dirname "$0")/host.sh"
start_host

log "filling the data directory: a repo and 200 cards"
repo=$(api POST /api/repos -H 'content-type: application/json' -d '{"name":"startup"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for i in $(seq 200); do
  api POST "/api/repos/$repo/cards" -H 'content-type: application/json' -d "{\"title\":\"card $i\",\"step_type\":\"script\",\"step_config\":{\"command\":\"true\"}}" >/dev/null
done
stop_host

REF_DIR=$ROOT/bench/StartupReference/bin/Release/net10.0
log "building the reference"
dotnet build -c Release "$ROOT/bench/StartupReference" -nologo -v q >"$OUT/reference-build.log" 2>&1 || { cat "$OUT/reference-build.log" >&2; exit 1; }

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
for i in $(seq "$RUNS"); do
  log "run $i/$RUNS"
  measure "$HOST_BIN" LazyAf.Host.dll --data-dir "$OUT/data" >>"$OUT/host.txt"
  measure "$REF_DIR" StartupReference.dll >>"$OUT/reference.txt"
done

python3 - "$OUT" "$RUNS" "$IDLE" <<'PY' | tee "$OUT/report.md"
import os, statistics, sys, time
out, runs, idle = sys.argv[1:]
def rows(name):
    return [tuple(map(int, line.split())) for line in open(os.path.join(out, name)) if line.strip()]
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]
host, ref = rows("host.txt"), rows("reference.txt")
print(f"# Host start-up and idle memory, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
print(f"Machine: {os.cpu_count()} cores; load average after: {open('/proc/loadavg').read().strip()}; {runs} cold starts each, alternated; RSS read after {idle} s idle.\n")
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
