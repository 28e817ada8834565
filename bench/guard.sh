#!/usr/bin/env bash
# The regression guard of the hot loop: instructions per input byte, counted
# by callgrind (not seconds, so a busy machine cannot fool it), for the search
# profile on a fixed built-in text, against the budget in guard_budget.txt.
# Usage: bench/guard.sh BUILD_DIR    (a build with ARNORM_BUILD_BENCHMARKS=ON)
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
budget=$(awk '/^max_instructions_per_byte/ {print $2}' "$here/guard_budget.txt")
out=$(mktemp)
rounds=4
valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*run_probe*' \
  "$build/bench/bench_ratio" --probe $rounds >/dev/null 2>&1
total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out")
rm -f "$out"
bytes=$("$build/bench/bench_ratio" --probe 1 | awk '{print $4}')
per_byte=$(awk -v t="$total" -v b="$bytes" -v r="$rounds" 'BEGIN {printf "%.3f", t / (b * r)}')
echo "hot loop: $per_byte instructions per byte (budget $budget) on $bytes bytes x $rounds"
awk -v v="$per_byte" -v m="$budget" 'BEGIN {exit !(v <= m)}' || {
  echo "FAIL: the hot loop got slower than its budget (see bench/guard_budget.txt)"
  exit 1
}
