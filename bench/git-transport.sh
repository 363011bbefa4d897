#!/usr/bin/env bash
# Git transport benchmark: push and clone of a >= 50 MB repo through LazyAF's smart-HTTP server,
# timed against the same operations over plain `git http-backend` (lighttpd CGI) and file://,
# plus the host's peak memory (VmHWM) for two pack sizes. See bench/README.md.
#
#   bench/git-transport.sh            # about 3 minutes on 2 cores
#   RUNS=5 MEMORY_MB="60 400" bench/git-transport.sh
#
# The report goes to stdout and to bench/out/git-transport/report.md.
set -euo pipefail

RUNS=${RUNS:-10}                  # timed runs per operation and target, after one warm-up run
TIME_MB=${TIME_MB:-60}            # repo size for the timings
MEMORY_MB=${MEMORY_MB:-"60 200"}  # repo sizes for the memory check, one fresh host each
LAZYAF_PORT=${LAZYAF_PORT:-18080}
PLAIN_PORT=${PLAIN_PORT:-18081}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/git-transport
RUN=$OUT/run                      # everything under here is made anew by each run
HOST_BIN=$ROOT/src/LazyAf.Host/bin/Release/net10.0
HOST_PID=
PLAIN_PID=

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

cleanup() {
  [[ -n $HOST_PID ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null
  [[ -n $PLAIN_PID ]] && kill "$PLAIN_PID" 2>/dev/null && wait "$PLAIN_PID" 2>/dev/null
  return 0
}
trap cleanup EXIT

# --- prerequisites --------------------------------------------------------------------------

require() {
  for port in "$LAZYAF_PORT" "$PLAIN_PORT"; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      echo "port $port is in use; set LAZYAF_PORT / PLAIN_PORT" >&2
      exit 1
    fi
  done
  for tool in git dotnet curl python3; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
  done
  if ! command -v lighttpd >/dev/null; then
    log "installing lighttpd (the baseline's web server)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lighttpd >/dev/null
  fi
}

# --- test repos -----------------------------------------------------------------------------

# A bare repo of MB megabytes of incompressible pseudo-random blobs: 320 files in 16 commits on
# `main`, seeded by the size and with fixed dates, so every machine builds the same commits.
make_repo() {
  local mb=$1 repo=$OUT/repos/src-$1.git
  if [[ ! -f $repo/bench-complete ]]; then
    log "generating the ${mb} MB test repo"
    rm -rf "$repo"
    git init -q --bare "$repo"
    python3 - "$mb" <<'PY' | git -C "$repo" fast-import --quiet
import random, sys
mb, files, commits = int(sys.argv[1]), 320, 16
rng = random.Random(f"lazyaf-bench-{mb}")
out = sys.stdout.buffer
average = mb * 1024 * 1024 // files
per_commit = files // commits
for c in range(commits):
    for f in range(per_commit):
        size = rng.randint(average // 2, average * 3 // 2)
        out.write(b"blob\nmark :%d\ndata %d\n" % (c * per_commit + f + 1, size))
        out.write(rng.randbytes(size) + b"\n")
    message = b"Add batch %d\n" % c
    out.write(b"commit refs/heads/main\nmark :%d\n" % (100000 + c))
    for who in (b"author", b"committer"):
        out.write(b"%s LazyAF bench <bench@lazyaf.local> %d +0000\n" % (who, 1700000000 + c * 60))
    out.write(b"data %d\n%s" % (len(message), message))
    if c:
        out.write(b"from :%d\n" % (100000 + c - 1))
    for f in range(per_commit):
        out.write(b"M 100644 :%d data/%02d/blob-%03d.bin\n" % (c * per_commit + f + 1, c, f))
    out.write(b"\n")
PY
    git -C "$repo" repack -adq
    touch "$repo/bench-complete"
  fi
  echo "$repo"
}

pack_size() { git -C "$1" count-objects -v | awk '/^size-pack:/ { printf "%.1f MiB", $2 / 1024 }'; }

# --- the two servers ------------------------------------------------------------------------

# The real host, Release build, fresh data dir, started from its output folder (the host now finds
# its appsettings.json from anywhere, but older commits needed this).
start_host() {
  local data=$RUN/host-$1
  rm -rf "$data"
  (cd "$HOST_BIN" && exec dotnet LazyAf.Host.dll --urls "http://127.0.0.1:$LAZYAF_PORT" --data-dir "$data") \
    >"$RUN/host-$1.log" 2>&1 &
  HOST_PID=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$LAZYAF_PORT/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "the host did not become healthy; see $RUN/host-$1.log" >&2
  exit 1
}

stop_host() { kill "$HOST_PID"; wait "$HOST_PID" || true; HOST_PID=; }

stop_plain() { kill "$PLAIN_PID"; wait "$PLAIN_PID" || true; PLAIN_PID=; }

# The host's peak resident set so far; fails loudly if the host is gone.
peak_rss_mib() {
  if ! kill -0 "$HOST_PID" 2>/dev/null; then
    echo "the host (pid $HOST_PID) has exited; the end of its log:" >&2
    tail -5 "$RUN"/host-*.log >&2
    exit 1
  fi
  awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$HOST_PID/status"
}

# CPU time in milliseconds: the whole machine busy so far (all cores; /proc/stat's user, nice,
# system, irq, softirq, steal), and this script's reaped children so far (the host, lighttpd and
# its CGIs, git; read from `times`, which must run in this shell, not in a subshell).
machine_busy_ms() { awk '/^cpu / { printf "%.0f\n", ($2 + $3 + $4 + $7 + $8 + $9) * 1000 / hz }' hz="$(getconf CLK_TCK)" /proc/stat; }
own_cpu_ms() {  # into OWN_CPU_MS
  times >"$RUN/times.txt"
  OWN_CPU_MS=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } } END { printf "%.0f\n", s * 1000 }' "$RUN/times.txt")
}

# The host's own CPU time so far (utime + stime, children excluded), in milliseconds.
host_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f\n", ($14 + $15) * 1000 / hz }' "/proc/$HOST_PID/stat"; }

# Runs a LazyAF operation and appends the host's CPU time for it (ms) to the file $1.
host_cpu() {
  local into=$1; shift
  local before; before=$(host_cpu_ms)
  "$@"
  echo $(($(host_cpu_ms) - before)) >>"$into"
}

# The baseline: git's own http-backend as a CGI program behind lighttpd, the set-up of
# git-http-backend(1). Responses stream; request bodies are buffered by lighttpd (it answers
# a chunked body to a streaming CGI with 411), which is lighttpd's default anyway.
start_plain() {
  mkdir -p "$RUN/plain" "$RUN/lighttpd"
  cat >"$RUN/lighttpd/lighttpd.conf" <<EOF
server.document-root = "$RUN/lighttpd"
server.bind = "127.0.0.1"
server.port = $PLAIN_PORT
server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
server.errorlog = "$RUN/lighttpd/error.log"
server.upload-dirs = ("$RUN/lighttpd")
server.stream-response-body = 2
alias.url = ("/git/" => "$(git --exec-path)/git-http-backend/")
\$HTTP["url"] =~ "^/git/" {
  cgi.assign = ("" => "")
  setenv.add-environment = ("GIT_PROJECT_ROOT" => "$RUN/plain", "GIT_HTTP_EXPORT_ALL" => "1")
}
EOF
  lighttpd -D -f "$RUN/lighttpd/lighttpd.conf" &
  PLAIN_PID=$!
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$PLAIN_PORT/" && return 0
    sleep 0.1
  done
  echo "lighttpd did not start; see $RUN/lighttpd/error.log" >&2
  exit 1
}

# --- empty target repos, one per push -------------------------------------------------------

# Prints the clone URL of a new, empty LazyAF repo.
new_lazyaf_repo() {
  curl -sf -X POST "http://127.0.0.1:$LAZYAF_PORT/api/repos" -H 'content-type: application/json' \
    -d "{\"name\":\"bench-$1\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["clone_url"])'
}

# A bare repo configured as LazyAF configures its own (fsck on receive, HEAD on main), so the
# only difference left is the transport.
new_plain_repo() {
  local repo=$RUN/plain/bench-$1.git
  git init -q --bare "$repo"
  git -C "$repo" symbolic-ref HEAD refs/heads/main
  git -C "$repo" config http.receivepack true
  git -C "$repo" config receive.fsckObjects true
  echo "$repo"
}

new_target() {
  case $1 in
    lazyaf) new_lazyaf_repo "$2" ;;
    http-backend) new_plain_repo "$2" >/dev/null; echo "http://127.0.0.1:$PLAIN_PORT/git/bench-$2.git" ;;
    file) echo "file://$(new_plain_repo "$2")" ;;
  esac
}

