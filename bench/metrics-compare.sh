#!/usr/bin/env bash
# Compares the metrics reads of two builds on one database, one request at a time, alternating between the two
# servers so that a busy machine slows both alike. Each server answers every filter/window variant of each route
# REPEAT times (after one warm-up pass); prints the median and the 90th percentile of curl's total time per route.
# Usage: bench/metrics-compare.sh OTHER_CHECKOUT [DATABASE]   (default bench_analytics_on, as bench/analytics.sh
#        leaves it). Both checkouts need a built jar. Extra server settings for this checkout's server only:
#        THIS_ENV='FORGELINE_ANALYTICS_ANSWERTTL=0s' (e.g. to compare reads computed every time); OTHER_ENV likewise
#        for the other checkout's server.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
other=$(cd "$1" && pwd); db=${2:-bench_analytics_on}
repeat=${REPEAT:-10}
token="bench-compare-admin-$(date +%s)"
home=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$home"' EXIT
sql() { psql -h localhost -U postgres -d "$db" -tAc "$1"; }
serve() { # checkout port [env...]
  local checkout=$1 port=$2; shift 2
  env FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/$db FORGELINE_DB_USER=postgres FORGELINE_HOME="$home/$port" \
    FORGELINE_PORT=$port FORGELINE_ADMIN_TOKEN="$token" FORGELINE_IDENTITY_RATELIMIT_ENABLED=false "$@" \
    "$checkout/forgeline" serve --roles web >"$home/$port.log" 2>&1 &
  pids+=($!)
}
mkdir -p "$home/18097" "$home/18098"
# shellcheck disable=SC2086 # THIS_ENV is a list of settings
serve "$root" 18097 ${THIS_ENV:-}
# shellcheck disable=SC2086
serve "$other" 18098 ${OTHER_ENV:-}
for port in 18097 18098; do
  until curl -sf "http://localhost:$port/actuator/health/readiness" >/dev/null; do sleep 0.5; done
done
person=$(sql "select username from account where username <> 'admin' order by id limit 1")
repo=$(sql "select min(id) from repository")
to=$(date -u +%F); quarter=$(date -u -d '-89 days' +%F); year=$(date -u -d '-364 days' +%F)
time_of() { curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://localhost:$1$2"; }
stats() { sort -n | awk '{v[NR]=$1} END {printf "p50 %.1f ms, p90 %.1f ms", 1000*v[int((NR+1)/2)], 1000*v[int(NR*0.9+0.5)]}'; }
for route in ${ROUTES-summary dora cycle-time daily reliability}; do
  paths=()
  for filter in "" "team=team-3" "person=$person" "repository=$repo"; do
    [ "$route" = dora ] && [[ "$filter" == person=* ]] && continue
    for window in "" "from=$quarter&to=$to" "from=$year&to=$to"; do
      paths+=("/api/v1/orgs/acme/metrics/$route?$filter&$window")
    done
  done
  : >"$home/this"; : >"$home/other"
  for round in $(seq 0 "$repeat"); do
    for path in "${paths[@]}"; do
      a=$(time_of 18097 "$path"); b=$(time_of 18098 "$path")
      if [ "$round" -gt 0 ]; then echo "$a" >>"$home/this"; echo "$b" >>"$home/other"; fi
    done
  done
  echo "RESULT metrics/$route: this $(stats <"$home/this"); other $(stats <"$home/other") (${#paths[@]} variants x $repeat)"
done
