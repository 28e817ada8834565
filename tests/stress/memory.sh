#!/usr/bin/env bash
# 1 GB through the CLI's streaming path, twice (news-like lines; one line of
# Arabic letters with no ASCII at all), with peak memory measured by
# /usr/bin/time and checked against a bound. A measurement, not a timing.
# Usage: memory.sh PATH_TO_ARNORM [MAX_RSS_MB]
set -euo pipefail
bin=$1
limit_mb=${2:-64}
status=0
measure() {
  local name=$1
  shift
  local report
  report=$(mktemp)
  "$@" 2>"$report"
  local rss_kb
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$report")
  local elapsed
  elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report")
  echo "$name: peak RSS $((rss_kb / 1024)) MB, wall $elapsed"
  if [ "$rss_kb" -gt $((limit_mb * 1024)) ]; then
    echo "  over the $limit_mb MB bound"
    status=1
  fi
  rm -f "$report"
}
news_gb() { yes 'قال وزير الخارجية إن الإستثمار فى شانغهاي على أعلى مستوى، ١٢٣ مليون.' | head -c 1000000000; }
letters_gb() { python3 -c "
import sys
chunk = ('بت' * 500000).encode()
for _ in range(1000):
    sys.stdout.buffer.write(chunk)
"; }
export -f news_gb letters_gb
export bin
measure "1 GB news lines" /usr/bin/time -v bash -c 'news_gb | "$bin" > /dev/null'
measure "1 GB without ASCII" /usr/bin/time -v bash -c 'letters_gb | "$bin" > /dev/null'
exit $status
