#!/usr/bin/env bash
# HTTP load test of client_credentials at /token (RS256-4096 and ES256 access tokens), next to what the
# same crypto provider signs with two bare threads and what OpenSSL signs on this machine, of token
# exchange for an ID-JAG, and of the refresh_token grant on PostgreSQL, all in the same run.
#
#   bench/load.sh                               # 20 s at 4 and at 16 connections, then the PostgreSQL run
#   SECONDS_PER_RUN=10 CONNECTIONS="1 4" bench/load.sh
#   BENCH_KEYS_PROVIDER=jdk bench/load.sh       # sign with the JDK provider instead of Corretto (ACCP)
#   REFRESH_RUN=0 bench/load.sh                 # skip the PostgreSQL refresh run
#   REFRESH_WARMUP_SECONDS=40 bench/load.sh     # refresh traffic on the PostgreSQL server before it is measured
#   SERVER_JFR=1 bench/load.sh                  # flight-record the H2 server; prints the top frames
#
# It measures `openssl speed rsa4096` on 1 and 2 cores and a plain two-thread signing loop
# (dev.tessera.bench.RawSign: a typical access token, RSA-4096 and ES256, the server's provider), then
# starts its own Tessera (H2, an RSA-4096 and an ES256 key in a temporary directory) on a free
# 127.0.0.1 port and drives the token endpoint with the Java load generator in tessera-bench
# (client_credentials RS256, client_credentials ES256, an ID-JAG exchange with one signed-in user's ID
# token, at each concurrency). Then it starts a throwaway PostgreSQL (zonky, dev.tessera.bench.BenchPostgres)
# and a Tessera on it, signs the user in once per worker for a refresh token family each, and measures
# client_credentials and the refresh_token grant (rotation write, access and ID token) at the largest
# concurrency. It prints tokens/s and the ratios, and always stops what it started. Traffic goes to
# 127.0.0.1 only; every step is bounded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

seconds_per_run="${SECONDS_PER_RUN:-20}"
warmup_seconds="${WARMUP_SECONDS:-5}"
connections_list="${CONNECTIONS:-4 16}"
openssl_seconds="${OPENSSL_SECONDS:-10}"
raw_seconds="${RAW_SECONDS:-10}"
refresh_run="${REFRESH_RUN:-1}"
refresh_warmup_seconds="${REFRESH_WARMUP_SECONDS:-40}"
server_jfr="${SERVER_JFR:-0}"
ready_timeout=180
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")"
# shellcheck source=server-lib.sh
. "$here/server-lib.sh"
bench_name=load.sh
postgres_pid=""
stop_postgres() {
  if [ -n "$postgres_pid" ] && kill -0 "$postgres_pid" 2>/dev/null; then
    exec 4>&- 2>/dev/null || true        # closing its standard input stops it and deletes its data
    for _ in $(seq 1 40); do kill -0 "$postgres_pid" 2>/dev/null || break; sleep 0.5; done
    kill -TERM "$postgres_pid" 2>/dev/null || true
    wait "$postgres_pid" 2>/dev/null || true
  fi
  postgres_pid=""
}
cleanup() {
  bench_stop_server
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { bench_say "$@"; }

# --- 1. build: the server jar (./tessera builds it when missing or stale) and the load generator
say "building tessera.jar if needed"
"$root/tessera" --help >/dev/null
say "building tessera-bench"
cp="$("$here/build-classpath.sh")"

# --- 3. what this machine's CPU can sign, measured before the server runs (so it competes with nothing of ours)
openssl_sign_per_s() { # $1 = extra openssl options; prints sign/s for rsa4096, summed over processes
  # shellcheck disable=SC2086
  timeout $((openssl_seconds * 3 + 30)) openssl speed -seconds "$openssl_seconds" $1 rsa4096 2>/dev/null |
    awk '/sign\/s/ && !c { for (i = 1; i <= NF; i++) if ($i == "sign/s") c = i }
         /^rsa 4096 bits/ && c { print $(c + 3) }' | tail -1
}
openssl_1="n/a"; openssl_2="n/a"
if command -v openssl >/dev/null 2>&1; then
  say "openssl speed rsa4096, 1 core, ${openssl_seconds}s"
  openssl_1="$(openssl_sign_per_s "")"
  say "openssl speed rsa4096, -multi 2, ${openssl_seconds}s"
  openssl_2="$(openssl_sign_per_s "-multi 2")"
else
  say "openssl not found: the OpenSSL comparison is skipped (apt-get install openssl)"
fi

# --- 3b. the raw signing rate of the server's provider: two threads signing a typical access token, no HTTP
case "${BENCH_KEYS_PROVIDER:-auto}" in jdk) raw_provider=jdk ;; *) raw_provider=accp ;; esac
raw_sign() { # $1 = alg; prints "sign/s CPU-ms-per-signature" of two threads, or "n/a n/a"
  local output rate cpu
  say "raw signing, $1, provider $raw_provider, 2 threads: 3s warm-up + ${raw_seconds}s"
  output="$(timeout $((raw_seconds + 60)) java -cp "$cp" dev.tessera.bench.RawSign "$raw_provider" "$1" 4096 2 \
    "$raw_seconds" 3 2>&1 || true)"
  printf '%s\n' "$output" | grep '^RESULT' >&2 || printf '%s\n' "$output" | tail -5 >&2
  rate="$(sed -n 's/^RESULT.*sign_per_s=\([0-9.]*\).*/\1/p' <<<"$output" | tail -1)"
  cpu="$(sed -n 's/^RESULT.*cpu_ms_per_sign=\([0-9.]*\).*/\1/p' <<<"$output" | tail -1)"
  echo "${rate:-n/a} ${cpu:-n/a}"
}
read -r raw_rs256_before raw_rs256_cpu_before <<<"$(raw_sign RS256)"
read -r raw_es256 raw_es256_cpu <<<"$(raw_sign ES256)"

