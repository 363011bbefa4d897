#!/usr/bin/env bash
# Pipeline validation cost against the number of steps: POST /api/pipelines/validate with chains of N script steps
# (each needing the one before, so the cycle check walks the whole chain) and N independent steps, on the real host in
# Release. The reference, in the same run, is a 1-step pipeline: what a request costs with nothing to check. Linear
# means the host's CPU per step stays flat as N grows; over PipelineDefinition.MaxSteps the answer is one error.
#
#   bench/pipeline-validation.sh            # RUNS=20 per size
set -euo pipefail

RUNS=${RUNS:-20}
NAME=pipeline-validation PORT_DEFAULT=18099 . "$(dirname "$0")/host.sh"
start_host

# A JSON body {"yaml": …} with N steps; "chain" steps each need the previous one.
body() {
  python3 - "$1" "$2" <<'PY'
import json, sys
n, shape = int(sys.argv[1]), sys.argv[2]
steps = []
for i in range(n):
    needs = f"\n    needs: [s{i-1}]" if shape == "chain" and i > 0 else ("\n    needs: []" if shape == "flat" else "")
    steps.append(f"  - id: s{i}\n    config: {{command: \"true\"}}{needs}")
print(json.dumps({"yaml": "name: big\nsteps:\n" + "\n".join(steps) + "\n"}))
PY
}

host_cpu_ms() { awk '{print ($14 + $15) * 1000 / 100}' "/proc/$HOST_PID/stat"; }

measure() { # size shape → "size shape status wall_ms_median cpu_ms_per_request"
  local n=$1 shape=$2 file="$OUT/body-$1-$2.json"
  body "$n" "$shape" >"$file"
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "@$file" "$API/api/pipelines/validate"
  local before after status walls=()
  before=$(host_cpu_ms)
  for _ in $(seq "$RUNS"); do
    read -r status wall < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' --data-binary "@$file" "$API/api/pipelines/validate")
    walls+=("$wall")
  done
  after=$(host_cpu_ms)
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] * 1000}')
  echo "$n $shape $status $median $(awk -v a="$after" -v b="$before" -v r="$RUNS" 'BEGIN {printf "%.2f", (a - b) / r}')"
}

log "measuring ($RUNS requests per size)"
results=()
results+=("$(measure 1 chain)")
for n in 100 250 500 1000; do
  results+=("$(measure "$n" chain)")
  results+=("$(measure "$n" flat)")
done
results+=("$(measure 1001 chain)")
results+=("$(measure 10000 chain)")

reference_cpu=$(awk '{print $5}' <<<"${results[0]}")
{
  echo "| steps | shape | status | wall p50 (ms) | host CPU per request (ms) | CPU per step over the 1-step reference (µs) |"
  echo "|---|---|---|---|---|---|"
  for r in "${results[@]}"; do
    read -r n shape status wall cpu <<<"$r"
    echo "| $n | $shape | $status | $wall | $cpu | $(awk -v c="$cpu" -v ref="$reference_cpu" -v n="$n" 'BEGIN {printf (n > 1 ? "%.0f" : "—"), (c - ref) * 1000 / n}') |"
  done
  echo
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u +%FT%TZ)"
} | tee "$OUT/report.md"
