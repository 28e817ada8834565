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
msg=$("$bin" --elongaton </dev/null 2>&1); rc=$?
expect_eq "$rc" "2" "misspelt option exit"
[[ $msg == *"did you mean 'elongation'?"* ]] || fail "misspelt option message: $msg"
msg=$("$bin" -x </dev/null 2>&1); rc=$?
expect_eq "$rc" "2" "unknown short option exit"
[[ $msg == *"unknown option '-x'"* ]] || fail "unknown short option message: $msg"
[[ $("$bin" --version) =~ ^arnorm\ [0-9]+\.[0-9]+\.[0-9]+\ \(Unicode\ [0-9.]+\)$ ]] || fail "--version: $("$bin" --version)"
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
[ -z "$(ls -A "$work" | grep arnorm-)" ] || fail "temporary file left behind"

# In place through a symbolic link: the file it names changes, the link stays.
printf 'على\n' > "$work/target.txt"; ln -s target.txt "$work/link.txt"
"$bin" --in-place "$work/link.txt" || fail "--in-place through a link exit"
[ -L "$work/link.txt" ] || fail "--in-place replaced the link"
expect_eq "$(cat "$work/target.txt")" "علي" "--in-place writes through a link"
# Refused, with nothing changed: hard links, non-regular files, standard input.
printf 'على\n' > "$work/h1.txt"; ln "$work/h1.txt" "$work/h2.txt"
"$bin" --in-place "$work/h1.txt" 2>/dev/null; expect_eq "$?" "2" "--in-place refuses a file with hard links"
expect_eq "$(cat "$work/h2.txt")" "على" "hard-linked file untouched"
mkfifo "$work/fifo"
timeout 10 "$bin" --in-place "$work/fifo" 2>/dev/null; expect_eq "$?" "2" "--in-place refuses a FIFO"
[ -p "$work/fifo" ] || fail "the FIFO was replaced"
printf 'على' | "$bin" --in-place - 2>/dev/null; expect_eq "$?" "2" "--in-place refuses standard input"
[ ! -e ./- ] || fail "--in-place - created a file named -"
# -o naming an input is refused; the input is untouched.
printf 'فى\n' > "$work/same.txt"
"$bin" "$work/same.txt" -o "$work/same.txt" 2>/dev/null; expect_eq "$?" "2" "-o naming an input"
"$bin" -o "$work/same.txt" < "$work/same.txt" 2>/dev/null; expect_eq "$?" "2" "-o naming standard input's file"
expect_eq "$(cat "$work/same.txt")" "فى" "-o over an input left it untouched"
# -o: an existing file keeps its mode and is replaced only by a complete result; devices are written to.
printf 'old\n' > "$work/kept.txt"; chmod 600 "$work/kept.txt"
printf 'على' | "$bin" -o "$work/kept.txt" || fail "-o over an existing file exit"
expect_eq "$(cat "$work/kept.txt")$(stat -c %a "$work/kept.txt")" "علي600" "-o keeps the mode"
printf 'ok \xff' | "$bin" -o "$work/kept.txt" 2>/dev/null; expect_eq "$?" "1" "-o with invalid input exit"
expect_eq "$(cat "$work/kept.txt")" "علي" "-o failing left the old output whole"
printf 'على' | "$bin" -o /dev/null || fail "-o /dev/null"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
[ -z "$(ls -A "$work" | grep arnorm-)" ] || fail "temporary file left behind by -o"
# Owner and mode kept, set-user-ID included, never handed to the user running arnorm (root in CI).
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  printf 'على\n' > "$work/owned.txt"; chown nobody "$work/owned.txt"; chmod 6755 "$work/owned.txt"
  "$bin" --in-place "$work/owned.txt" || fail "--in-place of another user's file"
  expect_eq "$(stat -c '%U %a' "$work/owned.txt")" "nobody 6755" "--in-place keeps the owner and the mode"
fi

# Killed mid-way: the original is either untouched or completely normalized, never partial.
for i in $(seq 1 300000); do printf 'على الإستثمار في شانغهاي والشئون\n'; done > "$work/big.txt"
cp "$work/big.txt" "$work/big.orig"
"$bin" "$work/big.orig" > "$work/big.want"
"$bin" --in-place "$work/big.txt" & pid=$!
sleep 0.05; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
cmp -s "$work/big.txt" "$work/big.orig" || cmp -s "$work/big.txt" "$work/big.want" || fail "killed --in-place left a partial file"
rm -f "$work"/.big.txt.arnorm-*  # SIGKILL cannot be caught: its temporary stays
# Stopped by SIGTERM or SIGINT: the same, and the temporary file is removed.
for sig in TERM INT; do
  cp "$work/big.orig" "$work/big.txt"
  "$bin" --in-place "$work/big.txt" & pid=$!
  sleep 0.05; kill -$sig $pid 2>/dev/null; wait $pid 2>/dev/null
  cmp -s "$work/big.txt" "$work/big.orig" || cmp -s "$work/big.txt" "$work/big.want" || fail "SIG$sig --in-place left a partial file"
  [ -z "$(ls -A "$work" | grep arnorm-)" ] || fail "SIG$sig left a temporary file"
done

# A closed stdout pipe ends the program quietly.
msg=$( { "$bin" "$work/big.orig" | head -c 10 >/dev/null; } 2>&1 )
expect_eq "$msg" "" "closed pipe prints nothing"

# Explain and offsets.
expect_eq "$(printf 'أنا' | "$bin" --explain)" "$(printf '0\t2\t0\t2\talef\tأ\tا')" "--explain"
expect_eq "$(printf 'مَد' | "$bin" --offsets)" "$(printf 'مد\t0-4,4-6')" "--offsets"

# A line longer than the read size (taken in pieces): --explain and --offsets give what each repeat
# of its unit gives, shifted; the normalized text is the whole line's.
unit='على مَدّ ﻻ '
python3 -c "import sys; sys.stdout.write(sys.argv[1] * 150000)" "$unit" > "$work/long.txt"
printf '%s' "$unit" | "$bin" --explain > "$work/unit.explain"
"$bin" --explain "$work/long.txt" > "$work/long.explain" || fail "--explain of a long line"
python3 - "$work/unit.explain" "$work/long.explain" "$unit" "$(printf '%s' "$unit" | "$bin" | wc -c)" <<'PY' || fail "--explain of a long line differs from its unit's"
import sys
unit = [l.split("\t") for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
got = open(sys.argv[2], encoding="utf-8").read().splitlines()
step_in, step_out = len(sys.argv[3].encode()), int(sys.argv[4])
want = ["\t".join([str(int(f[0]) + k * step_in), str(int(f[1]) + k * step_in), str(int(f[2]) + k * step_out),
                   str(int(f[3]) + k * step_out)] + f[4:]) for k in range(150000) for f in unit]
sys.exit(got != want)
PY
"$bin" --offsets "$work/long.txt" > "$work/long.offsets" || fail "--offsets of a long line"
expect_eq "$(cut -f1 "$work/long.offsets" | md5sum)" "$( { "$bin" "$work/long.txt"; echo; } | md5sum)" "--offsets text of a long line"
expect_eq "$(cut -f2 "$work/long.offsets" | tr ',' '\n' | wc -l)" "$(( $("$bin" "$work/long.txt" | wc -m) ))" "--offsets spans of a long line"

# Streaming a large input matches line-by-line normalization.
cat "$work/big.orig" | "$bin" | cmp -s - "$work/big.want" || fail "stdin stream differs"

if [ $failures -ne 0 ]; then echo "$failures CLI check(s) failed"; exit 1; fi
echo "all CLI checks passed"
