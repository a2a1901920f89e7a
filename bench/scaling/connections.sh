#!/usr/bin/env bash
# How many PostgreSQL connections N replicas of the packaged jar hold, idle and under load.
#
#   bench/scaling/connections.sh [--replicas 3] [--pool 10] [--broker] [--concurrency 16]
#                                [--duration 20] [--url JDBC_URL] [--database NAME]
#
# Starts N replicas (SYNC_STORES=postgres: MongoDB holds no PostgreSQL connection) on a fresh
# database, counts pg_stat_activity per replica 5 s after all are ready, then runs the bench load
# against every replica at once (--concurrency each) while sampling pg_stat_activity every 0.5 s,
# and prints the largest counts seen. --broker sets RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672
# (the change-event relay and its lease connection). --url points the replicas somewhere else than
# the database itself (e.g. PgBouncer); the counts are always taken on the PostgreSQL server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

replicas=3 pool=10 broker=false concurrency=16 duration=20 url="" database=clerk_sync_scaling
while [[ $# -gt 0 ]]; do
  case $1 in
    --replicas) replicas=$2; shift 2 ;;
    --pool) pool=$2; shift 2 ;;
    --broker) broker=true; shift ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --url) url=$2; shift 2 ;;
    --database) database=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
url=${url:-jdbc:postgresql://$PGHOST:$PGPORT/$database}
out=$repo_dir/bench/target/scaling/$(date +%Y%m%d-%H%M%S)-connections-r$replicas-p$pool$([[ $broker == true ]] && echo -broker || true)
mkdir -p "$out"
trap stop_all_replicas EXIT
build
fresh_database "$database"

extra=(DATABASE_POOL_SIZE=$pool)
[[ $broker == true ]] && extra+=(RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672)
# The first one alone: it runs the migrations.
start_replica replica-1 1 "$url" "${extra[@]}"
wait_ready 1 90 || { echo "replica-1 not ready; see $out/replica-1.log" >&2; exit 1; }
for i in $(seq 2 "$replicas"); do start_replica "replica-$i" "$i" "$url" "${extra[@]}"; done
for i in $(seq 2 "$replicas"); do wait_ready "$i" 90 || { echo "replica-$i not ready" >&2; exit 1; }; done
sleep 5
echo "== idle, 5 s after all $replicas replicas are ready (DATABASE_POOL_SIZE=$pool, broker=$broker)"
echo "application_name total active idle idle_in_tx"
connections "$database" | tee "$out/idle.txt"
echo "sum: $(awk -F'|' '{s += $2} END {print s}' "$out/idle.txt")"

# Under load: every replica gets its own load process (a seed of its own: distinct users).
for i in $(seq 1 "$replicas"); do
  java -jar "$bench_jar" load --url "$(webhook_url "$i")" --secret "$secret" --concurrency "$concurrency" \
      --duration "$duration" --warmup 3 --stores postgres --postgres-url "jdbc:postgresql://$PGHOST:$PGPORT/$database" \
      --seed $((100 + i)) --users 2000 --stream-rate 2000 >"$out/load-$i.txt" 2>&1 &
  loads+=($!)
done
: >"$out/load-samples.txt"
while kill -0 "${loads[0]}" 2>/dev/null; do
  connections "$database" | sed "s/^/$(date +%s.%N)|/" >>"$out/load-samples.txt"
  sleep 0.1
done
for pid in "${loads[@]}"; do wait "$pid" || true; done
echo "== under load ($replicas x $concurrency concurrent senders, ${duration} s): largest counts sampled every 0.1 s"
echo "application_name max_total max_active"
awk -F"|" '{t[$2] = $3 + 0 > t[$2] + 0 ? $3 + 0 : t[$2] + 0; a[$2] = $4 + 0 > a[$2] + 0 ? $4 + 0 : a[$2] + 0} END {for (n in t) print (n == "" ? "(none)" : n), t[n], a[n]}' \
    "$out/load-samples.txt" | sort
echo "largest sum in one sample: $(awk -F'|' '$2 ~ /^replica-/ {s[$1] += $3} END {m = 0; for (k in s) if (s[k] > m) m = s[k]; print m}' "$out/load-samples.txt")"
for i in $(seq 1 "$replicas"); do
  echo "replica-$i load: $(grep -E 'throughput|answers|verified' "$out/load-$i.txt" | tr '\n' ' ')"
done
echo "output: $out"
