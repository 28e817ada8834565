#!/usr/bin/env bash
# Compares two builds' speed on a shared, noisy machine: both bench_ratio
# binaries normalize the same text at once, one on each of the first two
# CPUs, so that both meet the same load. The two CPUs need not be equally
# fast (the same build on both at once differed by up to 15% here), so runs
# come in pairs that swap them, and each pair gives the geometric mean of its
# two ratios. Prints B's speed
# over A's for each pair, then their median. Timed one after the other, the
# same binary varied by up to a third between runs here.
# Usage: bench/ab.sh A/bench_ratio B/bench_ratio CORPUS [PAIRS=8] [TIMES=30]
# (ARNORM_SIMD picks the path as usual.)
set -euo pipefail
a=$1 b=$2 corpus=$3 pairs=${4:-8} times=${5:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Wall nanoseconds of one probe run pinned to a CPU, written to a file.
timed() {
  local cpu=$1 bin=$2 out=$3 start end
  start=$(date +%s%N)
  taskset -c "$cpu" "$bin" --probe "$times" --corpus "$corpus" >/dev/null
  end=$(date +%s%N)
  echo $((end - start)) >"$out"
}
ratios=()
for ((i = 0; i < pairs; i++)); do
  for cpu in 0 1; do
    timed $cpu "$a" "$tmp/a$cpu" &
    timed $((1 - cpu)) "$b" "$tmp/b$cpu" &
    wait
  done
  ratios+=("$(awk -v a0="$(cat "$tmp/a0")" -v b0="$(cat "$tmp/b0")" -v a1="$(cat "$tmp/a1")" -v b1="$(cat "$tmp/b1")" \
    'BEGIN {printf "%.3f", sqrt((a0 / b0) * (a1 / b1))}')")
done
echo "B/A speed per pair: ${ratios[*]}"
printf '%s\n' "${ratios[@]}" | sort -n |
  awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %.3f\n", m}'
