#!/usr/bin/env bash
# Where PostgreSQL's CPU goes while it serves clerk-sync under run-compare's load: samples every
# CPU (perf, software clock, call graphs) during the first measured run against the project, then
# prints PostgreSQL's functions by the share of its samples spent in them and below them.
#
# usage (beside a run-compare.sh of the peer-bench, on an otherwise quiet machine):
#   /tmp/peer-bench/run-compare.sh "$PWD" --stores postgres --rounds 1 --warmup 40 &
#   bench/pg-profile.sh [OUT.perf] [SECONDS]        # default target/pg.perf, 15 s
# needs: perf (Debian package linux-perf); run as root. PROJECT_PORT as run-compare's (18080).
set -euo pipefail
out=${1:-target/pg.perf}
seconds=${2:-15}
port=${PROJECT_PORT:-18080}
command -v perf >/dev/null || { echo "perf is missing: apt-get install -y linux-perf" >&2; exit 2; }
mkdir -p "$(dirname "$out")"

# The measured runs are the 20-s ones (warm-up runs are longer); wait up to 15 minutes for one.
for _ in $(seq 1 900); do
  if pgrep -f "wrk .*-d20s.*:$port" >/dev/null; then
    sleep 2   # wrk loads its request file first
    perf record -a -g -F 499 -o "$out" -- sleep "$seconds" 2>/dev/null
    perf report -i "$out" --comms postgres --percentage relative --children --sort sym -g none --percent-limit 2 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | head -60
    exit 0
  fi
  sleep 1
done
echo "no measured run against port $port started within 15 minutes" >&2
exit 1
