#!/usr/bin/env bash
# Heavy deletions while other deliveries arrive (issue: "heavy deletions that stall nothing"): the
# service on PostgreSQL and a MongoDB-wire server; an organization with N memberships and a user
# with M audit entries seeded into both stores; their deletions sent while 4 workers send other
# users' updates. Prints each deletion's answer and time, the other deliveries' times, how long the
# chunks after the answer took, and whether anything was left live or un-erased. Stops what it started.
#
#   bench/heavy-deletions.sh [--memberships 20000] [--audit-entries 100000] [--out DIR]
#
# Environment: SERVICE_ENV (extra variables for the service, e.g. "SYNC_CASCADE_INLINE_LIMIT=5000"),
# PROBE_CONCURRENCY (workers sending other deliveries meanwhile, default 4),
# MVN_FLAGS (default -q -B), PGHOST, PGPORT, PGUSER (default 127.0.0.1, 5432, postgres).
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
bench_jar=$bench_dir/target/clerk-sync-bench.jar
service_jar=$repo_dir/target/clerk-sync.jar
read -r -a mvn_flags <<< "${MVN_FLAGS:--q -B}"
read -r -a service_env <<< "${SERVICE_ENV:-}"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
database=clerk_sync_heavy_bench
secret=whsec_$(head -c 24 /dev/urandom | base64)

memberships=20000 entries=100000 out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --memberships) memberships=$2; shift 2 ;;
    --audit-entries) entries=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
out=${out:-$bench_dir/target/runs/$(date +%Y%m%d-%H%M%S)-heavy-deletions}
mkdir -p "$out"

source "$bench_dir/processes.sh"
build_jars

psql -qX -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database" >/dev/null
mongo_port=$(free_port)
java -Xmx6g -jar "$bench_jar" mongo-server "$mongo_port" > "$out/mongo-server.log" 2>&1 &
pids+=($!)
await_port "$mongo_port" 60
port=$(free_port) management_port=$(free_port)
(cd "$repo_dir" && exec env CLERK_WEBHOOK_SECRET="$secret" SERVER_PORT="$port" MANAGEMENT_PORT="$management_port" \
  DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$database" DATABASE_USER="$PGUSER" \
  MONGODB_URI="mongodb://127.0.0.1:$mongo_port" MONGODB_DATABASE=bench WEBHOOK_RATE_LIMIT=0 "${service_env[@]}" \
  java -jar "$service_jar" > "$out/service.log" 2>&1) &
pids+=($!)
await_port "$port" 60

java -jar "$bench_jar" heavy-deletions --url "http://127.0.0.1:$port/api/webhooks/clerk" --secret "$secret" \
  --postgres-url "jdbc:postgresql://$PGHOST:$PGPORT/$database" --postgres-user "$PGUSER" \
  --mongodb-uri "mongodb://127.0.0.1:$mongo_port" --mongodb-database bench \
  --memberships "$memberships" --audit-entries "$entries" --concurrency "${PROBE_CONCURRENCY:-4}" | tee "$out/probe.txt"
status=${PIPESTATUS[0]}
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
exit "$status"