# --- 2. configuration and server: tessera-bench.yaml, its secrets, and the ES256 key of the bench-es256 client
port="$(bench_free_port)"
bench_write_config "$port"
secret="$BENCH_CLIENT_SECRET"

start_server() { # $1 = config file, $2 = log file, $3 = extra JVM options
  say "starting tessera serve on 127.0.0.1:$port (keys.provider=$BENCH_KEYS_PROVIDER, $1)"
  local started ready_ms
  started="$(date +%s%N)"
  TESSERA_JAVA_OPTS="${TESSERA_JAVA_OPTS:-} $3" bench_start_server "$1" "$2"
  ready_ms="$(bench_wait_ready "$started" "$port" "$ready_timeout" "$2")" || exit 1
  say "server ready after ${ready_ms} ms"
}
jfr_options=""
[ "$server_jfr" = "1" ] && jfr_options="-XX:StartFlightRecording=filename=$work/server.jfr,settings=profile"
start_server "$work/tessera.yaml" "$work/server.log" "$jfr_options"

# --- 4. load: each run warms up (not counted), then counts only 200 answers that carry an access_token
say "signing bench-user in at the agent client for an ID token (token exchange subject)"
id_token="$(BENCH_SECRET="$secret" timeout 60 java -cp "$cp" dev.tessera.bench.SignIn "http://127.0.0.1:$port" \
  agent BENCH_SECRET http://127.0.0.1/callback bench-user BENCH_USER_PASSWORD | sed -n 's/^ID_TOKEN=//p')"
[ -n "$id_token" ] || { say "could not sign the bench user in; server log:"; tail -20 "$work/server.log" >&2; exit 1; }
export BENCH_EXCHANGE_FORM="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid-jag&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&audience=https%3A%2F%2Fas.partner.example&resource=https%3A%2F%2Fapi.partner.example&scope=todo.read&subject_token=$id_token"

run_load() { # $1 = label, $2 = connections, $3.. = extra TokenLoad options
  # prints "tokens/s server-CPU-ms-per-token generator-CPU-ms-per-token server-JIT-share"
  local label="$1" connections="$2" output result rate cpu generator jit
  shift 2
  say "$label at $connections connections: ${warmup_seconds}s warm-up + ${seconds_per_run}s"
  # captured, then echoed: `tee /dev/stderr` would reopen a redirected log at offset 0 and overwrite it
  output="$(BENCH_SECRET="$secret" timeout $((seconds_per_run + warmup_seconds + 60)) \
    java -cp "$cp" dev.tessera.bench.TokenLoad --url "http://127.0.0.1:$port/token" \
      --secret-env BENCH_SECRET --connections "$connections" \
      --seconds "$seconds_per_run" --warmup-seconds "$warmup_seconds" \
      --server-pid "$server_pid" --clock-ticks "$(getconf CLK_TCK)" "$@" 2>&1 || true)"
  printf '%s\n' "$output" >&2
  printf '%s\n' "$output" >"$work/last-load.out"
  result="$(grep '^RESULT' <<<"$output" || true)"
  rate="$(sed -n 's/.*tokens_per_s=\([0-9.]*\).*/\1/p' <<<"$result")"
  cpu="$(sed -n 's/.*server_cpu_ms_per_token=\([0-9.]*\).*/\1/p' <<<"$result")"
  generator="$(sed -n 's/.*generator_cpu_ms_per_token=\([0-9.]*\).*/\1/p' <<<"$result")"
  jit="$(sed -n 's/.*server_jit_share=\([0-9.]*\).*/\1/p' <<<"$result")"
  echo "${rate:-failed} ${cpu:-n/a} ${generator:-n/a} ${jit:-n/a}"
}

