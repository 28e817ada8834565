#!/usr/bin/env bash
# End-to-end tests of the arnorm command-line program. Usage: cli_test.sh PATH_TO_ARNORM
set -u
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() { [ "$1" == "$2" ] || fail "$3: got [$1] want [$2]"; }

# Sample text and the news pairs folded.
out=$("$bin" --sample)
[[ $out == *"علي"* && $out == *"الاستثمار"* && $out == *"ال21"* ]] || fail "--sample: $out"

# stdin to stdout, profiles and option flags.
expect_eq "$(printf 'على الإستثمار' | "$bin")" "علي الاستثمار" "stdin"
expect_eq "$(printf 'على' | "$bin" --profile clean)" "على" "--profile clean"
expect_eq "$(printf 'أعلى' | "$bin" --alef=keep)" "أعلي" "--alef=keep"
expect_eq "$(printf 'الـ21' | "$bin" --no-tatweel)" "الـ21" "--no-tatweel"
expect_eq "$(printf 'a  b' | "$bin" --collapse-spaces)" "a b" "--collapse-spaces"
expect_eq "$(printf 'نعم،' | "$bin" --punctuation)" "نعم," "--punctuation"

# Files, several inputs, -o.
printf 'فى\n' > "$work/a.txt"
printf 'على\n' > "$work/b.txt"
"$bin" "$work/a.txt" "$work/b.txt" -o "$work/out.txt" || fail "-o exit"
expect_eq "$(cat "$work/out.txt")" "$(printf 'في\nعلي')" "two files to -o"

# Errors: unknown option, unknown profile, missing file, unwritable output, invalid UTF-8.
msg=$("$bin" --alef=most </dev/null 2>&1); rc=$?
expect_eq "$rc" "2" "bad option value exit"
[[ $msg == *"hamza_forms"* ]] || fail "bad value message lists valid values: $msg"
msg=$("$bin" --frobnicate </dev/null 2>&1); rc=$?
expect_eq "$rc" "2" "unknown option exit"
[[ $msg == *"unknown option"* ]] || fail "unknown option message: $msg"
"$bin" --profile nope </dev/null 2>/dev/null; expect_eq "$?" "2" "unknown profile exit"
msg=$("$bin" "$work/missing.txt" 2>&1); rc=$?
expect_eq "$rc" "2" "missing input exit"
[[ $msg == *"missing.txt"* ]] || fail "missing input message: $msg"
msg=$(printf 'x' | "$bin" -o "$work/no/such/dir/out.txt" 2>&1); rc=$?
expect_eq "$rc" "2" "unwritable output exit"
printf 'ok \xff bad' > "$work/bad.txt"
msg=$("$bin" "$work/bad.txt" 2>&1 >/dev/null); rc=$?
expect_eq "$rc" "1" "invalid UTF-8 exit"
[[ $msg == *"byte offset 3"* ]] || fail "invalid UTF-8 message: $msg"
expect_eq "$("$bin" --invalid_utf8=replace "$work/bad.txt")" "ok � bad" "replace policy"
head -c 4096 /dev/urandom > "$work/binary.bin"
"$bin" "$work/binary.bin" >/dev/null 2>&1; expect_eq "$?" "1" "binary input is rejected under strict"
"$bin" "$work" >/dev/null 2>&1; expect_eq "$?" "2" "directory as input"

# In place: rewritten, mode kept; a failing rewrite leaves the original byte-identical.
printf 'على\n' > "$work/edit.txt"; chmod 640 "$work/edit.txt"
"$bin" --in-place "$work/edit.txt" || fail "--in-place exit"
expect_eq "$(cat "$work/edit.txt")" "علي" "--in-place result"
expect_eq "$(stat -c %a "$work/edit.txt")" "640" "--in-place keeps the mode"
{ for i in $(seq 1 20000); do printf 'على الإستثمار في شانغهاي\n'; done; printf '\xc0 broken'; } > "$work/fail.txt"
cp "$work/fail.txt" "$work/fail.orig"
"$bin" --in-place "$work/fail.txt" 2>/dev/null; rc=$?
expect_eq "$rc" "1" "failing --in-place exit"
cmp -s "$work/fail.txt" "$work/fail.orig" || fail "failing --in-place changed the original"
[ -z "$(ls "$work" | grep arnorm-)" ] || fail "temporary file left behind"

# Killed mid-way: the original is either untouched or completely normalized, never partial.
for i in $(seq 1 300000); do printf 'على الإستثمار في شانغهاي والشئون\n'; done > "$work/big.txt"
cp "$work/big.txt" "$work/big.orig"
"$bin" "$work/big.orig" > "$work/big.want"
"$bin" --in-place "$work/big.txt" & pid=$!
sleep 0.05; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
cmp -s "$work/big.txt" "$work/big.orig" || cmp -s "$work/big.txt" "$work/big.want" || fail "killed --in-place left a partial file"

# A closed stdout pipe ends the program quietly.
msg=$( { "$bin" "$work/big.orig" | head -c 10 >/dev/null; } 2>&1 )
expect_eq "$msg" "" "closed pipe prints nothing"

# Explain and offsets.
expect_eq "$(printf 'أنا' | "$bin" --explain)" "$(printf '0\t2\t0\t2\talef\tأ\tا')" "--explain"
expect_eq "$(printf 'مَد' | "$bin" --offsets)" "$(printf 'مد\t0-4,4-6')" "--offsets"

# Streaming a large input matches line-by-line normalization.
cat "$work/big.orig" | "$bin" | cmp -s - "$work/big.want" || fail "stdin stream differs"

if [ $failures -ne 0 ]; then echo "$failures CLI check(s) failed"; exit 1; fi
echo "all CLI checks passed"
