#!/usr/bin/env bash
# The shipped systemd unit, pointed at the built binary, passes `systemd-analyze verify` with no
# warning. Exit 77 (skipped) where systemd-analyze is not installed.
#   verify_systemd_unit.sh UNIT BINARY WORK_DIR
set -euo pipefail
unit=$1 binary=$2 work=$3
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }
mkdir -p "$work"
sed "s#/usr/local/bin/negoheal#$binary#" "$unit" >"$work/negoheal.service"
out=$(systemd-analyze verify "$work/negoheal.service" 2>&1) || { echo "$out"; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify warned:"; echo "$out"; exit 1; }
echo "ok"
