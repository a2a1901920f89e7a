#!/usr/bin/env bash
# How long the change-event relay stops when the replica that holds the relay lock dies.
#
#   bench/scaling/takeover.sh [--replicas 3] [--rounds 5] [--freeze 20]
#
# Starts N replicas with RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672 on a fresh database, then
# each round: finds the replica whose log says it holds the relay lock, kills it with SIGKILL,
# sends one delivery to a survivor right away, and measures from the kill to
#   - the survivor's log line "holds the relay lock" (the log's millisecond time stamps), and
#   - that delivery's change event marked published in change_events (polled every 20 ms);
# then starts a replacement. Last, the holder is frozen (SIGSTOP) for --freeze seconds: a replica
# that hangs without dying keeps its connection, so nobody takes over until it resumes (SIGCONT).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

replicas=3 rounds=5 freeze=20 database=clerk_sync_takeover
while [[ $# -gt 0 ]]; do
  case $1 in
    --replicas) replicas=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --freeze) freeze=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
out=$repo_dir/bench/target/scaling/$(date +%Y%m%d-%H%M%S)-takeover
mkdir -p "$out"
trap stop_all_replicas EXIT
build
fresh_database "$database"
url=jdbc:postgresql://$PGHOST:$PGPORT/$database
broker=RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672
event=$(mktemp); trap 'stop_all_replicas; rm -f "$event"' EXIT

declare -A index_of=()
next=1
add_replica() {
  local name=replica-$next
  start_replica "$name" "$next" "$url" "$broker"
  index_of[$name]=$next
  next=$((next + 1))
}
alive() { local n; for n in "${!index_of[@]}"; do kill -0 "${replica_pid[$n]}" 2>/dev/null && echo "$n"; done; return 0; }
holder() {
  local n
  for n in $(alive); do
    # The last relay-lock line of its log says whether it holds the lock now.
    [[ $(grep -E 'relay (starts|stops)' "$out/$n.log" | tail -1) == *"holds the relay lock"* ]] && echo "$n"
  done
  return 0
}
log_ms() { date -d "$(cut -c1-24 <<<"$1")" +%s%3N; } # the log's ISO time stamp, in epoch milliseconds

add_replica; wait_ready 1 90
for _ in $(seq 2 "$replicas"); do add_replica; done
for n in $(alive); do wait_ready "${index_of[$n]}" 90; done
sleep 2
echo "== $replicas replicas with a broker, relay poll 200 ms (clerk.change-events.poll-ms)"
printf '%s\n' "round holder took_over_by lock_taken_ms event_published_ms" | tee "$out/rounds.txt"
for round in $(seq 1 "$rounds"); do
  h=$(holder)
  [[ $(wc -w <<<"$h") == 1 ]] || { echo "expected one holder, found: '$h'" >&2; exit 1; }
  survivor=$(alive | grep -vx "$h" | head -1)
  subject=user_takeover_${round}_$RANDOM
  sed "s/\"id\": *\"user_[^\"]*\"/\"id\": \"$subject\"/" "$repo_dir/examples/user.created.json" >"$event"
  kill -KILL "${replica_pid[$h]}"
  killed=$(date +%s%3N)
  send_event "$event" "$(webhook_url "${index_of[$survivor]}")" >"$out/send-$round.txt" || true
  published=""
  for _ in $(seq 1 1500); do
    if [[ $(psql -Atd "$database" -c "SELECT count(*) FROM change_events WHERE subject = '$subject' AND published_at IS NOT NULL") == 1 ]]; then
      published=$(date +%s%3N); break
    fi
    sleep 0.02
  done
  sleep 0.5
  new=$(holder)
  line=$(grep 'holds the relay lock' "$out/$new.log" | tail -1)
  printf '%s\n' "$round $h $new $(( $(log_ms "$line") - killed )) $(( ${published:-0} - killed ))" | tee -a "$out/rounds.txt"
  add_replica; wait_ready $((next - 1)) 90
done
echo "(event_published_ms: from the kill to the new delivery's event marked published; the delivery was sent right after the kill)"

h=$(holder)
echo "== $h frozen with SIGSTOP for $freeze s"
kill -STOP "${replica_pid[$h]}"
frozen=$(date +%s%3N)
survivor=$(alive | grep -vx "$h" | head -1)
sed "s/\"id\": *\"user_[^\"]*\"/\"id\": \"user_takeover_frozen_$RANDOM\"/" "$repo_dir/examples/user.created.json" >"$event"
send_event "$event" "$(webhook_url "${index_of[$survivor]}")" >"$out/send-frozen.txt" || true
echo "a delivery to $survivor meanwhile: $(tail -1 "$out/send-frozen.txt")"
sleep "$freeze"
echo "while frozen: relay lock taken over by: $(holder | { grep -vx "$h" || true; } | tr '\n' ' ')(nobody expected)"
echo "pending change events after $freeze s frozen: $(psql -Atd "$database" -c 'SELECT count(*) FROM change_events WHERE published_at IS NULL')"
kill -CONT "${replica_pid[$h]}"
echo "resumed after $(( $(date +%s%3N) - frozen )) ms; holder now: $(sleep 1; holder);" \
     "pending 1 s later: $(psql -Atd "$database" -c 'SELECT count(*) FROM change_events WHERE published_at IS NULL')"
echo "output: $out"
