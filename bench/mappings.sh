#!/usr/bin/env bash
# What mappings cost (docs/mappings.md, issue 23): webhook throughput with the two mappings of
# examples/mappings/prisma-user.yaml active (users -> "User", audit -> "AuditLog", their DDL from
# prisma-user.sql) against none, with both stores and with PostgreSQL only, side by side in one run;
# prints the markdown table of the medians (also written to DIR/table.md) and each mode's cost.
#
#   bench/mappings.sh [--runs 3] [--concurrency 32] [--duration 20] [--warmup 15] [--out DIR]
#
# Each repetition goes round all four cells (without and with mappings, one run each, for each store
# setting) through bench/run.sh, so that a noisy spell on the shared machine spreads over the cells.
# run.sh's pgbench baseline is cut to one second: it is not what this compares. Environment: as bench/run.sh.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
runs=3 concurrency=32 duration=20 warmup=15 out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 64 ;;
  esac
done
out=${out:-$bench_dir/target/mappings/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

# The example alone (examples/mappings also holds a MongoDB one), in a folder of its own.
mappings=$out/mappings
mkdir -p "$mappings"
cp "$repo_dir/examples/mappings/prisma-user.yaml" "$repo_dir/examples/mappings/prisma-user.sql" "$mappings/"

started=$SECONDS
for run in $(seq 1 "$runs"); do
  for stores in postgres,mongodb postgres; do
    for with in none prisma; do
      name=${stores/,/+}-$with-run$run
      option=()
      [[ $with == prisma ]] && option=(--mappings "$mappings")
      if "$bench_dir/run.sh" --stores "$stores" --concurrency "$concurrency" --duration "$duration" \
          --warmup "$warmup" --pgbench-duration 1 "${option[@]}" --out "$out/$name" > "$out/$name.log" 2>&1; then
        outcome=$(grep -E '^ +throughput' "$out/$name.log" | sed 's/^ *throughput *//')
      else
        outcome="FAILED (see $out/$name.log)"
      fi
      printf '[%4ds] %-30s %s\n' $((SECONDS - started)) "$name" "$outcome"
    done
  done
done

# The medians of deliveries/s per cell, from each run's summary.env; a failed run counts for nothing.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cell() {  # cell STORES WITH: the median deliveries/s of the cell's runs that passed their store check
  local stores=$1 with=$2
  for summary in "$out"/"${stores/,/+}-$with-run"*/summary.env; do
    [[ -f $summary ]] && grep -q '^verification=OK' "$summary" && sed -n 's/^deliveries_per_s=//p' "$summary"
  done | median
}
{
  echo "| stores | without mappings (deliveries/s) | with users + audit mappings (deliveries/s) | cost |"
  echo "| --- | ---: | ---: | ---: |"
  for stores in postgres,mongodb postgres; do
    none=$(cell "$stores" none) prisma=$(cell "$stores" prisma)
    cost=$(awk -v a="$none" -v b="$prisma" 'BEGIN { if (a == "" || b == "" || a == 0) print "n/a"; else printf "%.1f %%", 100 * (a - b) / a }')
    echo "| $stores | ${none:-failed} | ${prisma:-failed} | $cost |"
  done
  echo
  echo "concurrency $concurrency, warm-up ${warmup}s + ${duration}s, $runs run(s) per cell, medians"
} | tee "$out/table.md"
