# Helpers of the scaling experiments (sourced, not run): start replicas of the packaged jar, wait
# for them, count their PostgreSQL connections, stop what was started. Every replica runs from the
# repository root with SYNC_STORES=postgres unless the caller's environment says otherwise, and
# names its connections with ApplicationName=<replica name> so that pg_stat_activity tells them apart.

scaling_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$scaling_dir/../.." && pwd)
bench_jar=$repo_dir/bench/target/clerk-sync-bench.jar
service_jar=$repo_dir/target/clerk-sync.jar
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
secret=whsec_Y2xlcmstc3luYy1iZW5jaC1maXhlZC1zZWNyZXQtMDE=
declare -A replica_pid=()

build() {
  if [[ ! -f $service_jar ]]; then (cd "$repo_dir" && mvn -B -q -DskipTests package); fi
  if [[ ! -f $bench_jar ]]; then mvn -B -q -f "$repo_dir/bench/pom.xml" package; fi
}

# fresh_database NAME: drops and creates it on $PGHOST:$PGPORT.
fresh_database() {
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}

# start_replica NAME INDEX JDBC_URL [VAR=value...]: webhook port 18080+INDEX, management 19880+INDEX.
start_replica() {
  local name=$1 index=$2 url=$3; shift 3
  local sep='?'; [[ $url == *\?* ]] && sep='&'
  env CLERK_WEBHOOK_SECRET=$secret DATABASE_URL="$url${sep}ApplicationName=$name" DATABASE_USER=${DATABASE_USER:-$PGUSER} \
      SYNC_STORES=${SYNC_STORES:-postgres} WEBHOOK_RATE_LIMIT=0 SERVER_PORT=$((18080 + index)) \
      MANAGEMENT_PORT=$((19880 + index)) CLERK_SYNC_DATA_DIR="$out/$name-data" "$@" \
      java -jar "$service_jar" >"$out/$name.log" 2>&1 &
  replica_pid[$name]=$!
  echo "$(date +%s.%N) started $name pid ${replica_pid[$name]}" >>"$out/events.log"
}

# send_event FILE URL: posts FILE signed as Svix would (the service's send-test --file); prints the
# request, then the answer as "-> STATUS [retry-after=N] BODY"; exits 1 on an answer other than 2xx.
send_event() { CLERK_WEBHOOK_SECRET=$secret java -jar "$service_jar" send-test --file "$1" --url "$2"; }

webhook_url() { echo "http://127.0.0.1:$((18080 + $1))/api/webhooks/clerk"; }
health_url() { echo "http://127.0.0.1:$((19880 + $1))/observe/health/ready"; }

# wait_ready INDEX [SECONDS]: until the readiness probe answers 200 (returns 1 on time-out).
wait_ready() {
  local deadline=$((SECONDS + ${2:-60}))
  while ((SECONDS < deadline)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$(health_url "$1")") == 200 ]] && return 0
    sleep 0.2
  done
  return 1
}

# connections DATABASE: one line per application_name, |-separated: total, active, idle, idle in transaction.
connections() {
  psql -At -F '|' -d postgres -c "SELECT application_name, count(*), count(*) FILTER (WHERE state = 'active'),
      count(*) FILTER (WHERE state = 'idle'), count(*) FILTER (WHERE state LIKE 'idle in%')
      FROM pg_stat_activity WHERE datname = '$1' AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 1"
}

stop_replica() {
  local pid=${replica_pid[$1]:-}
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop_all_replicas() {
  local name stoppers=()
  for name in "${!replica_pid[@]}"; do stop_replica "$name" & stoppers+=($!); done
  # Only these: a bare wait would also wait for whatever else the caller runs in the background.
  for name in "${stoppers[@]}"; do wait "$name" || true; done
}
