#!/usr/bin/env bash
# The backfill benchmark: `backfill --users --rate 0` of the service jar, from a local stand-in of
# Clerk's Backend API serving N users, into PostgreSQL and a MongoDB-wire server. Prints users/s
# (applied / the run's own seconds) and the backfill process's peak RSS; stops what it started.
#
#   bench/backfill.sh [--users 100000] [--out DIR]
#
# Environment: SERVICE_JAVA_OPTS (extra JVM options of the backfill), MVN_FLAGS (default -q -B),
# PGHOST, PGPORT, PGUSER (default 127.0.0.1, 5432, postgres).
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
bench_jar=$bench_dir/target/clerk-sync-bench.jar
service_jar=$repo_dir/target/clerk-sync.jar
read -r -a mvn_flags <<< "${MVN_FLAGS:--q -B}"
read -r -a service_java_opts <<< "${SERVICE_JAVA_OPTS:-}"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
database=clerk_sync_backfill_bench

users=100000 out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --users) users=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
out=${out:-$bench_dir/target/runs/$(date +%Y%m%d-%H%M%S)-backfill-$users}
mkdir -p "$out"

source "$bench_dir/processes.sh"
build_jars

psql -qX -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database" >/dev/null
mongo_port=$(free_port)
java -Xmx4g -jar "$bench_jar" mongo-server "$mongo_port" > "$out/mongo-server.log" 2>&1 &
pids+=($!)
mongo_pid=$!
clerk_port=$(free_port)
java -jar "$bench_jar" fake-clerk "$clerk_port" --users "$users" > "$out/fake-clerk.log" 2>&1 &
pids+=($!)
await_port "$mongo_port"
await_port "$clerk_port"

# CPU seconds (user + system) of a process and of the children it has waited for: the postmaster's
# children are the backends, which exit (and are counted) when the backfill closes its connections.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"; }
postmaster=$(head -n 1 "$(psql -qXtA -d postgres -c 'SHOW data_directory')/postmaster.pid" 2>/dev/null || true)
postgres_cpu_before=$([[ -n $postmaster ]] && cpu_seconds "$postmaster" || echo "")
clerk_pid=${pids[-1]}

echo "backfill of $users users into PostgreSQL ($database) and MongoDB (127.0.0.1:$mongo_port)"
# GNU time reports the process's peak RSS ("Maximum resident set size", in KiB).
(cd "$out" && env CLERK_SECRET_KEY=sk_test_bench CLERK_API_URL="http://127.0.0.1:$clerk_port/v1" \
  DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$database" DATABASE_USER="$PGUSER" \
  MONGODB_URI="mongodb://127.0.0.1:$mongo_port" MONGODB_DATABASE=bench SYNC_STORES="${SYNC_STORES:-postgres,mongodb}" \
  /usr/bin/time -v -o "$out/time.txt" java "${service_java_opts[@]}" -jar "$service_jar" backfill --users --rate 0 \
  > "$out/summary.json" 2> "$out/backfill.log") || { echo "backfill failed: see $out/backfill.log" >&2; exit 1; }

summary=$(tail -n 1 "$out/summary.json")
applied=$(grep -o '"users":{[^}]*}' <<< "$summary" | grep -o '"applied":[0-9]*' | cut -d: -f2)
seconds=$(grep -o '"seconds":[0-9.]*' <<< "$summary" | cut -d: -f2)
rss_kib=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$out/time.txt")
rows=$(psql -qXtA -d "$database" -c "SELECT count(*) FROM users")
echo "summary: $summary"
echo "users applied: $applied in $seconds s = $(awk -v a="$applied" -v s="$seconds" 'BEGIN { printf "%.0f", a / s }') users/s"
echo "peak RSS of the backfill process: $((rss_kib / 1024)) MiB; users rows in PostgreSQL: $rows"
backfill_cpu=$(awk -F: '/(User|System) time/ { s += $2 } END { printf "%.1f", s }' "$out/time.txt")
postgres_cpu=$([[ -n $postgres_cpu_before ]] && awk -v a="$(cpu_seconds "$postmaster")" -v b="$postgres_cpu_before" 'BEGIN { printf "%.1f", a - b }' || echo "unknown (postmaster.pid unreadable)")
echo "CPU seconds: backfill $backfill_cpu, Clerk stand-in $(cpu_seconds "$clerk_pid"), PostgreSQL backends $postgres_cpu, MongoDB stand-in $(cpu_seconds "$mongo_pid")"
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
