#!/usr/bin/env bash
# The clerk-sync benchmark, end to end: builds what is missing, starts a MongoDB-wire server and the
# service against PostgreSQL, measures start-up to the first accepted delivery, runs the load (which
# checks the stores against its model), runs the pgbench baseline, prints the report, and stops
# everything it started. PostgreSQL is left running.
#
#   bench/run.sh [--concurrency N] [--duration S] [--duplicates F] [--stores postgres,mongodb]
#                [--warmup S] [--users N] [--pgbench-duration S] [--profile] [--cds] [--mappings DIR] [--out DIR]
#
#   --cds  start the service with the class-data-sharing archive of scripts/cds-archive.sh (made
#          first when missing or older than the jar), as the README suggests for a faster start-up
#   --mappings DIR  the service with MAPPINGS_DIR=DIR (docs/mappings.md); every DIR/*.sql is run on the
#          fresh database first, to create the application's tables the mappings write (bench/mappings.sh)
#
# Environment:
#   SERVICE_DIR        where the service is built and run from (default: the repository root)
#   SERVICE_JAVA_OPTS  extra JVM options for the service (default: none, as `java -jar` runs it)
#   MVN_FLAGS          Maven flags for the builds (default: -q -B)
#   PGHOST, PGPORT, PGUSER   the PostgreSQL server (default: 127.0.0.1, 5432, postgres)
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
service_dir=${SERVICE_DIR:-$repo_dir}
bench_jar=$bench_dir/target/clerk-sync-bench.jar
service_jar=$service_dir/target/clerk-sync.jar
read -r -a mvn_flags <<< "${MVN_FLAGS:--q -B}"
read -r -a service_java_opts <<< "${SERVICE_JAVA_OPTS:-}"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

# A secret of the benchmark's own: deliveries are signed with it and nothing else uses it.
secret=whsec_Y2xlcmstc3luYy1iZW5jaC1maXhlZC1zZWNyZXQtMDE=
database=clerk_sync_bench

concurrency=32 duration=20 duplicates=0.05 stores=postgres,mongodb warmup=15 users=10000
pgbench_duration=10 profile=false cds=false mappings="" out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --duplicates) duplicates=$2; shift 2 ;;
    --stores) stores=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --pgbench-duration) pgbench_duration=$2; shift 2 ;;
    --profile) profile=true; shift ;;
    --cds) cds=true; shift ;;
    --mappings) mappings=$(cd "$2" && pwd); shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
uses() { [[ ",$stores," == *",$1,"* ]]; }
out=${out:-$bench_dir/target/runs/$(date +%Y%m%d-%H%M%S)-${stores/,/+}-c$concurrency}
mkdir -p "$out"

service_pid="" mongo_pid="" probe_pid=""
stop() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  # The service finishes in-flight deliveries first (camel.main.shutdown-timeout = 30).
  for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
stop_all() {
  stop "$probe_pid"; probe_pid=""
  stop "$service_pid"; service_pid=""
  stop "$mongo_pid"; mongo_pid=""
}
trap stop_all EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Ports below the ephemeral range: a client's own outgoing connection (the start-up probe knocking
# before the service listens) can never take them, nor connect to itself on them.
ephemeral_start=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((10000 + RANDOM % (ephemeral_start - 10000)))
    if ! port_open "$port" && [[ " ${*:-} " != *" $port "* ]]; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2
  return 1
}
await() {  # await SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do "$@" && return 0; sleep 0.1; done
  echo "run.sh: $what did not happen within $seconds s (logs in $out)" >&2
  return 1
}

# --- Build what is missing or older than its sources --------------------------------------------
if [[ ! -f $service_jar || -n $(find "$service_dir/src" "$service_dir/routes" "$service_dir/pom.xml" \
      -newer "$service_jar" -print -quit) ]]; then
  echo "building the service jar in $service_dir"
  (cd "$service_dir" && mvn "${mvn_flags[@]}" package -DskipTests)
fi
# The bench jar compiles in the service's embedded MongoDB engine (src/main/java/dev/clerksync/store/document/embedded).
if [[ ! -f $bench_jar || -n $(find "$bench_dir/src" "$bench_dir/pom.xml" "$repo_dir/src/main/java/dev/clerksync/store/document/embedded" \
      -newer "$bench_jar" -print -quit) ]]; then
  echo "building the bench jar"
  mvn "${mvn_flags[@]}" -f "$bench_dir/pom.xml" package
fi

if [[ $cds == true ]]; then
  if [[ ! -f $service_dir/target/clerk-sync.jsa || $service_jar -nt $service_dir/target/clerk-sync.jsa ]]; then
    "$service_dir/scripts/cds-archive.sh"
  fi
  service_java_opts+=("-XX:SharedArchiveFile=target/clerk-sync.jsa")
fi