declare -A tokens_per_s es256_per_s exchanges_per_s tokens_cpu es256_cpu tokens_generator_cpu tokens_jit
for connections in $connections_list; do
  read -r "tokens_per_s[$connections]" "tokens_cpu[$connections]" "tokens_generator_cpu[$connections]" \
    "tokens_jit[$connections]" \
    <<<"$(run_load client_credentials "$connections" --client bench --scope api.read)"
  read -r "es256_per_s[$connections]" "es256_cpu[$connections]" _ _ \
    <<<"$(run_load "client_credentials ES256" "$connections" --client bench-es256 --scope api.read)"
  read -r "exchanges_per_s[$connections]" _ _ _ <<<"$(run_load "token exchange (ID-JAG)" "$connections" --client agent \
    --form-env BENCH_EXCHANGE_FORM)"
done

provider_line="$(grep -o -i -m1 '[^"]*corretto[^"]*\|[^"]*signing provider[^"]*' "$work/server.log" || true)"

# --- 6. stop the server before printing, so nothing of ours is still running
bench_stop_server
# The raw RS256 rate once more, now that the server is gone: this VM's speed drifts by tens of percent from one
# minute to the next, so the ratio's base is the mean of a measurement before and one after the H2 runs.
read -r raw_rs256_after raw_rs256_cpu_after <<<"$(raw_sign RS256)"
mean() { # $1, $2 = numbers or n/a, $3 = printf format
  awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf f, (a + b) / 2;
    else if (a + 0 > 0) print a; else if (b + 0 > 0) print b; else print "n/a" }'
}
raw_rs256="$(mean "$raw_rs256_before" "$raw_rs256_after" "%.1f")"
raw_rs256_cpu="$(mean "$raw_rs256_cpu_before" "$raw_rs256_cpu_after" "%.4f")"
jfr_summary=""
if [ "$server_jfr" = "1" ] && [ -f "$work/server.jfr" ]; then
  # The top frame of each Java execution sample, counted: where the server's CPU time went.
  jfr_summary="$(jfr print --events jdk.ExecutionSample "$work/server.jfr" 2>/dev/null |
    awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); top[$0]++; n++ }
         END { for (f in top) printf "%6.1f%%  %s\n", 100 * top[f] / n, f }' | sort -rn | head -25)"
fi