# Deletes a pushed-to repo once the next run has its own, so the runs do not fill the disk.
drop_target() {
  case $1 in
    lazyaf) curl -sf -X DELETE "http://127.0.0.1:$LAZYAF_PORT/api/repos/$(basename "$2" .git)" ;;
    *) rm -rf "$RUN/plain/$(basename "$2")" ;;
  esac
}

# --- timing ---------------------------------------------------------------------------------

# Runs a command and appends its wall-clock time in milliseconds to the file $1.
timed() {
  local into=$1; shift
  local start=$EPOCHREALTIME
  "$@"
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >>"$into"
}

# "median min" of the numbers in a file.
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f %.0f", m, v[1] }'; }

TARGETS=(lazyaf http-backend file)

# The targets in a different order each run, so no target always goes first.
rotated() { local i=$1 n=${#TARGETS[@]}; for k in $(seq 0 $((n - 1))); do echo "${TARGETS[$(((i + k) % n))]}"; done; }

# Pushes $SOURCE's main into a new, empty repo on each target, RUNS times after a warm-up.
time_pushes() {
  local times=$RUN/times
  declare -A last
  for run in $(seq 0 "$RUNS"); do
    for target in $(rotated "$run"); do
      local url; url=$(new_target "$target" "$target-$run")
      sync
      if ((run == 0)); then  # warm-up
        git -C "$SOURCE" push -q "$url" main
      else
        if [[ $target == lazyaf ]]; then
          host_cpu "$times/push.cpu" timed "$times/push.$target" git -C "$SOURCE" push -q "$url" main
        else
          timed "$times/push.$target" git -C "$SOURCE" push -q "$url" main
        fi
      fi
      [[ -n ${last[$target]:-} ]] && drop_target "$target" "${last[$target]}"
      last[$target]=$url
    done
  done
  for target in "${TARGETS[@]}"; do echo "${last[$target]}" >"$times/url.$target"; done
}

# Clones the last pushed-to repo of each target, RUNS times after a warm-up, and checks the result.
time_clones() {
  local name=$1; shift  # the rest: extra `git clone` options
  local times=$RUN/times dir=$RUN/clone
  for run in $(seq 0 "$RUNS"); do
    for target in $(rotated "$run"); do
      rm -rf "$dir"
      sync
      if ((run == 0)); then
        git clone -q "$@" "$(cat "$times/url.$target")" "$dir"
      else
        if [[ $target == lazyaf ]]; then
          host_cpu "$times/$name.cpu" timed "$times/$name.$target" git clone -q "$@" "$(cat "$times/url.$target")" "$dir"
        else
          timed "$times/$name.$target" git clone -q "$@" "$(cat "$times/url.$target")" "$dir"
        fi
      fi
    done
  done
  [[ $(git -C "$dir" rev-parse main) == $(git -C "$SOURCE" rev-parse main) ]] || { echo "clone differs" >&2; exit 1; }
  rm -rf "$dir"
}

# --- the report -----------------------------------------------------------------------------

machine() {
  local cpu cores ram
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  cores=$(nproc)
  ram=$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- CPU: $cpu, $cores cores; RAM: $ram"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- $(git --version); .NET SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/NETCore.App/ { v = $2 } END { print v }'); $(lighttpd -v 2>&1 | head -1 | cut -d' ' -f1)"
  echo "- LazyAF commit $(git -C "$ROOT" rev-parse --short HEAD)"
  echo "- Load average (1/5/15 min) before the timings: $LOAD_BEFORE; after: $LOAD_AFTER"
  echo "- CPU during the timings ($WALL s of wall time, so $(($(nproc) * WALL)) s on $(nproc) cores): the benchmark's processes $((OWN / 1000)) s, the rest of the machine $((REST < 0 ? 0 : REST / 1000)) s (other processes on a shared machine; near 0 when the figures are clean)"
}

timing_table() {
  local times=$RUN/times
  echo "| operation | LazyAF median / min (ms) | http-backend median / min (ms) | file:// median / min (ms) | LazyAF ÷ http-backend | LazyAF ÷ file:// | LazyAF host CPU median / min (ms) |"
  echo "|---|---|---|---|---|---|---|"
  for op in push clone clone-bare; do
    read -r lm lmin <<<"$(stats "$times/$op.lazyaf")"
    read -r hm hmin <<<"$(stats "$times/$op.http-backend")"
    read -r fm fmin <<<"$(stats "$times/$op.file")"
    read -r cm cmin <<<"$(stats "$times/$op.cpu")"
    local label=$op
    [[ $op == clone-bare ]] && label="clone --bare"
    echo "| \`git $label\` | $lm / $lmin | $hm / $hmin | $fm / $fmin | $(awk -v a="$lm" -v b="$hm" 'BEGIN { printf "%.2f×", a / b }') | $(awk -v a="$lm" -v b="$fm" 'BEGIN { printf "%.2f×", a / b }') | $cm / $cmin |"
  done
}

# --- main -----------------------------------------------------------------------------------

require
rm -rf "$RUN"
mkdir -p "$RUN/times" "$OUT/repos"
log "building the host (Release)"
dotnet build -c Release "$ROOT/src/LazyAf.Host" -nologo -v q >"$RUN/build.log" 2>&1 || { cat "$RUN/build.log" >&2; exit 1; }

SOURCE=$(make_repo "$TIME_MB")
for mb in $MEMORY_MB; do make_repo "$mb" >/dev/null; done

log "timing: $RUNS runs (+1 warm-up) of push, clone and clone --bare of the $TIME_MB MB repo"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
own_cpu_ms; OWN_BEFORE=$OWN_CPU_MS; BUSY_BEFORE=$(machine_busy_ms); WALL_BEFORE=$EPOCHREALTIME
start_plain
start_host timing
time_pushes
time_clones clone
time_clones clone-bare --bare
TIMING_PEAK=$(peak_rss_mib)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
stop_host
stop_plain
own_cpu_ms; OWN=$((OWN_CPU_MS - OWN_BEFORE)); REST=$(($(machine_busy_ms) - BUSY_BEFORE - OWN))
WALL=$(awk -v a="$WALL_BEFORE" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

MEMORY_ROWS=()
for mb in $MEMORY_MB; do
  log "memory: fresh host, one push and one clone of the $mb MB repo"
  start_host "memory-$mb"
  startup=$(peak_rss_mib)
  repo=$(make_repo "$mb")
  url=$(new_lazyaf_repo memory)
  git -C "$repo" push -q "$url" main
  after_push=$(peak_rss_mib)
  rm -rf "$RUN/clone" && git clone -q "$url" "$RUN/clone" && rm -rf "$RUN/clone"
  after_clone=$(peak_rss_mib)
  MEMORY_ROWS+=("| $mb MB ($(pack_size "$repo") packed) | $startup | $after_push | $after_clone | $((after_clone - startup)) |")
  stop_host
done

{
  echo "## Machine"
  echo
  machine
  echo
  echo "## Time ($RUNS runs each after one warm-up; repo of $(pack_size "$SOURCE") packed, $(git -C "$SOURCE" rev-list --count main) commits, 320 files)"
  echo
  timing_table
  echo
  echo "## Host peak RSS (VmHWM, MiB; a fresh host per size)"
  echo
  echo "| repo | after startup | after push | after clone | growth |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${MEMORY_ROWS[@]}"
  echo
  echo "Peak RSS of the timing host after all its runs ($((RUNS + 1)) pushes, $((2 * RUNS + 2)) clones of $TIME_MB MB): $TIMING_PEAK MiB."
} | tee "$OUT/report.md"
