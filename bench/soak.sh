#!/usr/bin/env bash
# A long run at a moderate, steady rate, watching the server's memory, threads and open files for growth.
#
#   bench/soak.sh                                     # 30 minutes at 60 requests/s
#   SOAK_MINUTES=5 SOAK_RATE=100 bench/soak.sh
#   TESSERA_JAVA_OPTS="-Xmx512m" bench/soak.sh        # the same with other JVM options (the launcher reads them)
#
# It starts its own Tessera (H2 and an RSA-4096 key in a temporary directory, bench/tessera-soak.yaml) on a free
# 127.0.0.1 port, signs one user in for a refresh token, then runs dev.tessera.bench.SoakLoad for SOAK_MINUTES at
# SOAK_RATE requests/s (per ten: four client_credentials, two refresh_token grants walking one rotation chain, two
# introspections, two JWKS fetches). Every SAMPLE_SECONDS it appends RSS (VmRSS), threads and open files (entries
# of /proc/PID/fd) to a CSV (SOAK_CSV, default bench/target/soak-<time>.csv). At the end it prints first, last and
# max of each, and a verdict per column: flat when the mean of the last quarter of the samples is within
# SOAK_TOLERANCE_PERCENT (default 10) of the mean of the second quarter (the first quarter is warm-up: the JIT and
# the heap settle there). Exits 1 on request failures or growth. Traffic goes to 127.0.0.1 only; every step is bounded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
tessera="${TESSERA:-$root/tessera}"
bench_name="soak.sh"
# shellcheck source=server-lib.sh
. "$here/server-lib.sh"

minutes="${SOAK_MINUTES:-30}"
rate="${SOAK_RATE:-60}"
sample_seconds="${SAMPLE_SECONDS:-15}"
tolerance="${SOAK_TOLERANCE_PERCENT:-10}"
mkdir -p "$here/target"
csv="${SOAK_CSV:-$here/target/soak-$(date -u +%Y%m%dT%H%M%SZ).csv}"
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-soak.XXXXXX")"
load_pid=""
cleanup() {
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; fi
  bench_stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_say "building tessera and tessera-bench if needed"
"$tessera" --help >/dev/null
cp="$("$here/build-classpath.sh")"

port="$(bench_free_port)"
bench_write_config "$port" tessera-soak.yaml
bench_start_server
bench_wait_ready "$(date +%s%N)" "$port" 180 >/dev/null

bench_say "signing bench-user in at the soak client for a refresh token"
refresh="$(BENCH_SECRET="$BENCH_CLIENT_SECRET" timeout 60 java -cp "$cp" dev.tessera.bench.SignIn "http://127.0.0.1:$port" \
  soak BENCH_SECRET http://127.0.0.1/callback bench-user BENCH_USER_PASSWORD "openid offline_access" |
  sed -n 's/^REFRESH_TOKEN=//p')"
[ -n "$refresh" ] || { bench_say "no refresh token from the sign-in; server log:"; tail -20 "$work/server.log" >&2; exit 1; }

bench_say "$minutes minutes at $rate requests/s; samples every ${sample_seconds}s into $csv"
BENCH_SECRET="$BENCH_CLIENT_SECRET" BENCH_REFRESH="$refresh" timeout $((minutes * 60 + 120)) \
  java -cp "$cp" dev.tessera.bench.SoakLoad --url "http://127.0.0.1:$port" --client soak --secret-env BENCH_SECRET \
  --refresh-env BENCH_REFRESH --rate "$rate" --seconds $((minutes * 60)) >"$work/load.log" 2>&1 &
load_pid=$!

echo "seconds,rss_kib,threads,open_files" >"$csv"
started="$(date +%s)"
while kill -0 "$load_pid" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { bench_say "the server exited during the soak; its log:"; tail -40 "$work/server.log" >&2; exit 1; }
  read -r rss threads fds <<<"$(bench_proc_sample "$server_pid")"
  echo "$(( $(date +%s) - started )),$rss,$threads,$fds" >>"$csv"
  for _ in $(seq 1 "$sample_seconds"); do kill -0 "$load_pid" 2>/dev/null || break; sleep 1; done
done
load_status=0
wait "$load_pid" || load_status=$?
load_pid=""
cat "$work/load.log" >&2
bench_stop_server

echo
echo "== Tessera soak ($(date -u +%Y-%m-%dT%H:%M:%SZ)) =="
echo "machine: $(nproc) cores; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "launcher: $tessera; TESSERA_JAVA_OPTS=${TESSERA_JAVA_OPTS:-(unset)}"
grep '^RESULT' "$work/load.log" || echo "load generator: no RESULT line (exit $load_status)"
echo "samples: $csv"
# Per column: first, last, max, the mean of the 2nd and the 4th quarter of the samples, and flat or growing.
verdict="$(awk -F, -v tol="$tolerance" '
  NR == 1 { for (i = 2; i <= NF; i++) name[i] = $i; next }
  { n++; for (i = 2; i <= NF; i++) v[n, i] = $i }
  END {
    if (n < 8) { print "too few samples (" n ") for a verdict"; exit }
    bad = 0
    printf "%-12s %10s %10s %10s %12s %12s  %s\n", "", "first", "last", "max", "mean Q2", "mean Q4", "verdict"
    for (i = 2; i <= 4; i++) {
      max = 0; q2 = 0; q4 = 0; c2 = 0; c4 = 0
      for (r = 1; r <= n; r++) {
        if (v[r, i] + 0 > max) max = v[r, i] + 0
        if (r > n / 4 && r <= n / 2) { q2 += v[r, i]; c2++ }
        if (r > 3 * n / 4) { q4 += v[r, i]; c4++ }
      }
      q2 /= c2; q4 /= c4
      change = (q4 - q2) / q2 * 100
      word = change <= tol ? "flat" : "GROWING"
      if (change > tol) bad = 1
      printf "%-12s %10s %10s %10s %12.1f %12.1f  %s (%+.1f%%)\n", name[i], v[1, i], v[n, i], max, q2, q4, word, change
    }
    print (bad ? "verdict: GROWING" : "verdict: flat") " (last-quarter mean within " tol "% of the second quarter)"
  }' "$csv")"
echo "$verdict"
[ "$load_status" -eq 0 ] || { bench_say "the load generator reported failures (exit $load_status)"; exit 1; }
grep -q '^verdict: flat' <<<"$verdict" || exit 1
