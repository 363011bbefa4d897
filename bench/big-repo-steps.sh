#!/usr/bin/env bash
# Step start-up on a big history: start a script card → the step's own first line in its log, on the in-process
# executor, for a generated repo shaped like redis (COMMITS commits, ~140 MB packed, FILES files). The first card of
# the repo fills the runner's git object cache; later ones borrow from it. The reference, in the same run: a plain
# `git clone` + checkout of the same repo from LazyAF's git server, which is what every step did before the cache.
# RUNNER=remote runs the cards on a real Docker agent (`lazyaf-runner`, the JIT build, script steps on this machine)
# connected over gRPC, which has its own workspaces and object cache: the cards require its label.
#
#   bench/big-repo-steps.sh                     # COMMITS=40000 FILES=1700 BLOB=3500 CARDS=10 RUNS=3 RUNNER=local
#   RUNNER=remote bench/big-repo-steps.sh
set -euo pipefail

COMMITS=${COMMITS:-40000}
FILES=${FILES:-1700}
BLOB=${BLOB:-3500}
CARDS=${CARDS:-10}
RUNS=${RUNS:-3}
RUNNER=${RUNNER:-local}
[[ $RUNNER =~ ^(local|remote)$ ]] || { echo "RUNNER must be local or remote, not '$RUNNER'" >&2; exit 1; }
NAME=big-repo-steps PORT_DEFAULT=18101 . "$(dirname "$0")/host.sh"
REQUIRES='[]'
if [[ $RUNNER == remote ]]; then
  RUNNER_URL=http://127.0.0.1:${LAZYAF_RUNNER_PORT:-18102}
  AGENT_PID=
  stop_all() {
    if [[ -n $AGENT_PID ]]; then kill "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" 2>/dev/null || true; fi
    stop_host
  }
  trap stop_all EXIT
  start_host --Runners:Url "$RUNNER_URL"
  log "building the Docker agent (Release) and connecting it"
  dotnet build -c Release "$ROOT/src/LazyAf.RunnerAgent" -nologo -v q >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
  registration=$(api POST /api/runners/tokens -H 'content-type: application/json' -d '{"description":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  dotnet "$ROOT/src/LazyAf.RunnerAgent/bin/Release/net10.0/lazyaf-runner.dll" --server "$RUNNER_URL" --token "$registration" \
    --labels pool=big-repo --name bench-big-repo --state-dir "$OUT/agent" >"$OUT/agent.log" 2>&1 &
  AGENT_PID=$!
  until api GET /api/runners | python3 -c "import json,sys; sys.exit(0 if any(r['connected'] and r['name'] == 'bench-big-repo' for r in json.load(sys.stdin)) else 1)"; do
    kill -0 "$AGENT_PID" 2>/dev/null || { cat "$OUT/agent.log" >&2; exit 1; }
    sleep 0.2
  done
  REQUIRES='["pool=big-repo"]'
else
  start_host
fi
SRC=$OUT/src

log "generating $COMMITS commits over $FILES files ($BLOB random bytes each)"
git -c init.defaultBranch=main init -q "$SRC"
python3 - "$COMMITS" "$FILES" "$BLOB" <<'PY' | git -C "$SRC" fast-import --quiet
import os, sys
commits, files, blob = map(int, sys.argv[1:])
out = sys.stdout.buffer
for i in range(commits):
    data = os.urandom(blob)
    msg = f"change {i}\n".encode()
    out.write(b"commit refs/heads/main\ncommitter bench <b@b> %d +0000\ndata %d\n%s" % (1_600_000_000 + i, len(msg), msg))
    out.write(b"M 100644 inline d%02d/f%04d.bin\ndata %d\n" % (i % 40, i % files, len(data)) + data + b"\n")
PY
git -C "$SRC" reset -q --hard main
PACK_MB=$(du -sm "$SRC/.git/objects" | cut -f1)

repo=$(api POST /api/repos -H 'content-type: application/json' -d '{"name":"big"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
URL=$API/git/$repo.git
log "pushing it to LazyAF ($PACK_MB MB of objects)"
git -C "$SRC" -c http.extraHeader="Authorization: Bearer $TOKEN" push -q "$URL" main

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "reference: $RUNS plain clones + checkouts from LazyAF's git server"
for i in $(seq "$RUNS"); do
  rm -rf "$OUT/clone"
  s=$(date +%s.%N)
  git -c http.extraHeader="Authorization: Bearer $TOKEN" clone -q "$URL" "$OUT/clone"
  echo "$(date +%s.%N) $s" | awk '{ printf "%.0f\n", ($1 - $2) * 1000 }'
done >"$OUT/clone-ms.txt"

log "$CARDS script cards on the $RUNNER runner, one after another: start → the step's first line"
python3 - "$API" "$TOKEN" "$repo" "$CARDS" "$OUT/step-logs.ndjson" "$REQUIRES" >"$OUT/steps-ms.txt" <<'PY'
import json, sys, time, urllib.request
api, token, repo, cards, requires = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), json.loads(sys.argv[6])
def call(method, path, body=None):
    req = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return urllib.request.urlopen(req)
for i in range(cards):
    card = json.load(call("POST", f"/api/repos/{repo}/cards", {"title": f"step {i}", "step_type": "script", "step_config": {"command": "echo step-started"}, "requires": requires}))["id"]
    start = time.monotonic()
    execution = call("POST", f"/api/cards/{card}/start").headers["Location"]
    with call("GET", execution + "/logs?follow=true") as follow:
        for line in follow:
            entry = json.loads(line)
            if entry.get("stream") == "stdout" and "step-started" in entry.get("text", ""):
                break
    print(round((time.monotonic() - start) * 1000))
    with open(sys.argv[5], "ab") as logs:
        logs.write(call("GET", execution + "/logs").read())
    while (state := json.load(call("GET", execution))["state"]) not in ("succeeded", "failed"):
        time.sleep(0.05)
    if state != "succeeded":
        sys.exit(f"card {i} {state}: see {sys.argv[5]}")
PY

python3 - "$OUT/clone-ms.txt" "$OUT/steps-ms.txt" "$COMMITS" "$PACK_MB" "$(nproc)" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$OUT/step-logs.ndjson" "$RUNNER" "$(git -C "$ROOT" rev-parse --short HEAD)" <<'PY' | tee "$OUT/report.md"
import datetime, json, statistics, sys
clone = [int(x) for x in open(sys.argv[1])]
steps = [int(x) for x in open(sys.argv[2])]
commits, pack, cores, load_before, load_after, logs, runner, commit = sys.argv[3:]
# Each step's phases from its own log lines: the clone (against the cache; a reused workspace's new .git) up to git's
# next command, and from there the checkout of the files (with the clean, and a reused one's index rebuild) up to
# "checked out …".
phases, marks = {"clone": [], "checkout": []}, {}
for line in open(logs):
    entry = json.loads(line)
    at = datetime.datetime.fromisoformat(entry["at"])
    text = entry.get("text", "")
    if text.startswith("$ git clone"):
        marks = {"clone": at}
    elif text.startswith("$ git ") and "clone" in marks and "next" not in marks:
        marks["next"] = at
    elif text.startswith("checked out ") and "next" in marks:
        phases["clone"].append(round((marks["next"] - marks["clone"]).total_seconds() * 1000))
        phases["checkout"].append(round((at - marks["next"]).total_seconds() * 1000))
        marks = {}
warm = sorted(steps[1:])
def pct(xs, p): return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
print(f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {runner} runner; repo: {commits} commits, {pack} MB of objects; {cores} cores, load {load_before} before, {load_after} after")
print(f"| what | n | p50 ms | p99 ms | min–max ms |")
print(f"|---|---|---|---|---|")
print(f"| plain `git clone` from LazyAF (reference) | {len(clone)} | {statistics.median(clone):.0f} | {pct(sorted(clone), 99)} | {min(clone)}–{max(clone)} |")
print(f"| first card: start → step's first line (fills the cache) | 1 | {steps[0]} | | |")
if warm:
    print(f"| later cards: start → step's first line | {len(warm)} | {statistics.median(warm):.0f} | {pct(warm, 99)} | {min(warm)}–{max(warm)} |")
    for name, label in (("clone", "their `git clone --reference` of the cache"), ("checkout", "their checkout of the files")):
        xs = sorted(phases[name][1:])
        if xs:
            print(f"| later cards: {label} | {len(xs)} | {statistics.median(xs):.0f} | {pct(xs, 99)} | {min(xs)}–{max(xs)} |")
    print(f"\nlater cards / plain clone (p50): {statistics.median(warm) / statistics.median(clone):.3f}")
    print(f"later cards in order, start → first line ms: {' '.join(map(str, steps[1:]))}; checkout ms: {' '.join(map(str, phases['checkout'][1:]))}")
PY
