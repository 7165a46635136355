#!/usr/bin/env bash
# Dashboard pages on the demo data: server render time of every page (p50, p95 over REQUESTS requests each,
# after a warm-up), and what a first visit to the overview transfers (HTML, CSS, JavaScript, with compression
# as the browser asks for it). Starts `./forgeline demo` on a fresh data folder unless URL is given.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-200}
TOKEN=${FORGELINE_ADMIN_TOKEN:-bench-pages-admin-token-0123456789}
URL=${URL:-}
pid=""
if [ -z "$URL" ]; then
  port=$((20000 + RANDOM % 20000))
  home=$(mktemp -d)
  trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$home"' EXIT
  FORGELINE_ADMIN_TOKEN=$TOKEN ./forgeline demo --port "$port" --home "$home" >"$home/demo.log" 2>&1 &
  pid=$!
  URL="http://localhost:$port"
  echo "bench: filling the demo (a few minutes)…"
  until grep -q "Demo ready" "$home/demo.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$home/demo.log" >&2; exit 1; }
    sleep 2
  done
  # Let the workers finish the backlog so that the pages read a settled model.
  until curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/events?status=received&limit=1" | grep -q '"items":\[\]'; do sleep 2; done
fi
auth=(-H "Authorization: Bearer $TOKEN")
org_repo=$(curl -sf "${auth[@]}" "$URL/orgs/acme" | grep -o '/orgs/acme/repositories/[0-9]*' | head -1)
team=$(curl -sf "${auth[@]}" "$URL/orgs/acme" | grep -o '/orgs/acme/teams/[a-z0-9-]*' | head -1)
person=$(curl -sf "${auth[@]}" "$URL/orgs/acme/members" | grep -o '/orgs/acme/people/[0-9]*' | head -1)
pages=(/orgs/acme /orgs/se-course "$team" "$person" "$org_repo" /orgs/acme/members /admin/connections /admin/jobs /admin/audit /tokens /connect)

worst=0
for page in "${pages[@]}"; do
  for _ in $(seq 1 20); do curl -s -o /dev/null "${auth[@]}" "$URL$page"; done
  times=$(for _ in $(seq 1 "$REQUESTS"); do curl -s -o /dev/null -w '%{time_total}\n' "${auth[@]}" "$URL$page"; done | sort -n)
  p50=$(echo "$times" | awk -v n="$REQUESTS" 'NR==int(n*0.50){printf "%.1f", $1*1000}')
  p95=$(echo "$times" | awk -v n="$REQUESTS" 'NR==int(n*0.95){printf "%.1f", $1*1000}')
  printf '%-34s p50 %6s ms   p95 %6s ms\n' "$page" "$p50" "$p95"
  worst=$(awk -v a="$worst" -v b="$p95" 'BEGIN{print (b>a)?b:a}')
done

total=0
html_bytes=$(curl -s -o /dev/null -w '%{size_download}' --compressed "${auth[@]}" "$URL/orgs/acme")
total=$html_bytes
for asset in $(curl -s "${auth[@]}" "$URL/orgs/acme" | grep -o '\(href\|src\)="/\(css\|js\|webjars\)/[^"]*"' | sed 's/.*="\(.*\)"/\1/'); do
  bytes=$(curl -s -o /dev/null -w '%{size_download}' --compressed -H 'Accept-Encoding: gzip' "${auth[@]}" "$URL$asset")
  printf '  %-50s %8d bytes\n' "$asset" "$bytes"
  total=$((total + bytes))
done
printf '  %-50s %8d bytes\n' "overview HTML" "$html_bytes"
echo "RESULT pages: worst p95 ${worst} ms over ${#pages[@]} pages; overview first visit transfers $((total / 1024)) KB"
