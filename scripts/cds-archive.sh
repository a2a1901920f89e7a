#!/usr/bin/env bash
# Makes target/clerk-sync.jsa, a class-data-sharing archive of the classes clerk-sync loads, so that
# the JVM maps them instead of loading them one by one: start-up to the first accepted delivery
# drops from 4.1-4.5 s to 2.2-2.6 s on a 2-core machine (bench/RESULTS.md). Run it after every
# build of the jar (the JVM ignores an archive made from another jar), then start the service with
#
#   java -XX:SharedArchiveFile=target/clerk-sync.jsa -jar target/clerk-sync.jar
#
# It runs the jar once on embedded stores in a temporary directory (never on DATABASE_URL or
# MONGODB_URI: the training deliveries must not reach real data), sends it one signed delivery of
# each kind, stops it, and the JVM writes the archive as it exits.
#
# With --image-root DIR (scripts/container-root.sh) it makes the container image's archive instead:
# the image's own runtime, /opt/java, runs DIR/opt/clerk-sync/clerk-sync.jar with DIR as its root
# directory (scripts/in-image-root.sh), because the JVM uses an archive only with the jar at the path it was made with,
# /opt/clerk-sync/clerk-sync.jar, and with the runtime whose archive of the JDK's classes it extends.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
image_root=
if [[ ${1:-} == --image-root ]]; then image_root=$(readlink -f "$2"); fi
if [[ -n $image_root ]]; then
  jar=$image_root/opt/clerk-sync/clerk-sync.jar archive=$image_root/opt/clerk-sync/clerk-sync.jsa
  data_dir=$(mktemp -d "$image_root/tmp/training.XXXXXX")
  service=(scripts/in-image-root.sh "$image_root"
    /opt/java/bin/java -XX:ArchiveClassesAtExit=/opt/clerk-sync/clerk-sync.jsa -jar /opt/clerk-sync/clerk-sync.jar)
  service_data_dir=/tmp/${data_dir##*/}
else
  jar=target/clerk-sync.jar archive=target/clerk-sync.jsa
  data_dir=$(mktemp -d)
  service=(java -XX:ArchiveClassesAtExit="$archive" -jar "$jar")
  service_data_dir=$data_dir
fi
[[ -f $jar ]] || { echo "no $jar: build it first (mvn package -DskipTests)" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 10000))
    port_open "$port" || { echo "$port"; return 0; }
  done
  echo "no free port found" >&2; return 1
}
server_port=$(free_port) management_port=$(free_port)
secret="whsec_$(head -c 24 /dev/urandom | base64)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data_dir"' EXIT

rm -f "$archive"
env -u DATABASE_URL -u MONGODB_URI CLERK_WEBHOOK_SECRET="$secret" CLERK_SYNC_DATA_DIR="$service_data_dir" \
  SERVER_PORT="$server_port" MANAGEMENT_PORT="$management_port" \
  "${service[@]}" > "$data_dir/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$management_port/observe/health/ready" && break
  kill -0 "$pid" 2>/dev/null || { cat "$data_dir/service.log" >&2; exit 1; }
  sleep 0.1
done
for type in user.created user.updated user.deleted session.created; do
  CLERK_WEBHOOK_SECRET="$secret" java -jar "$jar" send-test "$type" \
    --url "http://127.0.0.1:$server_port/api/webhooks/clerk" > /dev/null
done
kill -TERM "$pid"
wait "$pid" || true
[[ -s $archive ]] || { echo "the JVM wrote no archive; its log:" >&2; cat "$data_dir/service.log" >&2; exit 1; }
if [[ -n $image_root ]]; then
  echo "wrote $archive ($(du -h "$archive" | cut -f1)) for /opt/clerk-sync/clerk-sync.jar in the image"
else
  echo "wrote $archive ($(du -h "$archive" | cut -f1)); start with: java -XX:SharedArchiveFile=$archive -jar $jar"
fi
