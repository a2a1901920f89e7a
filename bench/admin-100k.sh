#!/usr/bin/env bash
# The admin API over 100,000 audit entries: a throwaway PostgreSQL database filled directly with SQL
# (10,000 users, 5 event types, four entries per received_at millisecond so that the cursor's
# tie-break is exercised), the service jar on it (SYNC_STORES=postgres), then the median of 7 timed
# calls of each admin API request and the plan (EXPLAIN ANALYZE) of each SQL statement behind them.
# Stops what it started and drops the database.
#
#   bench/admin-100k.sh [--rows 100000]
#
# Needs target/clerk-sync.jar (mvn package), psql and curl. PGHOST, PGPORT, PGUSER as in .ci/run.
set -euo pipefail

repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
database=clerk_sync_admin_bench
rows=100000
while [[ $# -gt 0 ]]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done

token=bench-admin-token
port=$((20000 + RANDOM % 10000)); management=$((port + 1))
data_dir=$(mktemp -d)
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
service_pid=""
cleanup() {
  [[ -n $service_pid ]] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null
  psql -qX -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

# The service creates the schema (its migrations), then the rows go in behind its back.
DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$database" DATABASE_USER=$PGUSER SYNC_STORES=postgres \
  CLERK_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ADMIN_TOKEN=$token \
  SERVER_PORT=$port MANAGEMENT_PORT=$management CLERK_SYNC_DATA_DIR=$data_dir \
  java -jar "$repo_dir/target/clerk-sync.jar" >"$data_dir/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$management/observe/health" >/dev/null && break
  sleep 0.5
done

psql -qX -v ON_ERROR_STOP=1 -v rows="$rows" -d $database <<'SQL'
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT 'msg_bench_' || lpad(g::text, 7, '0'),
       (ARRAY['user.updated', 'user.created', 'session.created', 'organizationMembership.created', 'email.created'])[1 + g % 5],
       CASE WHEN g % 5 < 2 THEN 'user_' || (g % 10000) ELSE 'x_' || g END,
       'user_' || (g % 10000),
       t, t,
       CASE WHEN g % 50 = 0 THEN 'stale' WHEN g % 5 = 4 THEN 'ignored' ELSE 'applied' END,
       jsonb_build_object('type', 'bench', 'data', jsonb_build_object('id', 'user_' || (g % 10000), 'note', repeat('x', 1500)))
FROM generate_series(1, :rows) AS g,
     LATERAL (SELECT date_trunc('milliseconds', now()) - ((:rows - g) / 4) * interval '7 seconds') AS at(t);
INSERT INTO users (id, email, first_name, created_at, updated_at, last_event_at, last_event_id, data)
SELECT 'user_' || u, 'user' || u || '@example.com', 'Name ' || u, now(), now(), now(), 'msg_bench_x',
       jsonb_build_object('id', 'user_' || u)
FROM generate_series(0, 9999) AS u;
INSERT INTO organization_memberships (id, organization_id, user_id, role, last_event_at, last_event_id)
SELECT 'orgmem_' || u, 'org_' || (u % 100), 'user_' || u, 'org:member', now(), 'msg_bench_x'
FROM generate_series(0, 9999) AS u;
-- Vacuumed as autovacuum would leave it: the visibility map lets index-only scans skip the table.
VACUUM ANALYZE;
SQL

api() { curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "http://127.0.0.1:$management$1"; }
median_ms() {
  api "$1" >/dev/null
  for _ in 1 2 3 4 5 6 7; do api "$1"; done | sort -n | sed -n 4p | awk '{printf "%.1f", $1 * 1000}'
}
mid_id=$(printf 'msg_bench_%07d' $((rows / 2)))
mid_at=$(psql -qXtA -d $database -c "SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM audit_log WHERE event_id = '$mid_id'")
cursor=$(printf '%s|%s' "$mid_at" "$mid_id" | base64 -w0 | tr '+/' '-_' | tr -d '=')

echo "| request | median of 7 (ms) | answer |"
echo "| --- | --- | --- |"
for path in "/admin/api/deliveries" "/admin/api/deliveries?limit=200" "/admin/api/deliveries?before=$cursor" \
    "/admin/api/deliveries?subject=user_40" "/admin/api/deliveries?user=user_40" \
    "/admin/api/deliveries?type=user.created" "/admin/api/deliveries?outcome=stale" \
    "/admin/api/deliveries?type=email.created&outcome=stale" \
    "/admin/api/deliveries/$mid_id" "/admin/api/records/user_40" "/admin/api/records/orgmem_40" "/admin/api/status"; do
  count=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$management$path" \
    | python3 -c 'import json,sys; a=json.load(sys.stdin); print(len(a["deliveries"]) if "deliveries" in a else ("kind " + a["kind"] if "kind" in a else "ok"))')
  echo "| \`${path/$cursor/<cursor of entry $((rows / 2))>}\` | $(median_ms "$path") | $count |"
done

echo
echo "Plans (EXPLAIN ANALYZE) of the statements behind them, scan nodes only:"
explain() {
  echo "- $1"
  psql -qXtA -d $database -c "EXPLAIN ANALYZE $2" | grep -E 'Scan|Sort|Limit|Execution' | sed 's/^ */    /' | head -n 6
}
cols="event_id, event_type, subject_id, user_id, event_at, received_at, outcome"
newest="ORDER BY received_at DESC, event_id DESC LIMIT 51"
explain "newest 50" "SELECT $cols FROM audit_log WHERE 1 = 1 $newest"
explain "before a cursor" "SELECT $cols FROM audit_log WHERE (received_at, event_id) < ('$mid_at', '$mid_id') $newest"
explain "subject" "SELECT $cols FROM audit_log WHERE subject_id = 'user_40' $newest"
explain "type" "SELECT $cols FROM audit_log WHERE event_type = 'user.created' $newest"
explain "type and outcome, no match" "SELECT $cols FROM audit_log WHERE event_type = 'email.created' AND outcome = 'stale' $newest"
explain "a record's deliveries" "SELECT $cols FROM audit_log WHERE (subject_id = 'user_40' OR user_id = 'user_40') $newest"
explain "status, last day" "SELECT outcome, COUNT(*) FROM audit_log WHERE received_at >= now() - interval '1 day' GROUP BY outcome"
explain "memberships of a user" "SELECT * FROM organization_memberships WHERE user_id = 'user_40' ORDER BY id"
