#!/usr/bin/env bash
# e2e: `negoheal probe` against real xrdp (the lab's target, ../shared/lab) with
# security_layer rdp|tls|negotiate, each expected to classify as rdp-only|tls-required|negotiate
# within a bounded time. Exit 77 (ctest SKIP_RETURN_CODE) when the lab is absent or its packages
# cannot be installed. Loopback only; only the xrdp this script starts is stopped, by PID.
#
#   probe_lab.sh NEGOHEAL_BINARY NEGOHEAL_SOURCE_DIR
set -u
NEGOHEAL=$1
SRC=$2
LABSH="$SRC/../shared/lab/lab.sh"
SKIP=77
PROBE_TIMEOUT_S=3
# Three requests at most, each under the probe's own deadline, plus process start-up.
BOUND_MS=$(( (3 * PROBE_TIMEOUT_S + 2) * 1000 ))

[ -f "$LABSH" ] || { echo "SKIP: no lab script at $LABSH"; exit $SKIP; }
[ -x "$NEGOHEAL" ] || { echo "FAIL: no negoheal binary at $NEGOHEAL"; exit 1; }

LAB=$(mktemp -d "${TMPDIR:-/tmp}/negoheal-e2e-probe.XXXXXX")
export LAB
XRDP_PID=""
stop_xrdp() {
  [ -n "$XRDP_PID" ] || return 0
  if kill -0 "$XRDP_PID" 2>/dev/null; then
    kill -TERM "$XRDP_PID"
    # xrdp --nodaemon exits on SIGTERM (lab/README §5.8); KILL only if it is still there after 5 s.
    timeout 5 tail --pid="$XRDP_PID" -f /dev/null || kill -KILL "$XRDP_PID" 2>/dev/null
    wait "$XRDP_PID" 2>/dev/null
  fi
  XRDP_PID=""
}
cleanup() { stop_xrdp; rm -rf "$LAB"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! bash "$LABSH" install >"$LAB/install.log" 2>&1; then
  echo "SKIP: the lab packages cannot be installed (see below)"
  tail -20 "$LAB/install.log"
  exit $SKIP
fi
command -v xrdp >/dev/null && [ -f /etc/xrdp/xrdp.ini ] || { echo "SKIP: xrdp is not installed"; exit $SKIP; }
command -v ss >/dev/null || { echo "SKIP: ss (iproute2) is missing"; exit $SKIP; }

free_port() {
  local p
  for _ in $(seq 50); do
    p=$(( 40000 + RANDOM % 20000 ))
    ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return 0; }
  done
  return 1
}

# Follows a log as it is written (tail -F, no polling loop) until a line matches; 10 s at most.
wait_for_line() {  # file pattern
  local fifo="$LAB/.follow" tail_pid rc
  rm -f "$fifo"; mkfifo "$fifo"
  tail -F -n +1 "$1" >"$fifo" 2>/dev/null &
  tail_pid=$!
  timeout 10 grep -q -m1 -- "$2" <"$fifo"
  rc=$?
  kill "$tail_pid" 2>/dev/null
  wait "$tail_pid" 2>/dev/null
  rm -f "$fifo"
  return $rc
}

# Mirrors lab.sh start_xrdp: the packaged xrdp.ini, on loopback, with the wanted security_layer,
# threads instead of fork (one PID to stop), logs in $LAB. Ready = xrdp logged that it listens.
start_xrdp() {  # layer port
  local layer=$1 port=$2 ini="$LAB/xrdp-$1.ini" log="$LAB/xrdp-$1.log"
  sed -e "s|^port=3389|port=tcp://127.0.0.1:$port|" \
      -e "s|^security_layer=.*|security_layer=$layer|" \
      -e "s|^fork=true|fork=false|" \
      -e "s|^LogFile=.*|LogFile=$log|" \
      -e "s|^LogLevel=.*|LogLevel=DEBUG|" \
      -e "s|^EnableSyslog=true|EnableSyslog=false|" /etc/xrdp/xrdp.ini >"$ini"
  : >"$log"
  xrdp --nodaemon --config "$ini" >>"$LAB/xrdp-$layer.stdout" 2>&1 &
  XRDP_PID=$!
  if ! wait_for_line "$log" "listening to port $port"; then
    echo "xrdp ($layer) did not start listening on $port"
    cat "$LAB/xrdp-$layer.stdout" "$log" | tail -20
    return 1
  fi
}

now_ms() { date +%s%3N; }

failures=0
check_layer() {  # layer expected_posture expected_explains
  local layer=$1 want=$2 explains=$3 port out t0 t1 rc
  port=$(free_port) || { echo "FAIL: no free port"; failures=$((failures + 1)); return; }
  start_xrdp "$layer" "$port" || { failures=$((failures + 1)); stop_xrdp; return; }
  t0=$(now_ms)
  out=$(timeout 60 "$NEGOHEAL" probe "127.0.0.1:$port" --timeout "${PROBE_TIMEOUT_S}s" --json)
  rc=$?
  t1=$(now_ms)
  stop_xrdp
  local verdict=ok
  [ "$rc" = 0 ] || verdict="exit $rc"
  case $out in *"\"posture\":\"$want\""*) ;; *) verdict="posture is not $want" ;; esac
  case $out in *"\"explains_nego_failure\":$explains"*) ;; *) verdict="explains_nego_failure is not $explains" ;; esac
  [ $((t1 - t0)) -lt "$BOUND_MS" ] || verdict="took $((t1 - t0)) ms (bound $BOUND_MS ms)"
  if [ "$verdict" = ok ]; then
    echo "ok: security_layer=$layer -> $want in $((t1 - t0)) ms"
  else
    echo "FAIL: security_layer=$layer: $verdict"
    failures=$((failures + 1))
  fi
  echo "    $out"
}

check_layer rdp rdp-only true
check_layer tls tls-required false
check_layer negotiate negotiate false
[ "$failures" = 0 ] || { echo "$failures layer(s) failed"; exit 1; }