# --- Stores ---------------------------------------------------------------------------------------
if uses postgres; then
  psql -qX -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database" >/dev/null
  if [[ -n $mappings ]]; then
    for ddl in "$mappings"/*.sql; do
      [[ -f $ddl ]] && psql -qX -v ON_ERROR_STOP=1 -d "$database" -f "$ddl" >/dev/null
    done
  fi
fi
mongodb_uri=""
if uses mongodb; then
  mongo_port=$(free_port)
  mongo_jfr=()
  if [[ $profile == true ]]; then
    mongo_jfr=("-XX:StartFlightRecording=settings=profile,filename=$out/mongo-server.jfr,dumponexit=true")
  fi
  java -Xmx4g "${mongo_jfr[@]}" -jar "$bench_jar" mongo-server "$mongo_port" > "$out/mongo-server.log" 2>&1 &
  mongo_pid=$!
  await 30 "the MongoDB-wire server listening" port_open "$mongo_port"
  mongodb_uri=mongodb://127.0.0.1:$mongo_port
fi

# --- Service, timed from its start to its first accepted delivery ----------------------------------
server_port=$(free_port)
management_port=$(free_port "$server_port")
url=http://127.0.0.1:$server_port/api/webhooks/clerk
java -jar "$bench_jar" startup-probe --url "$url" --secret "$secret" --ready-file "$out/probe.ready" \
  --started-at-file "$out/service.started-at" > "$out/startup.txt" 2>&1 &
probe_pid=$!
await 30 "the start-up probe getting ready" test -f "$out/probe.ready"

jfr_opts=()
if [[ $profile == true ]]; then
  jfr_opts=("-XX:StartFlightRecording=settings=profile,filename=$out/service.jfr,dumponexit=true")
fi
date +%s%3N > "$out/service.started-at.tmp"
mv "$out/service.started-at.tmp" "$out/service.started-at"
(
  cd "$service_dir"
  # WEBHOOK_RATE_LIMIT=0: every delivery comes from one address, which the per-client limit would throttle.
  exec env CLERK_WEBHOOK_SECRET="$secret" SYNC_STORES="$stores" \
    DATABASE_URL="$(uses postgres && echo "jdbc:postgresql://$PGHOST:$PGPORT/$database" || true)" \
    DATABASE_USER="$PGUSER" MONGODB_URI="$mongodb_uri" MONGODB_DATABASE="$database" \
    SERVER_PORT="$server_port" MANAGEMENT_PORT="$management_port" WEBHOOK_RATE_LIMIT=0 \
    MAPPINGS_DIR="${mappings:-$out/no-mappings}" \
    java "${service_java_opts[@]}" "${jfr_opts[@]}" -jar target/clerk-sync.jar
) > "$out/service.log" 2>&1 &
service_pid=$!
if ! wait "$probe_pid"; then
  probe_pid=""
  echo "run.sh: the service accepted no delivery; last lines of $out/service.log:" >&2
  tail -20 "$out/service.log" >&2
  exit 1
fi
probe_pid=""
startup_ms=$(sed -n 's/^startup_ms=//p' "$out/startup.txt")
await 30 "the service reporting healthy" curl -sf -o /dev/null "http://127.0.0.1:$management_port/observe/health"

# --- Load -----------------------------------------------------------------------------------------
echo "load: stores=$stores concurrency=$concurrency warm-up ${warmup}s + ${duration}s (results in $out)"
load_status=0
java -Xms2g -Xmx3g -jar "$bench_jar" load --url "$url" --secret "$secret" --concurrency "$concurrency" \
  --duration "$duration" --warmup "$warmup" --duplicates "$duplicates" --users "$users" --stores "$stores" \
  --postgres-url "jdbc:postgresql://$PGHOST:$PGPORT/$database" --postgres-user "$PGUSER" \
  --mongodb-uri "$mongodb_uri" --mongodb-database "$database" \
  --service-pid "$service_pid" --mongo-pid "${mongo_pid:-0}" --summary-file "$out/summary.env" \
  > "$out/load.txt" 2>&1 || load_status=$?
# The baseline gets the machine to itself: the service and the MongoDB-wire server stop first.
stop_all
cat "$out/load.txt"
[[ -f $out/summary.env ]] || exit "$load_status"
echo "startup_ms=$startup_ms" >> "$out/summary.env"
echo "  start-up    ${startup_ms} ms from process start to the first accepted delivery"

# --- Database baseline ----------------------------------------------------------------------------
if uses postgres; then
  # pgbench needs a connection per client: stay within what the server has free.
  max_clients=$(psql -qAtX -d postgres -c "SELECT current_setting('max_connections')::int
      - current_setting('superuser_reserved_connections')::int - count(*) - 5 FROM pg_stat_activity")
  clients=$(( concurrency < max_clients ? concurrency : max_clients ))
  threads=$(( clients < 2 ? 1 : 2 ))
  pgbench -n -M prepared -c "$clients" -j "$threads" -T "$pgbench_duration" \
    -f "$bench_dir/pgbench/delivery.sql@90" -f "$bench_dir/pgbench/delivery-delete.sql@5" \
    -f "$bench_dir/pgbench/delivery-audit.sql@5" "$database" > "$out/pgbench.txt" 2>&1
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out/pgbench.txt")
  rate=$(sed -n 's/^deliveries_per_s=//p' "$out/summary.env")
  fraction=$(awk -v rate="$rate" -v tps="$tps" 'BEGIN { printf "%.0f", 100 * rate / tps }')
  printf 'pgbench_clients=%s\npgbench_tps=%s\nfraction_of_pgbench_pct=%s\n' "$clients" "$tps" "$fraction" \
    >> "$out/summary.env"
  echo "  pgbench     ${tps} tps for the same SQL with $clients clients: the service reaches ${fraction}% of it"
fi

if [[ $profile == true ]]; then
  window=(--from "$(sed -n 's/^measure_start_epoch_ms=//p' "$out/summary.env")"
          --to "$(sed -n 's/^measure_end_epoch_ms=//p' "$out/summary.env")")
  for process in service mongo-server; do
    if [[ -f $out/$process.jfr ]]; then
      java -jar "$bench_jar" jfr-summary "$out/$process.jfr" "${window[@]}" > "$out/$process-profile.txt"
      echo
      echo "== $process =="
      cat "$out/$process-profile.txt"
    fi
  done
fi
exit "$load_status"
