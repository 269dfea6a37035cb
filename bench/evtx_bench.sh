#!/usr/bin/env bash
# EVTX throughput: `negoheal evtx dump --format xml` against libevtx's `evtxexport -f xml`
# (Debian libevtx-utils) over the same files in the same run. Prints, per tool, the best wall
# time of 3 passes over all files, records emitted (counted as "<Event " in the output), records/s
# and MB/s of input. Both tools run on one core.
#   bench/evtx_bench.sh [DIR_OR_FILES...]    (default ../shared/corpus/evtx/*.evtx)
#   BIN=build/h-evtx/agent/negoheal bench/evtx_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/agent/negoheal}
WORK=$(mktemp -d /tmp/negoheal-evtx-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release --target negoheal >/dev/null; }
command -v evtxexport >/dev/null || { echo "bench: evtxexport not found (apt-get install libevtx-utils)" >&2; exit 1; }

FILES=()
if [ $# -eq 0 ]; then set -- ../shared/corpus/evtx; fi
for a in "$@"; do
  if [ -d "$a" ]; then for f in "$a"/*.evtx; do FILES+=("$f"); done; else FILES+=("$a"); fi
done
[ ${#FILES[@]} -gt 0 ] || { echo "bench: no .evtx files" >&2; exit 1; }
BYTES=0
for f in "${FILES[@]}"; do BYTES=$((BYTES + $(stat -c %s "$f"))); cat "$f" >/dev/null; done

run_negoheal() { for f in "${FILES[@]}"; do taskset -c 0 "$BIN" evtx dump --format xml "$f" 2>/dev/null || true; done; }
# evtxexport exits 1 on the forwarded-event files it cannot read; what it printed still counts.
run_evtxexport() { for f in "${FILES[@]}"; do taskset -c 0 evtxexport -f xml "$f" 2>/dev/null || true; done; }

best() {  # best wall time of 3 runs in seconds; the last run's stdout is kept in $WORK/out
  local b=""
  for _ in 1 2 3; do
    local t0 t1 t
    t0=$(date +%s.%N); "$@" >"$WORK/out"; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
  done
  echo "$b"
}

report() {  # name seconds
  local n; n=$(grep -o '<Event ' "$WORK/out" | wc -l)
  printf '%-12s %8.3f s %9d records %12.0f records/s %8.1f MB/s\n' "$1" "$2" "$n" \
    "$(echo "$n / $2" | bc -l)" "$(echo "$BYTES / 1048576 / $2" | bc -l)"
}

echo "files: ${#FILES[@]}, $(echo "$BYTES / 1048576" | bc -l | xargs printf '%.1f') MB"
T=$(best run_negoheal); report negoheal "$T"
T=$(best run_evtxexport); report evtxexport "$T"
