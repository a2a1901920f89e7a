# Helpers of bench/backfill.sh and bench/heavy-deletions.sh (sourced, not run): free local ports,
# waiting for a listener, building the jars when older than their sources, and stopping every
# process the script started (append a background java's pid to `pids`; start it with `exec` in a
# subshell so that the pid is java's). Expects bench_dir, repo_dir, bench_jar, service_jar,
# mvn_flags and out from the caller.

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_all EXIT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 10000))
    port_open "$port" || { echo "$port"; return 0; }
  done
  echo "no free port found" >&2; return 1
}
# await_port PORT [SECONDS]: default 30.
await_port() {
  for _ in $(seq 1 $((${2:-30} * 10))); do port_open "$1" && return 0; sleep 0.1; done
  echo "$(basename "$0"): nothing listens on $1 after ${2:-30} s (logs in $out)" >&2; return 1
}
build_jars() {
  if [[ ! -f $service_jar || -n $(find "$repo_dir/src/main" "$repo_dir/routes" "$repo_dir/pom.xml" -newer "$service_jar" -print -quit) ]]; then
    echo "building the service jar"
    (cd "$repo_dir" && mvn "${mvn_flags[@]}" package -DskipTests)
  fi
  if [[ ! -f $bench_jar || -n $(find "$bench_dir/src" "$bench_dir/pom.xml" -newer "$bench_jar" -print -quit) ]]; then
    echo "building the bench jar"
    mvn "${mvn_flags[@]}" -f "$bench_dir/pom.xml" package
  fi
}
