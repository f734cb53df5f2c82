#!/usr/bin/env bash
# Every suite, in order: unit (CTest, on SQLite and PostgreSQL), API against the real binary on SQLite, the same
# on PostgreSQL, and the browser end-to-end suite in Debian's chromium. A local PostgreSQL server is started
# for the run and stopped after. Usage: scripts/test-all.sh [all|unit|api|e2e]
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
BUILD=${BUILD:-build}
export CHANRONG_BIN="$PWD/$BUILD/chanrong"
export CHANRONG_WEB_ROOT="$PWD/web/dist"

PG_URL=$(scripts/pg-local.sh start) || { echo "could not start PostgreSQL"; exit 1; }
trap 'scripts/pg-local.sh stop' EXIT
export CHANRONG_TEST_PG_URL="$PG_URL"

summary=()
failures=0

# Runs a node --test suite and prints its own closing line.
node_suite() {
  local name=$1; shift
  local log; log=$(mktemp)
  echo "=== $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local pass fail
  pass=$(grep -E '^# pass ' "$log" | tail -n1 | awk '{print $3}')
  fail=$(grep -E '^# fail ' "$log" | tail -n1 | awk '{print $3}')
  echo "$name: ${pass:-0} passed, ${fail:-0} failed"
  summary+=("$name: ${pass:-0} passed, ${fail:-0} failed")
  if [ "$rc" -ne 0 ] || [ "${pass:-0}" = 0 ]; then failures=$((failures + 1)); fi
  rm -f "$log"
}

if [ "$what" = all ] || [ "$what" = unit ]; then
  echo "=== unit (CTest; every suite that touches a database runs on SQLite and on PostgreSQL)"
  if (cd "$BUILD" && ctest --output-on-failure -j2); then summary+=("unit: ok"); else summary+=("unit: FAILED"); failures=$((failures + 1)); fi
fi

if [ "$what" = all ] || [ "$what" = api ]; then
  for backend in sqlite postgres; do
    CHANRONG_API_BACKEND=$backend node_suite "api-$backend" node --test --test-concurrency=1 tests/api/
  done
fi

if [ "$what" = all ] || [ "$what" = e2e ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error) || failures=$((failures + 1))
  node_suite "e2e" node tests/e2e/run.mjs
fi

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
[ "$failures" -eq 0 ]
