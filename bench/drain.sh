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
trap 'pkill -f "forgeline-exec.jar serve" || true; rm -rf "$home"' EXIT
start=$(date +%s.%N)
FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/$database FORGELINE_DB_USER=postgres FORGELINE_HOME="$home" \
  FORGELINE_PORT=${PORT:-18091} "$root/forgeline" serve --roles worker >"$home/worker.log" 2>&1 &
until curl -sf "http://localhost:${PORT:-18091}/actuator/health/readiness" >/dev/null; do sleep 0.2; done
ready=$(date +%s.%N)
at_ready=$(sql "select count(*) from webhook_event where status = 'received'")
left=$backlog
while [ "$left" -gt 0 ]; do
  sleep 1
  left=$(sql "select count(*) from webhook_event where status = 'received'")
  printf '\r%d of %d left ' "$left" "$backlog" >&2
done
end=$(date +%s.%N)
echo >&2
failed=$(sql "select count(*) from webhook_event where status in ('failed', 'dead')")
echo "RESULT drained=$backlog seconds=$(echo "$end - $start" | bc) rate=$(echo "$backlog / ($end - $start)" | bc)/s failed=$failed (includes process start)"
echo "RESULT once ready: $at_ready events in $(echo "$end - $ready" | bc) s = $(echo "$at_ready / ($end - $ready)" | bc)/s"
