#!/usr/bin/env bash
# Analytics bench on PostgreSQL. A generated history (50 repositories, 200 people, DAYS days) is stored by a
# web-only server, copied twice, and drained by a worker-only process with analytics off, then on: the drop in
# events/s is the incremental cost. Then the full recompute is timed, an organisation with teams and linked
# identities is set up, and each metrics route is loaded with wrk at RATE requests/s (p50/p99 printed).
# Usage: bench/analytics.sh [DAYS] [PULL_REQUESTS_PER_WEEK]   (defaults 730 and 20: about 1,000,000 deliveries;
#        730 2 gives about 100,000)   Needs wrk, psql, a built jar (./mvnw -DskipTests package -pl server).
# SKIP_GENERATE=1 reuses the drained database of an earlier run (bench_analytics_on) and only times the full
# recompute and the metrics routes; SKIP_OFF=1 drains the analytics-on copy only; SKIP_RECOMPUTE=1 loads the
# routes only; ROUTES= (empty) loads none, ROUTES='summary dora' only those. FORGELINE_ANALYTICS_ANSWERTTL=0s
# measures every read from the database (no answer kept in memory). REUSE_HISTORY=1 drains again the history an
# earlier run stored (bench_analytics) instead of sending a new one: the drains of two builds on the same deliveries.
# ROUNDS=N drains N times (off and on in turn) and prints the mean rates; DATABASE=name keeps the history under
# another name than bench_analytics (e.g. a smaller one beside the large one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
days=${1:-730}; per_week=${2:-20}
rate=${RATE:-200}; seconds=${SECONDS_PER_ROUTE:-20}
port=${PORT:-18094}
base=${DATABASE:-bench_analytics}
token="bench-analytics-admin-$(date +%s)"
secret="bench-analytics-secret"
home=$(mktemp -d)
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop; rm -rf "$home"' EXIT
sql() { psql -h localhost -U postgres -d "$1" -tAc "$2"; }
serve() { # database roles log [extra env...]
  local database=$1 roles=$2 log=$3; shift 3
  env FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/$database FORGELINE_DB_USER=postgres FORGELINE_HOME="$home" \
    FORGELINE_PORT=$port FORGELINE_ADMIN_TOKEN="$token" "$@" "$root/forgeline" serve --roles "$roles" >"$home/$log" 2>&1 &
  pids+=($!)
}
ready() { until curl -sf "http://localhost:$port/actuator/health/readiness" >/dev/null; do sleep 0.2; done; }

