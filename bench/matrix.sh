#!/usr/bin/env bash
# The matrix of bench/RESULTS.md: both stores, PostgreSQL only and MongoDB only, at concurrency 8,
# 32 and 128, with 5% duplicates, each run several times through bench/run.sh; prints the markdown
# table of the medians (also written to DIR/table.md).
#
#   bench/matrix.sh [--runs 3] [--duration 20] [--warmup 15] [--pgbench-duration 10] [--out DIR]
#
# The repetitions go round the whole matrix, one run of each cell at a time, so that a noisy
# spell on the shared machine spreads over the cells instead of spoiling one of them.
# Environment: as bench/run.sh.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
runs=3 duration=20 warmup=15 pgbench_duration=10 out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --pgbench-duration) pgbench_duration=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
out=${out:-$bench_dir/target/matrix/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

started=$SECONDS
for run in $(seq 1 "$runs"); do
  for stores in postgres,mongodb postgres mongodb; do
    for concurrency in 8 32 128; do
      name=${stores/,/+}-c$concurrency-run$run
      if "$bench_dir/run.sh" --stores "$stores" --concurrency "$concurrency" --duration "$duration" \
          --warmup "$warmup" --duplicates 0.05 --pgbench-duration "$pgbench_duration" \
          --out "$out/$name" > "$out/$name.log" 2>&1; then
        outcome=$(grep -E '^ +throughput' "$out/$name.log" | sed 's/^ *throughput *//')
      else
        outcome="FAILED (see $out/$name.log)"
      fi
      printf '[%4ds] %-28s %s\n' $((SECONDS - started)) "$name" "$outcome"
    done
  done
done

java -jar "$bench_dir/target/clerk-sync-bench.jar" matrix-table "$out" | tee "$out/table.md"
