#!/usr/bin/env bash
# What replicas do when their pools add up to more than PostgreSQL's max_connections.
#
#   bench/scaling/exhaust.sh [--max-connections 20] [--replicas 3] [--pool 10] [--broker]
#                            [--concurrency 16] [--duration 15]
#
# Runs a scratch PostgreSQL 15 cluster of its own (initdb in a temporary directory, port 5433,
# the given max_connections, superuser_reserved_connections 3) so that the server everyone else uses
# keeps its settings; the replicas connect as a non-superuser role, as in production. Starts the
# replicas one after the other (each gets what is left), records whether each starts, its
# connections and its readiness, then loads every replica that started and counts its answers
# (status, and how long the non-2xx took). Stops the replicas and the scratch cluster at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

max_connections=20 replicas=3 pool=10 broker=false concurrency=16 duration=15
while [[ $# -gt 0 ]]; do
  case $1 in
    --max-connections) max_connections=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --pool) pool=$2; shift 2 ;;
    --broker) broker=true; shift ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
out=$repo_dir/bench/target/scaling/$(date +%Y%m%d-%H%M%S)-exhaust-m$max_connections-r$replicas-p$pool$([[ $broker == true ]] && echo -broker || true)
mkdir -p "$out"
pg_bin=/usr/lib/postgresql/15/bin
cluster=$(mktemp -d /tmp/clerk-sync-scratch-pg.XXXXXX)
chown postgres "$cluster"
export PGPORT=5433 PGHOST=127.0.0.1
as_postgres() { su postgres -s /bin/bash -c "$*"; }
cleanup() {
  stop_all_replicas
  as_postgres "$pg_bin/pg_ctl -D $cluster/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap cleanup EXIT
build
as_postgres "$pg_bin/initdb -D $cluster/data -A trust -U postgres" >"$out/initdb.log"
as_postgres "$pg_bin/pg_ctl -D $cluster/data -l $cluster/server.log -w -o '-p 5433 -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories=$cluster -c max_connections=$max_connections -c superuser_reserved_connections=3' start" >/dev/null
psql -q -d postgres -c "CREATE ROLE clerk_sync LOGIN" -c "CREATE DATABASE clerk_sync OWNER clerk_sync"
echo "== scratch cluster: max_connections=$(psql -Atd postgres -c 'SHOW max_connections'), superuser_reserved_connections=3:" \
     "$((max_connections - 3)) for the role clerk_sync; $replicas replicas x DATABASE_POOL_SIZE=$pool$([[ $broker == true ]] && echo ' + 1 relay-lease connection each') wanted"

extra=(DATABASE_USER=clerk_sync DATABASE_POOL_SIZE=$pool)
[[ $broker == true ]] && extra+=(RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672)
started=()
for i in $(seq 1 "$replicas"); do
  start=$(date +%s.%N)
  start_replica "replica-$i" "$i" "jdbc:postgresql://127.0.0.1:5433/clerk_sync" "${extra[@]}"
  if wait_ready "$i" 60; then
    echo "replica-$i: ready after $(echo "$(date +%s.%N) - $start" | bc | cut -c1-4) s"; started+=("$i")
  elif kill -0 "${replica_pid[replica-$i]}" 2>/dev/null; then
    echo "replica-$i: running but not ready after 60 s: health $(curl -s "$(health_url "$i")")"
  else
    wait "${replica_pid[replica-$i]}" && rc=0 || rc=$?
    echo "replica-$i: exited with status $rc: $(grep -m1 -E 'ERROR|Exception' "$out/replica-$i.log" | cut -c1-300)"
  fi
  sleep 3
done
sleep 5
echo "== idle, connections per replica (application_name|total|active|idle|idle in transaction)"
connections clerk_sync | tee "$out/idle.txt"
for i in "${started[@]}"; do
  echo "replica-$i health: $(curl -s -w ' HTTP %{http_code}' "$(health_url "$i")" | tr -d '\n' | cut -c1-300)"
done

echo "== load: $concurrency concurrent senders per started replica for $duration s"
loads=()
for i in "${started[@]}"; do
  java -jar "$bench_jar" load --url "$(webhook_url "$i")" --secret "$secret" --concurrency "$concurrency" \
      --duration "$duration" --warmup 2 --stores postgres --postgres-url "jdbc:postgresql://127.0.0.1:5433/clerk_sync" \
      --seed $((200 + i)) --users 2000 --stream-rate 2000 >"$out/load-$i.txt" 2>&1 &
  loads+=($!)
done
: >"$out/health-during-load.txt"
while kill -0 "${loads[0]}" 2>/dev/null; do
  for i in "${started[@]}"; do
    echo "$(date +%s.%N) replica-$i $(curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}' "$(health_url "$i")")" >>"$out/health-during-load.txt"
  done
  sleep 0.5
done
for pid in "${loads[@]}"; do wait "$pid" || true; done
for i in "${started[@]}"; do
  echo "replica-$i: $(grep -E 'throughput|answers|latency' "$out/load-$i.txt" | tr -s ' ' | tr '\n' ';')"
  echo "  readiness during load: $(awk -v r="replica-$i" '$2 == r {n[$3]++} END {for (s in n) printf "%s x%d ", s, n[s]}' "$out/health-during-load.txt")"
  echo "  log: $(grep -cE 'Pool is empty|Connection is not available|too many clients|remaining connection slots' "$out/replica-$i.log") lines about exhausted connections; first:" \
       "$(grep -m1 -E 'Pool is empty|Connection is not available|too many clients|remaining connection slots' "$out/replica-$i.log" | cut -c1-260)"
done

# A replica that loses its connections (a server restart, a failover) while the slots are full:
# its backends are terminated and other sessions take the freed slots before its pool does.
if ((${#started[@]} >= 2)); then
  victim=${started[-1]} holders=()
  n=$(psql -Atd postgres -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'replica-$victim'")
  for _ in $(seq 1 "$n"); do
    (until [[ -f $out/release ]] || psql -U clerk_sync -d clerk_sync -qAt -c "SELECT pg_sleep(600)" >/dev/null 2>&1; do sleep 0.01; done) &
    holders+=($!)
  done
  sleep 3
  echo "== starved: replica-$victim's $n connections terminated, their slots taken by other sessions;" \
       "replica-$victim now has $(psql -Atd postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'replica-$victim'")"
  echo "replica-$victim readiness: $(curl -s -m 30 -w ' HTTP %{http_code} in %{time_total} s' "$(health_url "$victim")" | tr -d '\n' | cut -c1-300)"
  for k in 1 2; do
    t0=$(date +%s.%N)
    answer=$(send_event "$repo_dir/examples/user.created.json" "$(webhook_url "$victim")" || true)
    echo "replica-$victim delivery $k: $(tail -1 <<<"$answer") in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-4) s"
  done
  echo "replica-$victim metrics: $(curl -s "http://127.0.0.1:$((19880 + victim))/observe/metrics" | grep -E '^clerk_sync_(store_failures_total|deliveries_total\{.*unavailable)' | tr '\n' ' ')"
  touch "$out/release"
  released=$(date +%s.%N)
  psql -Atd postgres -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)'" >/dev/null
  for pid in "${holders[@]}"; do wait "$pid" || true; done
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$(health_url "$victim")") == 200 ]]; do sleep 0.1; done
  echo "slots released: replica-$victim ready again after $(echo "$(date +%s.%N) - $released" | bc | cut -c1-4) s, without a restart;" \
       "delivery: $(send_event "$repo_dir/examples/user.created.json" "$(webhook_url "$victim")" | tail -1)"
fi
echo "server log: $(grep -c 'too many clients\|remaining connection slots' "$cluster/server.log") refused connection attempts"
cp "$cluster/server.log" "$out/server.log"
echo "output: $out"
