#!/usr/bin/env bash
# Start-up bench: `./forgeline serve` from a built jar to readiness UP on the embedded database, five
# times on a fresh data folder (first start: migrations run) and five times on an existing one; then
# the resident memory of the idle server. Prints the median of each.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port=${PORT:-18080}
"$root/forgeline" --version >/dev/null   # builds the jar and its start-up cache if needed

server=""
seconds=""
measure() {  # $1 = data folder; sets $seconds to the time to readiness UP and $server to the process started
  local start end
  start=$(date +%s%N)
  FORGELINE_HOME="$1" FORGELINE_PORT=$port "$root/forgeline" serve >"$1.log" 2>&1 &
  server=$!
  until curl -sf "http://localhost:$port/actuator/health/readiness" >/dev/null; do sleep 0.02; done
  end=$(date +%s%N)
  seconds=$(echo "scale=2; ($end - $start) / 1000000000" | bc)
}

# Only the process this script started is stopped (the launcher execs the JVM, so its PID is the server's).
stop() { [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }; }
trap stop EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

work=$(mktemp -d)
fresh=(); warm=()
for i in 1 2 3 4 5; do
  measure "$work/fresh$i"; fresh+=("$seconds"); stop
done
for i in 1 2 3 4 5; do
  measure "$work/fresh1"; warm+=("$seconds")
  if [ "$i" -lt 5 ]; then stop; fi
done
sleep 10
rss_kb=$(ps -o rss= -p "$server")
stop
echo "start to readiness UP, fresh data folder (s): ${fresh[*]}"
echo "start to readiness UP, existing data (s):     ${warm[*]}"
echo "RESULT startup_fresh_median=$(printf '%s\n' "${fresh[@]}" | median)s startup_existing_median=$(printf '%s\n' "${warm[@]}" | median)s idle_rss=$((rss_kb / 1024))MB"
rm -rf "$work"
