#!/usr/bin/env bash
# Parse throughput on a large realistic proxy log, against `grep -c -F` on the same file in the
# same run. Generates the log with ../shared/bench/gen_wlog.py (ground-truth manifest included),
# runs `negoheal parse`, checks every manifest failure was found at the right line with the right
# host, and prints MB/s, the ratio to grep, and peak RSS.
#   bench/parse_throughput.sh [MB] [WORKDIR]      (default 1024 MB in /tmp/negoheal-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-1024}
WORK=${2:-/tmp/negoheal-bench}
GEN=../shared/bench/gen_wlog.py
BIN=build/release/agent/negoheal
[ -f "$GEN" ] || { echo "bench: $GEN not found (needs ../shared)" >&2; exit 1; }
[ -x "$BIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release --target negoheal >/dev/null; }
mkdir -p "$WORK"
LOG=$WORK/big-$MB.log
TRUTH=$WORK/big-$MB.truth.jsonl
if [ ! -s "$LOG" ] || [ ! -s "$TRUTH" ]; then
  echo "bench: generating $MB MB (once; kept in $WORK)..." >&2
  python3 "$GEN" --mb "$MB" --out "$LOG" --manifest "$TRUTH"
fi
SIZE=$(stat -L -c %s "$LOG")
cat "$LOG" >/dev/null  # warm the page cache for both contenders

best() {  # best wall time of 3 runs, seconds; the command's stdout goes to $WORK/out
  local b=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" >"$WORK/out"; t1=$(date +%s.%N)
    local t; t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
  done
  echo "$b"
}
GREP_T=$(best grep -c -F ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED "$LOG")
GREP_COUNT=$(cat "$WORK/out")
# One core for negoheal, as for grep.
NH_T=$(best taskset -c 0 "$BIN" parse --date 2026-11-24 "$LOG")
cp "$WORK/out" "$WORK/events.jsonl"
RSS_KB=$( { /usr/bin/time -f '%M' taskset -c 0 "$BIN" parse --date 2026-11-24 "$LOG" >/dev/null; } 2>&1 | tail -1)

# Correctness against the manifest: every failure at its line, with its host.
python3 - "$LOG" "$TRUTH" "$WORK/events.jsonl" <<'PY'
import json, sys, bisect
log, truth, events = sys.argv[1:4]
# byte offset of each line start -> line number
starts = [0]
with open(log, 'rb') as f:
    pos = 0
    for chunk in iter(lambda: f.read(1 << 24), b''):
        i = chunk.find(b'\n')
        while i >= 0:
            starts.append(pos + i + 1)
            i = chunk.find(b'\n', i + 1)
        pos += len(chunk)
found = {}
for line in open(events):
    e = json.loads(line)
    n = bisect.bisect_right(starts, e['log']['offset'])
    found[n] = e.get('destination', {}).get('address')
want = [json.loads(l) for l in open(truth)]
ok = sum(1 for w in want if found.get(w['line']) == w['host'].lower())
extra = len(found) - len(want)
print(f"correct: {ok}/{len(want)} failures with the right host; {max(extra, 0)} extra events")
sys.exit(0 if ok == len(want) and extra == 0 else 1)
PY
OK=$?
python3 - "$SIZE" "$GREP_T" "$NH_T" "$RSS_KB" "$GREP_COUNT" <<'PY'
import sys
size, g, n, rss, gc = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
mb = size / 1e6
print(f"file: {size/2**20:.0f} MiB, grep -c -F found {gc}")
print(f"grep -c -F : {g:.3f} s  {mb/g:8.0f} MB/s")
print(f"negoheal   : {n:.3f} s  {mb/n:8.0f} MB/s  ({g/n*100:.0f}% of grep's speed, one core)")
print(f"peak RSS   : {rss/1024:.1f} MiB")
PY
exit $OK
