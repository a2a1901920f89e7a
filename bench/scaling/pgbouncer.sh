#!/usr/bin/env bash
# clerk-sync behind PgBouncer in transaction mode: what works, what breaks, and the remedies.
#
#   bench/scaling/pgbouncer.sh [--pool-size 4] [--concurrency 16] [--duration 10]
#
# Needs the Debian package pgbouncer (apt-get install -y pgbouncer). Runs a PgBouncer of its own on
# 127.0.0.1:6432 (transaction pooling, trust, default_pool_size --pool-size) in front of
# $PGHOST:$PGPORT, database clerk_sync_pgb (dropped and created), and one replica at a time against it:
#   1. the JDBC URL as for PostgreSQL itself: does the service start?
#   2. with ignore_startup_parameters = extra_float_digits: a load run without prepareThreshold=0;
#   3. the same with prepareThreshold=0;
#   4. with a broker (RABBITMQ_URI): the change events written, against the changes applied,
#      directly, through PgBouncer (also with server_lifetime = 10 s: its server connections
#      replaced during the run), and through PgBouncer after ALTER ROLE ... SET;
#   5. two replicas with a broker: who holds the relay lock, and what is left of it after SIGKILL.
# Everything it starts is stopped at the end; the role setting of step 4 goes with the database.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pool_size=4 concurrency=16 duration=10
while [[ $# -gt 0 ]]; do
  case $1 in
    --pool-size) pool_size=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
command -v pgbouncer >/dev/null || { echo "pgbouncer is not installed: apt-get install -y pgbouncer" >&2; exit 1; }
out=$repo_dir/bench/target/scaling/$(date +%Y%m%d-%H%M%S)-pgbouncer
mkdir -p "$out"
database=clerk_sync_pgb
direct=jdbc:postgresql://$PGHOST:$PGPORT/$database
bouncer=jdbc:postgresql://127.0.0.1:6432/$database
run_dir=$(mktemp -d /tmp/clerk-sync-pgbouncer.XXXXXX)
chown postgres "$run_dir"
broker=RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672

start_pgbouncer() { # start_pgbouncer [extra ini lines...]
  stop_pgbouncer
  printf '"%s" ""\n' "$PGUSER" >"$run_dir/userlist.txt"
  {
    echo "[databases]"
    echo "$database = host=$PGHOST port=$PGPORT dbname=$database"
    echo "[pgbouncer]"
    echo "listen_addr = 127.0.0.1"
    echo "listen_port = 6432"
    echo "unix_socket_dir ="
    echo "auth_type = trust"
    echo "auth_file = $run_dir/userlist.txt"
    echo "pool_mode = transaction"
    echo "default_pool_size = $pool_size"
    echo "max_client_conn = 500"
    echo "logfile = $run_dir/pgbouncer.log"
    echo "pidfile = $run_dir/pgbouncer.pid"
    printf '%s\n' "$@"
  } >"$run_dir/pgbouncer.ini"
  chown postgres "$run_dir"/*
  su postgres -s /bin/bash -c "pgbouncer -d $run_dir/pgbouncer.ini"
  for _ in $(seq 1 50); do [[ -s $run_dir/pgbouncer.pid ]] && return 0; sleep 0.1; done
  echo "pgbouncer did not start: $(tail -3 "$run_dir/pgbouncer.log")" >&2; exit 1
}
stop_pgbouncer() {
  [[ -s $run_dir/pgbouncer.pid ]] || return 0
  local pid; pid=$(cat "$run_dir/pgbouncer.pid")
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  cat "$run_dir/pgbouncer.log" >>"$out/pgbouncer.log" 2>/dev/null || true
  rm -f "$run_dir/pgbouncer.pid" "$run_dir/pgbouncer.log"
}
cleanup() { stop_all_replicas; stop_pgbouncer; rm -rf "$run_dir"; }
trap cleanup EXIT

# load NAME INDEX SEED: the bench load against one replica; prints its answers.
load() {
  java -jar "$bench_jar" load --url "$(webhook_url "$2")" --secret "$secret" --concurrency "$concurrency" \
      --duration "$duration" --warmup 2 --stores postgres --postgres-url "$direct" --seed "$3" --users 2000 \
      --stream-rate 2000 >"$out/load-$1.txt" 2>&1 || true
  grep -E 'throughput|answers|verified' "$out/load-$1.txt" | tr -s ' ' | tr '\n' ';'
}
# events_vs_changes: change events in the outbox against the changes applied (sum of change_seq).
events_vs_changes() {
  psql -Atd "$database" -c "SELECT 'change_events=' || (SELECT count(*) FROM change_events) || ' changes applied=' ||
      (SELECT coalesce(sum(change_seq), 0) FROM users) + (SELECT coalesce(sum(change_seq), 0) FROM organizations)
      + (SELECT coalesce(sum(change_seq), 0) FROM organization_memberships)"
}
server_connections() {
  psql -Atd postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$database' AND pid <> pg_backend_pid()"
}
# The PostgreSQL server's log, when readable: its errors during each run are counted too.
server_log=${PG_SERVER_LOG:-/var/log/postgresql/postgresql-$(psql -Atd postgres -c 'SHOW server_version_num' | cut -c1-2)-main.log}
run_one() { # run_one NAME URL SEED [VAR=value...]: start, load, print, stop
  local name=$1 url=$2 seed=$3; shift 3
  local log_lines=0; [[ -r $server_log ]] && log_lines=$(wc -l <"$server_log")
  start_replica "$name" 1 "$url" "$@"
  if ! wait_ready 1 60; then
    echo "  $name did not start: $(grep -m1 -E 'Exception|FATAL|ERROR' "$out/$name.log" | cut -c1-300)"
    stop_replica "$name"; return 0
  fi
  echo "  $name: $(load "$name" 1 "$seed")"
  echo "  server connections of $database during the run's end: $(server_connections)"
  echo "  WARN/ERROR lines logged: $(grep -cE ' (WARN|ERROR) ' "$out/$name.log" || true);" \
       "of them about server-side prepared statements: $(grep -cE 'prepared statement' "$out/$name.log" || true); the commonest:"
  { grep -oE '(PSQLException|ERROR): [^(]{0,90}' "$out/$name.log" || true; } | sed -E 's/"S_[0-9]+"/"S_n"/; s/[0-9]+ parameters/N parameters/g; s/requires [0-9]+/requires M/' \
      | sort | uniq -c | sort -rn | head -3 | sed 's/^/    /'
  if [[ -r $server_log ]]; then
    echo "  the server's log meanwhile, errors about prepared statements:"
    { tail -n +$((log_lines + 1)) "$server_log" | grep -oE 'ERROR:  (prepared statement|bind message).{0,70}' || true; } \
        | sed -E 's/"S_[0-9]+"/"S_n"/; s/[0-9]+ parameters/N parameters/; s/requires [0-9]+/requires M/' | sort | uniq -c | sed 's/^/    /'
  fi
  stop_replica "$name"
}

build
fresh_database "$database"
echo "== PgBouncer $(pgbouncer --version | head -1 | cut -d' ' -f2), pool_mode=transaction, default_pool_size=$pool_size; one replica, DATABASE_POOL_SIZE=10"

echo "1. $bouncer (no PgBouncer setting beyond the above)"
start_pgbouncer
run_one plain "$bouncer" 301

echo "2. ignore_startup_parameters = extra_float_digits; URL without prepareThreshold"
start_pgbouncer "ignore_startup_parameters = extra_float_digits"
run_one no-threshold "$bouncer" 302

echo "3. the same, URL with prepareThreshold=0"
run_one threshold-0 "$bouncer?prepareThreshold=0" 303

echo "4. change events with a broker: written against applied"
fresh_database "$database"
run_one events-direct "$direct" 304 "$broker" >/dev/null
echo "  directly:        $(events_vs_changes)"
fresh_database "$database"
start_pgbouncer "ignore_startup_parameters = extra_float_digits"
run_one events-bouncer "$bouncer?prepareThreshold=0" 305 "$broker" >/dev/null
echo "  through PgBouncer: $(events_vs_changes)"
# PgBouncer replaces its server connections after server_lifetime (3600 s by default); 10 s shows
# in one run what an hour does: server connections opened after the replica's pool was filled.
fresh_database "$database"
start_pgbouncer "ignore_startup_parameters = extra_float_digits" "server_lifetime = 10"
run_one events-lifetime "$bouncer?prepareThreshold=0" 307 "$broker" >/dev/null
echo "  through PgBouncer with server_lifetime = 10: $(events_vs_changes)"
fresh_database "$database"
psql -qd postgres -c "ALTER ROLE $PGUSER IN DATABASE $database SET clerk_sync.change_events = 'on'"
start_pgbouncer "ignore_startup_parameters = extra_float_digits"
run_one events-role "$bouncer?prepareThreshold=0" 306 "$broker" >/dev/null
echo "  through PgBouncer, after ALTER ROLE $PGUSER IN DATABASE $database SET clerk_sync.change_events = 'on': $(events_vs_changes)"

echo "5. relay lease: two replicas with a broker through PgBouncer"
fresh_database "$database"
start_pgbouncer "ignore_startup_parameters = extra_float_digits"
start_replica lease-1 1 "$bouncer?prepareThreshold=0" "$broker"; wait_ready 1 60
start_replica lease-2 2 "$bouncer?prepareThreshold=0" "$broker"; wait_ready 2 60
sleep 3
lock_holders() {
  psql -Atd postgres -c "SELECT coalesce(string_agg(l.pid || ' (client ' || a.client_addr || ':' || a.client_port || ')', ', '), 'none')
      FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.classid = 25452 AND l.objid = 1701997407 AND l.objsubid = 1"
}
for n in lease-1 lease-2; do
  echo "  $n: $(grep -c 'holds the relay lock' "$out/$n.log") 'holds the relay lock' line(s)"
done
echo "  advisory lock held by backend(s): $(lock_holders)"
kill -KILL "${replica_pid[lease-1]}" "${replica_pid[lease-2]}"
killed=$(date +%s)
sleep 5
echo "  both replicas killed (SIGKILL), 5 s later: advisory lock held by $(lock_holders)"
start_replica lease-3 3 "$bouncer?prepareThreshold=0" "$broker"; wait_ready 3 60
sleep 5
echo "  a new replica, $(( $(date +%s) - killed )) s after the kill: $(grep -c 'holds the relay lock' "$out/lease-3.log") 'holds the relay lock' line(s); lock held by $(lock_holders)"
stop_replica lease-3
echo "output: $out"
