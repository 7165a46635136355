#!/usr/bin/env bash
# Webhook accept bench: signed 7 KB GitHub push deliveries through wrk (64 connections, 60 s by default)
# against a server with the web role only, so the figure is the accept path (verify, store, queue, 202).
# In the same run, after the clean load, a redelivery storm: the same load where every delivery id is sent
# twice at about the same moment (half the deliveries are repeats, answered 200 duplicate); it prints both
# rates and their ratio (REDELIVERIES=0 leaves the storm out).
# Usage: bench/webhook-accept.sh [postgres|h2] [SECONDS]   (needs wrk: apt-get install wrk)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
database=${1:-postgres}; seconds=${2:-60}
port=${PORT:-18090}
token="bench-admin-token-$(date +%s)"
secret="bench-webhook-secret"
payload="$root/server/src/test/resources/webhooks/github/push/payload.json"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }

home=$(mktemp -d)
env_db=()
if [ "$database" = postgres ]; then
  psql -h localhost -U postgres -d test -qc "drop database if exists bench_accept with (force)" -c "create database bench_accept" >/dev/null
  env_db=(FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/bench_accept FORGELINE_DB_USER=postgres)
fi
# The limiter still runs on every delivery; its ceiling is raised so that the figure is the accept path's, not the
# default per-connection limit's (2,000/s, far above what a forge sends).
env "${env_db[@]}" FORGELINE_IDENTITY_RATELIMIT_WEBHOOKPERMINUTE="${WEBHOOK_PER_MINUTE:-10000000}" FORGELINE_DB_POOLSIZE="${FORGELINE_DB_POOLSIZE:-20}" FORGELINE_HOME="$home" FORGELINE_PORT=$port FORGELINE_ADMIN_TOKEN="$token" \
  "$root/forgeline" serve --roles "${ROLES:-web}" >"$home/server.log" 2>&1 &
# env and the launcher exec the server: this is its process id. Only it is stopped, not other servers on the machine.
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$home"' EXIT
until curl -sf "http://localhost:$port/actuator/health/readiness" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { echo "the server stopped:" >&2; tail -20 "$home/server.log" >&2; exit 1; }
  sleep 0.2
done

connection=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"provider\":\"github\",\"name\":\"bench\",\"secret\":\"$secret\"}" "http://localhost:$port/api/v1/connections")
id=$(echo "$connection" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
signature="sha256=$(openssl dgst -sha256 -hmac "$secret" -r "$payload" | cut -d' ' -f1)"
stored() {
  if [ "$database" = postgres ]; then psql -h localhost -U postgres -d bench_accept -tAc 'select count(*) from webhook_event'; fi
}
# load LABEL COPIES DURATION [wrk options]: one wrk run, its RESULT line on stdout.
load() {
  local label=$1 copies=$2 duration=$3; shift 3
  PAYLOAD="$payload" SIGNATURE="$signature" WEBHOOK_PATH="/api/v1/webhooks/github/$id" RUN="$label$(date +%s%N)" \
    LABEL="$label " COPIES="$copies" \
    wrk -t2 -c64 -d"$duration" "$@" -s "$root/bench/webhook-accept.lua" "http://localhost:$port" | tail -1
}
# Warm-up: let the JIT compile the request path before measuring (results discarded). On two cores under this
# load the compiler is busy for about 40 s; measured after 15 s, its work showed as a p99 of 72 ms, after 45 s 27 ms.
load warmup 1 "${WARMUP:-45}s" >/dev/null
echo "accept bench on $database, roles ${ROLES:-web}, $(wc -c <"$payload") byte payload, 64 connections, ${seconds}s"
before=$(stored)
clean=$(load clean 1 "${seconds}s" --latency)
echo "$clean"
[ "$database" = postgres ] && echo "stored: $(( $(stored) - before )) events"
if [ "${REDELIVERIES:-1}" != 0 ]; then
  before=$(stored)
  storm=$(load redeliveries 2 "${seconds}s" --latency)
  echo "$storm"
  [ "$database" = postgres ] && echo "stored: $(( $(stored) - before )) events (each delivery id once)"
  rate() { sed -n 's/.* rate=\([0-9]*\)\/s.*/\1/p' <<<"$1"; }
  awk -v clean="$(rate "$clean")" -v storm="$(rate "$storm")" \
    'BEGIN { printf "RESULT redelivery storm: %d/s against %d/s clean, ratio %.2f (target >= 0.8)\n", storm, clean, storm / clean }'
fi