if [ "${SKIP_GENERATE:-0}" != 1 ]; then
if [ "${REUSE_HISTORY:-0}" != 1 ]; then
echo "== generating $days days, $per_week pull requests per repository and week" >&2
psql -h localhost -U postgres -d postgres -qc "drop database if exists $base with (force)" -c "create database $base" >/dev/null
serve $base web generate.log FORGELINE_IDENTITY_RATELIMIT_WEBHOOKPERMINUTE=10000000
ready
connection=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"provider\":\"github\",\"name\":\"history\",\"secret\":\"$secret\"}" "http://localhost:$port/api/v1/connections")
cid=$(echo "$connection" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
"$root/forgeline" webhook history --url "http://localhost:$port" --provider github --connection "$cid" --secret "$secret" \
  --owner acme --repositories 50 --people 200 --teams 10 --days "$days" --pull-requests-per-week "$per_week" --concurrency 16 >&2
stop
fi
backlog=$(sql $base "select count(*) from webhook_event where status = 'received'")
echo "backlog: $backlog deliveries" >&2

drain() { # database label [extra env...]
  local database=$1 label=$2; shift 2
  local start end
  start=$(date +%s.%N)
  serve "$database" worker "drain-$label.log" "$@"
  ready
  # Followed through the worker's counter of deliveries done, as in bench/drain.sh: counting a million-row backlog
  # in PostgreSQL every few seconds would load the database being measured. Done once it reaches the backlog, or
  # when nothing moved for 30 s (deliveries that fail every retry; counted below).
  local done=0 now still=0
  while [ "$done" -lt "$backlog" ] && [ "$still" -lt 30 ]; do
    sleep 1
    now=$(curl -sf "http://localhost:$port/actuator/prometheus" \
      | awk '/^forgeline_ingest_events_total\{/ && !/outcome="failed"/ {s += $2} END {printf "%d", s}')
    if [ "$now" -eq "$done" ]; then still=$((still + 1)); else still=0; fi
    done=$now
    printf '\r%s: %d left ' "$label" "$((backlog - done))" >&2
  done
  end=$(date +%s.%N)
  stop
  echo >&2
  local failed; failed=$(sql "$database" "select count(*) from webhook_event where status in ('failed', 'dead')")
  echo "$label $(echo "$backlog / ($end - $start)" | bc) $failed"
}
copies="off on"; [ "${SKIP_OFF:-0}" = 1 ] && copies=on
# ROUNDS=N drains fresh copies N times, off and on in turn, so that a machine whose speed drifts slows both alike.
rounds=${ROUNDS:-1}; sum_off=0; sum_on=0
for round in $(seq 1 "$rounds"); do
  for copy in $copies; do
    psql -h localhost -U postgres -d postgres -qc "drop database if exists ${base}_$copy with (force)" \
      -c "create database ${base}_$copy template $base" >/dev/null
  done
  [ "${SKIP_OFF:-0}" = 1 ] || read -r _ rate_off failed_off < <(drain ${base}_off off FORGELINE_ANALYTICS_ENABLED=false)
  read -r _ rate_on failed_on < <(drain ${base}_on on FORGELINE_ANALYTICS_ENABLED=true)
  [ "$rounds" = 1 ] || echo "round $round: analytics off ${rate_off:-} events/s, on $rate_on events/s" >&2
  sum_off=$((sum_off + ${rate_off:-0})); sum_on=$((sum_on + rate_on))
done
rate_off=$((sum_off / rounds)); rate_on=$((sum_on / rounds))
events=$(sql ${base}_on "select count(*) from webhook_event where status = 'processed'")
if [ "${SKIP_OFF:-0}" = 1 ]; then
  echo "RESULT ingest processing: analytics on $rate_on events/s (failed: $failed_on; $events processed deliveries)"
else
  echo "RESULT ingest processing: analytics off $rate_off events/s, on $rate_on events/s, drop $(echo "scale=1; 100 * ($rate_off - $rate_on) / $rate_off" | bc) % (failed: $failed_off, $failed_on; $events processed deliveries)"
fi
fi
db=${base}_on
sql $db "select 'facts: ' || (select count(*) from an_pull_request) || ' pull requests, ' || (select count(*) from an_response)
  || ' reviews and comments, ' || (select count(*) from an_commit) || ' commits, ' || (select count(*) from an_deployment)
  || ' deployments, ' || (select count(*) from an_incident) || ' incidents; aggregates: ' || (select count(*) from an_person_day)
  || ' person-days, ' || (select count(*) from an_repository_day) || ' repository-days'"

if [ "${SKIP_RECOMPUTE:-0}" != 1 ]; then
echo "== full recompute" >&2
serve $db worker,scheduler recompute.log FORGELINE_JOBS_ANALYTICSRECOMPUTE_SCHEDULE=5s FORGELINE_JOBS_ANALYTICSALERTS_ENABLED=false \
  FORGELINE_JOBS_ANALYTICSSNAPSHOTS_ENABLED=false
waited=0
until grep -q "analytics recomputed in" "$home/recompute.log"; do
  sleep 1; waited=$((waited + 1))
  [ $waited -lt 900 ] || { echo "no recompute after 900 s; see the log:" >&2; tail -20 "$home/recompute.log" >&2; exit 1; }
done
stop
echo "RESULT full recompute: $(grep -o 'analytics recomputed in .*' "$home/recompute.log" | head -1)"
fi

echo "== organisation, people, teams" >&2
cid=$(sql $db "select min(id) from connection")
[ "$(sql $db "select count(*) from organisation where slug = 'acme'")" = 1 ] || psql -h localhost -U postgres -d $db -q <<SQL
insert into organisation (slug, name, kind, created_at) values ('acme', 'Acme', 'team', now());
insert into organisation_connection (connection_id, organisation_id) select $cid, id from organisation where slug = 'acme';
insert into account (username, display_name, created_at)
  select distinct substring(actor from 8), substring(actor from 8), now() from an_person_day where actor like 'github:%';
insert into membership (organisation_id, account_id, role, created_at)
  select o.id, a.id, 'developer', now() from organisation o, account a where o.slug = 'acme' and a.username <> 'admin';
insert into forge_identity_link (account_id, provider, login, created_at)
  select id, 'github', username, now() from account where username <> 'admin';
insert into team (organisation_id, slug, name, created_at)
  select o.id, 'team-' || n, 'Team ' || n, now() from organisation o, generate_series(0, 9) n where o.slug = 'acme';
insert into team_member (team_id, account_id)
  select t.id, a.id from account a join team t on t.slug = 'team-' || (a.id % 10) where a.username <> 'admin';
insert into team_repository (team_id, repository_id)
  select t.id, r.id from repository r join team t on t.slug = 'team-' || (r.id % 10);
SQL
# Planner statistics and no dead rows left by the drain and the recompute, as autovacuum would leave them (it may
# be off on a bench database).
psql -h localhost -U postgres -d $db -qc "vacuum analyze"
person=$(sql $db "select username from account where username <> 'admin' order by id limit 1")
repo=$(sql $db "select min(id) from repository")
to=$(date -u +%F); quarter=$(date -u -d '-89 days' +%F); year=$(date -u -d '-364 days' +%F)

# The rate limit (1,200 calls per token and minute) is off: this measures the reads, not the limiter.
serve $db web api.log FORGELINE_DB_POOLSIZE=20 FORGELINE_IDENTITY_RATELIMIT_ENABLED=false
ready
# wrk waits PACE_MS after each answer on each connection: 16 connections at 80 ms send 200/s less the latency,
# which the pause of the measured run makes up for.
connections=16
pace=$(( connections * 1000 / rate ))
for route in ${ROUTES-summary dora cycle-time daily reliability compliance alerts}; do
  paths="$home/paths-$route"
  : >"$paths"
  case $route in
    compliance) printf '/api/v1/orgs/acme/metrics/compliance\n/api/v1/orgs/acme/metrics/compliance?team=team-3\n' >"$paths" ;;
    alerts) printf '/api/v1/orgs/acme/alerts\n/api/v1/orgs/acme/alerts?status=all\n' >"$paths" ;;
    *)
      for filter in "" "team=team-3" "person=$person" "repository=$repo"; do
        [ "$route" = dora ] && [[ "$filter" == person=* ]] && continue
        for window in "" "from=$quarter&to=$to" "from=$year&to=$to"; do
          echo "/api/v1/orgs/acme/metrics/$route?$filter&$window" >>"$paths"
        done
      done ;;
  esac
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://localhost:$port$(head -1 "$paths")")
  [ "$code" = 200 ] || { echo "$route answered $code" >&2; exit 1; }
  # The server's warm-up: every route for a while before any is measured, as a server that has run for a while.
  PATHS_FILE="$paths" TOKEN="$token" PACE_MS=$pace wrk -t2 -c$connections -d10s -s "$root/bench/metrics.lua" \
    "http://localhost:$port" >/dev/null
done
for route in ${ROUTES-summary dora cycle-time daily reliability compliance alerts}; do
  paths="$home/paths-$route"
  # A pacing run, then the measured run. Each connection's cycle is its pause plus the answer's time, so the pause
  # is shortened by what the pacing run's answers took: the measured run then sends the rate asked for.
  warm=$(PATHS_FILE="$paths" TOKEN="$token" PACE_MS=$pace wrk -t2 -c$connections -d5s -s "$root/bench/metrics.lua" \
    "http://localhost:$port" | awk '/Requests\/sec/ {print $2}')
  paced=$(awk -v p="$pace" -v c="$connections" -v r="$rate" -v a="$warm" \
    'BEGIN { q = a > 0 ? p + 1000 * c * (1 / r - 1 / a) : p; print (q < 1 ? 1 : int(q)) }')
  out=$(PATHS_FILE="$paths" TOKEN="$token" PACE_MS=$paced wrk -t2 -c$connections -d${seconds}s --latency \
    -s "$root/bench/metrics.lua" "http://localhost:$port")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "RESULT metrics/$route: ${rps} requests/s, p50 $p50, p99 $p99, non-2xx ${errors:-0} ($(wc -l <"$paths") filter/window variants)"
done
stop
