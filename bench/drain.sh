#!/usr/bin/env bash
# Drain bench: a worker-only process works through a backlog of stored, unprocessed webhook events on
# PostgreSQL; prints the rate from its start to an empty backlog. The backlog is what bench/webhook-accept.sh
# stored (a web-only server stores but does not process): run that first, e.g. for 60 s (~170,000 events).
# Usage: bench/drain.sh [DATABASE]   (default bench_accept)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
database=${1:-bench_accept}
sql() { psql -h localhost -U postgres -d "$database" -tAc "$1"; }
backlog=$(sql "select count(*) from webhook_event where status = 'received'")
[ "$backlog" -gt 0 ] || { echo "no backlog in $database: run bench/webhook-accept.sh first" >&2; exit 2; }
home=$(mktemp -d)
start=$(date +%s.%N)
FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/$database FORGELINE_DB_USER=postgres FORGELINE_HOME="$home" \
  FORGELINE_PORT=${PORT:-18091} "$root/forgeline" serve --roles worker >"$home/worker.log" 2>&1 &
worker=$!
# Only the process this script started is stopped: another Forgeline on the machine is left alone.
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true; rm -rf "$home"' EXIT
until curl -sf "http://localhost:${PORT:-18091}/actuator/health/readiness" >/dev/null; do sleep 0.2; done
ready=$(date +%s.%N)
at_ready=$(sql "select count(*) from webhook_event where status = 'received'")
# Polled through the worker's own counter of deliveries done: a count of the backlog in PostgreSQL would be a scan
# every second (about 0.1 s at 100,000 rows), work the measured system would do for the bench.
done_so_far() {
  curl -sf "http://localhost:${PORT:-18091}/actuator/prometheus" \
    | awk '/^forgeline_ingest_events_total\{/ && !/outcome="failed"/ {s += $2} END {printf "%d", s}'
}
# The counter starts with the worker, and the backlog was counted before: done once it reaches the backlog, or when
# nothing moved for 30 s (deliveries that fail every retry; the failed count below shows them).
done=0; still=0
while [ "$done" -lt "$backlog" ] && [ "$still" -lt 30 ]; do
  sleep 1
  now=$(done_so_far)
  if [ "$now" -eq "$done" ]; then still=$((still + 1)); else still=0; fi
  done=$now
  printf '\r%d of %d left ' "$((backlog - done))" "$backlog" >&2
done
end=$(date +%s.%N)
echo >&2
failed=$(sql "select count(*) from webhook_event where status in ('failed', 'dead')")
echo "RESULT drained=$backlog seconds=$(echo "$end - $start" | bc) rate=$(echo "$backlog / ($end - $start)" | bc)/s failed=$failed (includes process start)"
echo "RESULT postgres autovacuum=$(sql "show autovacuum") (PostgreSQL ships with it on; off leaves the planner without statistics on tables that grow during the drain)"
echo "RESULT once ready: $at_ready events in $(echo "$end - $ready" | bc) s = $(echo "$at_ready / ($end - $ready)" | bc)/s"
