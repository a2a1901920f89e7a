#!/usr/bin/env bash
# Start-up of the container image to its readiness endpoint, with and without class-data sharing,
# in the image's own file system and runtime (unpacked from target/clerk-sync-image.tar and run by
# scripts/in-image-root.sh, read-only, as the image's user), on the embedded stores in /tmp.
#
#   usage: bench/container-startup.sh [ROUNDS]      (after `mvn -Pcontainer package`; 5 rounds by default)
#
# Each round starts three variants one after the other: the entrypoint as the image has it (the
# service's archive on top of the runtime's), without -XX:SharedArchiveFile (the runtime's archive of
# the JDK's classes only), and with -Xshare:off (no sharing at all).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-5}
image=target/clerk-sync-image.tar
[[ -f $image ]] || { echo "no $image: mvn -Pcontainer package first" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/archive" "$work/root"
tar -xf "$image" -C "$work/archive"
for blob in "$work"/archive/blobs/sha256/*; do
  # The layers are the gzip blobs; the index, manifest and configuration are JSON.
  if [[ $(head -c 2 "$blob" | od -An -tx1 | tr -d ' ') == 1f8b ]]; then
    tar --warning=no-unknown-keyword -xzf "$blob" -C "$work/root"
  fi
done
config=$(cat "$work"/archive/blobs/sha256/* 2>/dev/null | grep -a -o '"Entrypoint":\[[^]]*\]' | head -n 1)
mapfile -t entrypoint < <(sed 's/^"Entrypoint":\[//; s/\]$//' <<< "$config" | tr ',' '\n' | sed 's/^"//; s/"$//')
tool_options=$(cat "$work"/archive/blobs/sha256/* 2>/dev/null | grep -a -o '"JAVA_TOOL_OPTIONS=[^"]*"' | head -n 1 | sed 's/^"JAVA_TOOL_OPTIONS=//; s/"$//')
user=$(cat "$work"/archive/blobs/sha256/* 2>/dev/null | grep -a -o '"User":"[^"]*"' | head -n 1 | sed 's/^"User":"//; s/"$//')
echo "entrypoint: ${entrypoint[*]}; JAVA_TOOL_OPTIONS=$tool_options; user $user"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Milliseconds from the start of the process to the first 200 from /observe/health/ready.
start_once() {
  local port=28080 management=29876 started pid elapsed
  started=$(date +%s%N)
  env -i PATH=/opt/java/bin JAVA_HOME=/opt/java JAVA_TOOL_OPTIONS="$tool_options" \
    CLERK_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw CLERK_SYNC_DATA_DIR=/tmp/data \
    SERVER_PORT=$port MANAGEMENT_PORT=$management \
    /bin/bash scripts/in-image-root.sh --read-only --user "$user" "$work/root" "$@" > "$work/service.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$management/observe/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/service.log" >&2; return 1; }
    sleep 0.02
  done
  elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
  kill -TERM "$pid"; wait "$pid" || true
  while port_open $port || port_open $management; do sleep 0.1; done
  echo "$elapsed"
}

without_archive=()
for arg in "${entrypoint[@]}"; do [[ $arg == -XX:SharedArchiveFile=* ]] || without_archive+=("$arg"); done
declare -A times
for round in $(seq 1 "$rounds"); do
  times[archive]+=" $(start_once "${entrypoint[@]}")"
  times[jdk]+=" $(start_once "${without_archive[@]}")"
  times[off]+=" $(start_once "${without_archive[0]}" -Xshare:off "${without_archive[@]:1}")"
  echo "round $round: service archive${times[archive]##* } ms, JDK archive only${times[jdk]##* } ms, no sharing${times[off]##* } ms"
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
for variant in archive jdk off; do
  echo "$variant: median $(median <<< "${times[$variant]}") ms of${times[$variant]}"
done
