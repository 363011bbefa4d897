#!/usr/bin/env bash
# Test-history benchmark: one run of 100,000 test cases recorded through the contract Execution records every
# finished step with (first run and later runs), against 100,000 plain INSERTs in the same database; then the
# history API (GET /api/repos/{id}/tests, …/tests/{test}) over a repo with 1,000 runs of 1,000 tests, against
# GET /api/repos/{id}. The load is bench/ReportsLoad (a real host in-process: real SQLite, real HTTP on loopback).
#
#   bench/reports-load.sh                                      # about 6 minutes on 2 cores (seeding 1,000,000 results)
#   bench/reports-load.sh --history-runs 200 --requests 200    # quicker
#
# Arguments go to ReportsLoad as they are (--cases, --ingest-runs, --history-runs, --history-tests, --requests, --out).
# The report goes to stdout and to bench/out/reports-load/report.md; exit 1 when a history p99 is 100 ms or more.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
dotnet build bench/ReportsLoad -c Release -v quiet -nologo >&2
exec dotnet bench/ReportsLoad/bin/Release/net10.0/ReportsLoad.dll --out bench/out/reports-load "$@"
