#!/usr/bin/env bash
# Drain bench on a realistic backlog: a generated history (50 repositories, 200 people, a year of pull requests,
# reviews, comments, pipelines, deployments and incidents; about 100,000 deliveries) is sent to a web-only server
# on PostgreSQL, which stores it unprocessed; then bench/drain.sh times a worker-only process working through it.
# Usage: bench/drain-history.sh [DAYS] [PULL_REQUESTS_PER_WEEK]   (defaults 365 and 4)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
days=${1:-365}; per_week=${2:-4}
port=${PORT:-18092}
database=bench_history
token="bench-admin-token-$(date +%s)"
secret="bench-history-secret"
psql -h localhost -U postgres -d test -qc "drop database if exists $database with (force)" -c "create database $database" >/dev/null
home=$(mktemp -d)
# The sender goes faster than the default per-connection webhook limit (2,000/s): raised, as a backlog being stored.
FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/$database FORGELINE_DB_USER=postgres FORGELINE_HOME="$home" \
  FORGELINE_IDENTITY_RATELIMIT_WEBHOOKPERMINUTE=10000000 \
  FORGELINE_PORT=$port FORGELINE_ADMIN_TOKEN="$token" "$root/forgeline" serve --roles web >"$home/server.log" 2>&1 &
server=$!
# Only the process this script started is stopped: another Forgeline on the machine is left alone.
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap 'stop_server; rm -rf "$home"' EXIT
until curl -sf "http://localhost:$port/actuator/health/readiness" >/dev/null; do sleep 0.2; done
connection=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"provider\":\"github\",\"name\":\"history\",\"secret\":\"$secret\"}" "http://localhost:$port/api/v1/connections")
id=$(echo "$connection" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
"$root/forgeline" webhook history --url "http://localhost:$port" --provider github --connection "$id" --secret "$secret" \
  --owner acme --repositories 50 --people 200 --teams 10 --days "$days" --pull-requests-per-week "$per_week" --concurrency 16
stop_server
psql -h localhost -U postgres -d "$database" -tAc \
  "select event_type, count(*) from webhook_event group by event_type order by 2 desc" | sed 's/^/backlog: /'
"$root/bench/drain.sh" "$database"
psql -h localhost -U postgres -d "$database" -tAc "select 'model: ' || (select count(*) from pull_request) || ' pull requests, '
  || (select count(*) from review) || ' reviews, ' || (select count(*) from git_commit) || ' commits, '
  || (select count(*) from deployment) || ' deployments, ' || (select count(*) from forge_user) || ' forge users'"