# --- 7. refresh_token on PostgreSQL: client_credentials and refresh at the largest concurrency, same server
# CPU time (user + system) from /proc: a process's own, and the bench PostgreSQL's (its postmaster with the
# backends it reaped, plus the live ones), to tell the server's cost per answer from the database's.
clock_ticks="$(getconf CLK_TCK 2>/dev/null || echo 100)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() { # $1 = postmaster pid
  local total child
  total="$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0)"
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do total=$((total + $(cpu_ticks "$child"))); done
  echo "$total"
}
# "server X ms + PostgreSQL Y ms": the CPU used since $1 ("SERVER_TICKS POSTGRES_TICKS") per answer the last run
# counted, warm-up included (the CPU is read around the whole run).
cpu_per_answer() {
  local answers
  answers="$(awk '/^warm-up:/ { n += $2 } /^RESULT/ { for (i = 1; i <= NF; i++) if ($i ~ /^tokens=/) n += substr($i, 8) }
    END { print n + 0 }' "$work/last-load.out")"
  awk -v before="$1" -v server="$(cpu_ticks "$server_pid")" -v pg="$(postgres_ticks "$postmaster")" -v n="$answers" \
    -v hz="$clock_ticks" 'BEGIN { split(before, b, " "); if (n == 0) { print "n/a"; exit }
      printf "server %.2f ms + PostgreSQL %.2f ms", (server - b[1]) * 1000 / hz / n, (pg - b[2]) * 1000 / hz / n }'
}
refresh_connections="$(tr ' ' '\n' <<<"$connections_list" | sort -n | tail -1)"
pg_tokens="n/a"; pg_refreshes="n/a"; pg_tokens_cpu="n/a"; pg_refreshes_cpu="n/a"
if [ "$refresh_run" = "1" ]; then
  say "starting a throwaway PostgreSQL (zonky binaries, 127.0.0.1 only)"
  mkfifo "$work/postgres.in"
  java -cp "$cp" dev.tessera.bench.BenchPostgres <"$work/postgres.in" >"$work/postgres.out" 2>"$work/postgres.err" &
  postgres_pid=$!
  exec 4>"$work/postgres.in"
  postgres_url=""
  for _ in $(seq 1 120); do
    postgres_url="$(sed -n 's/^POSTGRES_URL=//p' "$work/postgres.out" 2>/dev/null)"
    [ -n "$postgres_url" ] && break
    kill -0 "$postgres_pid" 2>/dev/null || break
    sleep 1
  done
  [ -n "$postgres_url" ] || { say "PostgreSQL did not start:"; tail -20 "$work/postgres.err" >&2; exit 1; }
  awk -v url="$postgres_url" '
    /^storage:/ { print; print "  type: postgres"; print "  url: " url; print "  username: postgres"; skip = 1; next }
    skip && /^[^ ]/ { skip = 0 }
    !skip { print }' "$work/tessera.yaml" >"$work/tessera-pg.yaml"
  port="$(bench_free_port)"
  export BENCH_PORT="$port"
  start_server "$work/tessera-pg.yaml" "$work/server-pg.log" ""
  sign_in_families() { # one refresh token family per worker, in BENCH_REFRESH_TOKENS
    say "signing bench-user in at the app client $refresh_connections times (one refresh token family per worker)"
    BENCH_REFRESH_TOKENS="$(BENCH_SECRET="$secret" timeout 300 java -cp "$cp" dev.tessera.bench.SignIn \
      "http://127.0.0.1:$port" app BENCH_SECRET http://127.0.0.1/callback bench-user BENCH_USER_PASSWORD \
      "openid email offline_access" "$refresh_connections" | sed -n 's/^REFRESH_TOKEN=//p' | tr '\n' ' ')"
    export BENCH_REFRESH_TOKENS
  }
  # This server is new: without this the refresh run would measure the JIT compiling the refresh path (PgJDBC,
  # the ID token, the rotation), which the client_credentials run before it never ran. C2 took 9-16 % of the
  # server's CPU then, and the CPU per refresh fell by a quarter over the next minute. Not counted; its families
  # are left behind and the measured run gets new ones.
  if [ "$refresh_warmup_seconds" -gt 0 ]; then
    sign_in_families
    run_load "refresh_token on PostgreSQL, JIT warm-up (not counted)" "$refresh_connections" --client app \
      --refresh-tokens-env BENCH_REFRESH_TOKENS --warmup-seconds 0 --seconds "$refresh_warmup_seconds" >/dev/null
  fi
  sign_in_families
  pg_port="${postgres_url##*:}"; pg_port="${pg_port%%/*}"
  postmaster="$(pgrep -o -f -- "postgres -D .* -p $pg_port( |\$)" || true)"
  cpu_before="$(cpu_ticks "$server_pid") $(postgres_ticks "$postmaster")"
  read -r pg_tokens _ <<<"$(run_load "client_credentials on PostgreSQL" "$refresh_connections" --client bench --scope api.read)"
  pg_tokens_cpu="$(cpu_per_answer "$cpu_before")"
  cpu_before="$(cpu_ticks "$server_pid") $(postgres_ticks "$postmaster")"
  read -r pg_refreshes _ <<<"$(run_load "refresh_token on PostgreSQL" "$refresh_connections" --client app \
    --refresh-tokens-env BENCH_REFRESH_TOKENS)"
  pg_refreshes_cpu="$(cpu_per_answer "$cpu_before")"
  bench_stop_server
  stop_postgres
fi

