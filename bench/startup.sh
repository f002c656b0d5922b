#!/usr/bin/env bash
# Start-up time and memory of `./tessera serve` with an existing key and H2 store.
#
#   bench/startup.sh                                   # 5 timed starts, then 2000 tokens of warm-up and 20 s of load
#   STARTUP_RUNS=10 WARMUP_REQUESTS=5000 bench/startup.sh
#   TESSERA_JAVA_OPTS="-Xmx512m" bench/startup.sh      # the same with other JVM options (the launcher reads them)
#   TESSERA=/path/to/tessera-x.y/bin/tessera bench/startup.sh   # the release archive's launcher instead
#
# It writes the config of load.sh (H2 and an RSA-4096 key in a temporary directory) and starts the server
# once untimed, so the store, its migrations and the key exist. Then it times STARTUP_RUNS starts: from just
# before the launcher is executed to the first 200 from GET /readyz (polled every 10 ms without forking),
# with the CPU time the JVM used until then and the resident memory (VmRSS) at that moment. A last start is warmed up with WARMUP_REQUESTS
# client_credentials tokens at WARMUP_CONNECTIONS, then loaded for LOAD_SECONDS at LOAD_CONNECTIONS, and RSS,
# threads and open files are read from /proc after each. Traffic goes to 127.0.0.1 only; every step is bounded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
tessera="${TESSERA:-$root/tessera}"
bench_name="startup.sh"
# shellcheck source=server-lib.sh
. "$here/server-lib.sh"

runs="${STARTUP_RUNS:-5}"
warmup_requests="${WARMUP_REQUESTS:-2000}"
warmup_connections="${WARMUP_CONNECTIONS:-4}"
load_seconds="${LOAD_SECONDS:-20}"
load_connections="${LOAD_CONNECTIONS:-16}"
ready_timeout=180
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-startup.XXXXXX")"
cleanup() {
  bench_stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_say "building tessera (and anything its launcher prepares) if needed"
"$tessera" --help >/dev/null
bench_say "building tessera-bench"
cp="$("$here/build-classpath.sh")"

port="$(bench_free_port)"
bench_write_config "$port"

bench_say "preparation start (not timed): creates the H2 store and the RSA-4096 key"
bench_start_server
bench_wait_ready "$(date +%s%N)" "$port" "$ready_timeout" >/dev/null
bench_stop_server

declare -a ready_ms ready_rss ready_cpu
ticks="$(getconf CLK_TCK)"
archive=""
for run in $(seq 1 "$runs"); do
  started="$(date +%s%N)"
  bench_start_server
  ms="$(bench_wait_ready "$started" "$port" "$ready_timeout")"
  read -r rss _ _ <<<"$(bench_proc_sample "$server_pid")"
  # CPU time the JVM used until ready (user + system, all threads): unlike the wall time, it hardly depends on
  # what else runs on the machine, so it compares builds on a busy one.
  cpu_ms="$(awk -v t="$ticks" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$server_pid/stat")"
  # Which class-data sharing archive the JVM mapped, if any (the JDK's default one, or the launcher's).
  archive="$(grep -o '/[^ ]*\.jsa$' "/proc/$server_pid/maps" 2>/dev/null | sort -u | paste -sd, || true)"
  bench_say "start $run: ready after $ms ms ($cpu_ms ms of CPU), RSS $(bench_mib "$rss") MiB"
  ready_ms+=("$ms"); ready_rss+=("$rss"); ready_cpu+=("$cpu_ms")
  bench_stop_server
done

bench_say "one more start: $warmup_requests client_credentials tokens at $warmup_connections connections, then ${load_seconds}s at $load_connections"
started="$(date +%s%N)"
bench_start_server
bench_wait_ready "$started" "$port" "$ready_timeout" >/dev/null
token_load() { # $1 = connections, $2 = seconds, $3 = max requests
  BENCH_SECRET="$BENCH_CLIENT_SECRET" timeout $(($2 + 60)) java -cp "$cp" dev.tessera.bench.TokenLoad \
    --url "http://127.0.0.1:$port/token" --client bench --secret-env BENCH_SECRET --scope api.read \
    --connections "$1" --seconds "$2" --max-requests "$3" | grep '^RESULT' >&2
}
token_load "$warmup_connections" 300 "$warmup_requests"
sleep 2
read -r warm_rss warm_threads warm_fds <<<"$(bench_proc_sample "$server_pid")"
load_rss="n/a"; load_threads="n/a"; load_fds="n/a"
if [ "$load_seconds" -gt 0 ]; then
  token_load "$load_connections" "$load_seconds" 5000000
  sleep 2
  read -r load_rss load_threads load_fds <<<"$(bench_proc_sample "$server_pid")"
  load_rss="$(bench_mib "$load_rss")"
fi
peak_rss="$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")"
bench_stop_server

stats() { # min median max of the arguments
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%s %s %s", v[1], v[int((NR + 1) / 2)], v[NR] }'
}
read -r ms_min ms_median ms_max <<<"$(stats "${ready_ms[@]}")"
read -r rss_min rss_median rss_max <<<"$(stats "${ready_rss[@]}")"
read -r cpu_min cpu_median cpu_max <<<"$(stats "${ready_cpu[@]}")"

echo
echo "== Tessera start-up and memory ($(date -u +%Y-%m-%dT%H:%M:%SZ)) =="
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "launcher: $tessera; TESSERA_JAVA_OPTS=${TESSERA_JAVA_OPTS:-(unset)}"
echo "class-data archive mapped: ${archive:-none}"
printf '%-34s %8s %8s %8s\n' "" min median max
printf '%-34s %8s %8s %8s\n' "start to /readyz 200, ms ($runs runs)" "$ms_min" "$ms_median" "$ms_max"
printf '%-34s %8s %8s %8s\n' "CPU time until ready, ms" "$cpu_min" "$cpu_median" "$cpu_max"
printf '%-34s %8s %8s %8s\n' "RSS at ready, MiB" "$(bench_mib "$rss_min")" "$(bench_mib "$rss_median")" "$(bench_mib "$rss_max")"
echo "after $warmup_requests tokens of warm-up: RSS $(bench_mib "$warm_rss") MiB, $warm_threads threads, $warm_fds open files"
echo "after ${load_seconds}s at $load_connections connections: RSS $load_rss MiB, $load_threads threads, $load_fds open files; peak RSS $(bench_mib "$peak_rss") MiB"
