#!/usr/bin/env bash
# Which write concern clerk-sync's MongoDB commands carry when MONGODB_URI asks for w=majority.
#
#   bench/scaling/mongo-write-concern.sh [URI_OPTIONS]      (default: w=majority&retryWrites=true)
#
# No real mongod can run here, so this looks at what the client sends: the bench's MongoDB-wire
# server (mongo-java-server) on port 27100 behind wire-tap.py on 27101, which logs each command's
# name and writeConcern. One replica (both stores, on database clerk_sync_wc) gets a
# user.created, a user.updated and a user.deleted; the tap's log is summed up per command.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

options=${1:-w=majority&retryWrites=true}
out=$repo_dir/bench/target/scaling/$(date +%Y%m%d-%H%M%S)-mongo-write-concern
mkdir -p "$out"
mongo_pid="" tap_pid=""
cleanup() {
  stop_all_replicas
  [[ -n $tap_pid ]] && kill "$tap_pid" 2>/dev/null || true
  [[ -n $mongo_pid ]] && kill "$mongo_pid" 2>/dev/null || true
}
trap cleanup EXIT
build
fresh_database clerk_sync_wc
java -jar "$bench_jar" mongo-server 27100 >"$out/mongo-server.log" 2>&1 &
mongo_pid=$!
python3 "$scaling_dir/wire-tap.py" 27101 27100 "$out/commands.txt" &
tap_pid=$!
sleep 3
uri="mongodb://127.0.0.1:27101/?$options"
SYNC_STORES=postgres,mongodb start_replica replica-1 1 "jdbc:postgresql://$PGHOST:$PGPORT/clerk_sync_wc" \
    MONGODB_URI="$uri" MONGODB_DATABASE=clerk_sync_wc
wait_ready 1 90
echo "== MONGODB_URI=$uri; commands sent at start-up (indexes):"
sort "$out/commands.txt" | uniq -c
: >"$out/commands.txt"
for file in user.created user.updated user.deleted; do
  echo "$file: $(send_event "$repo_dir/examples/$file.json" "$(webhook_url 1)" | tail -1)"
done
echo "== commands sent for the three deliveries (the routes' mongodb: endpoints):"
sort "$out/commands.txt" | uniq -c
echo "output: $out"