# --- 5. report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'; }
echo
echo "== Tessera client_credentials and token-exchange load test ($(date -u +%Y-%m-%dT%H:%M:%SZ)) =="
echo "machine: $(nproc) cores; load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)."
echo "A load average above ~0.5 before the run means other processes shared the CPU: compare ratios, not absolutes."
echo "The load generator and the server share these cores, so tokens/s is a lower bound of what the"
echo "server alone would do; OpenSSL ran alone, before the server started."
[ -n "$provider_line" ] && echo "server log on signing: $provider_line"
echo "openssl speed rsa4096 sign/s: 1 core $openssl_1, 2 cores (-multi 2) $openssl_2"
echo "raw two-thread signing of an access token ($raw_provider): RS256-4096 $raw_rs256/s (mean of $raw_rs256_before/s" \
  "before the server and $raw_rs256_after/s after it), ES256 $raw_es256/s; CPU per signature RS256 $raw_rs256_cpu ms" \
  "($raw_rs256_cpu_before and $raw_rs256_cpu_after), ES256 $raw_es256_cpu ms"
printf '%-12s %12s %14s %14s %14s %12s %14s %12s\n' "connections" "tokens/s" "/ raw 2-thr" "/ openssl 2c" \
  "ES256 tok/s" "/ raw ES256" "ID-JAGs/s" "/ tokens"
for connections in $connections_list; do
  rate="${tokens_per_s[$connections]}"
  es="${es256_per_s[$connections]}"
  exchanges="${exchanges_per_s[$connections]}"
  printf '%-12s %12s %14s %14s %14s %12s %14s %12s\n' "$connections" "$rate" "$(ratio "$rate" "$raw_rs256")" \
    "$(ratio "$rate" "$openssl_2")" "$es" "$(ratio "$es" "$raw_es256")" "$exchanges" "$(ratio "$exchanges" "$rate")"
done
echo "The server's own CPU per token (its process's user + system time over each measured run) next to the raw"
echo "loop's CPU per signature: the share of the server's work that is the signature, whatever the generator and"
echo "the machine's other load take from the two cores (1.00: HTTP, JSON and the rest would cost nothing); and the load"
echo "generator's own CPU per RS256 token, which the server did not get; and the share of the server's CPU in the RS256"
echo "run that its JIT compilers took (near 0: the measured run was at steady state):"
printf '%-12s %16s %14s %16s %14s %18s %12s\n' "connections" "RS256 ms/token" "signature" "ES256 ms/token" "signature" \
  "generator ms/tok" "JIT share"
for connections in $connections_list; do
  printf '%-12s %16s %14s %16s %14s %18s %12s\n' "$connections" "${tokens_cpu[$connections]}" \
    "$(ratio "$raw_rs256_cpu" "${tokens_cpu[$connections]}")" "${es256_cpu[$connections]}" \
    "$(ratio "$raw_es256_cpu" "${es256_cpu[$connections]}")" "${tokens_generator_cpu[$connections]}" \
    "${tokens_jit[$connections]}"
done
if [ "$refresh_run" = "1" ]; then
  echo "PostgreSQL, $refresh_connections connections: client_credentials $pg_tokens tokens/s, refresh_token" \
    "$pg_refreshes/s (access + ID token + rotation write each); refresh / client_credentials: $(ratio "$pg_refreshes" "$pg_tokens")"
  echo "  CPU per answer: client_credentials $pg_tokens_cpu; refresh_token $pg_refreshes_cpu"
fi
[ -n "$jfr_summary" ] && { echo "server flight recording, top frames of Java execution samples (H2 runs):"; echo "$jfr_summary"; }
echo "ID-JAGs/s: token exchange of one user's ID token for an ID-JAG, run right after client_credentials at"
echo "the same concurrency; each verifies one RS256 signature and makes one, so a ratio near 1 is expected."
[ "$pg_refreshes" != "failed" ] || { say "the refresh run on PostgreSQL failed"; exit 1; }
for connections in $connections_list; do
  [ "${es256_per_s[$connections]}" != "failed" ] || { say "the ES256 run at $connections connections failed"; exit 1; }
  [ "${tokens_per_s[$connections]}" != "failed" ] || { say "the client_credentials run at $connections connections failed"; exit 1; }
  [ "${exchanges_per_s[$connections]}" != "failed" ] || { say "the token exchange run at $connections connections failed"; exit 1; }
done
