#!/usr/bin/env bash
# The regression guard of the hot loop: instructions per input byte, counted
# by callgrind (not seconds, so a busy machine cannot fool it), for the search
# profile on a fixed built-in text, against the budgets in guard_budget.txt:
# once on the portable scalar loop and once on the AVX2 path (valgrind runs
# no AVX-512, so that path is guarded by the tests and benchmarks only).
# Usage: bench/guard.sh BUILD_DIR    (a build with ARNORM_BUILD_BENCHMARKS=ON)
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
rounds=4
bytes=$("$build/bench/bench_ratio" --probe 1 | awk '{print $4}')
status=0
for path in none avx2; do
  budget=$(awk -v key="max_instructions_per_byte_$path" '$1 == key {print $2}' "$here/guard_budget.txt")
  out=$(mktemp)
  ARNORM_SIMD=$path valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*run_probe*' \
    "$build/bench/bench_ratio" --probe $rounds >/dev/null 2>&1
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out")
  rm -f "$out"
  per_byte=$(awk -v t="$total" -v b="$bytes" -v r="$rounds" 'BEGIN {printf "%.3f", t / (b * r)}')
  echo "hot loop, path $path: $per_byte instructions per byte (budget $budget) on $bytes bytes x $rounds"
  if ! awk -v v="$per_byte" -v m="$budget" 'BEGIN {exit !(v <= m)}'; then
    echo "FAIL: the hot loop ($path) got slower than its budget (see bench/guard_budget.txt)"
    status=1
  fi
done
exit $status
