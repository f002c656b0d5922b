#!/usr/bin/env bash
# HTTP load test of client_credentials at /token, next to what OpenSSL signs on this machine, and of
# token exchange for an ID-JAG (one signature verified, one made) in the same run.
#
#   bench/load.sh                               # 20 s at 4 and at 16 connections
#   SECONDS_PER_RUN=10 CONNECTIONS="1 4" bench/load.sh
#   BENCH_KEYS_PROVIDER=jdk bench/load.sh       # sign with the JDK provider instead of Corretto (ACCP)
#
# It starts its own Tessera (H2 and a fresh RSA-4096 key in a temporary directory, one confidential
# client) on a free 127.0.0.1 port, measures `openssl speed rsa4096` on 1 and 2 cores, drives the
# token endpoint with the Java load generator in tessera-bench (client_credentials, then an ID-JAG
# exchange with one signed-in user's ID token, at each concurrency), prints tokens/s, the ratios to
# OpenSSL's sign/s and exchange/client_credentials, and always stops the server. Traffic goes to 127.0.0.1 only; every step is bounded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

seconds_per_run="${SECONDS_PER_RUN:-20}"
warmup_seconds="${WARMUP_SECONDS:-5}"
connections_list="${CONNECTIONS:-4 16}"
openssl_seconds="${OPENSSL_SECONDS:-10}"
ready_timeout=180
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "load.sh: $*" >&2; }

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

# --- 2. configuration and server
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 40000))
  if port_is_free "$candidate"; then port="$candidate"; break; fi
done
[ -n "$port" ] || { say "no free loopback port found"; exit 1; }

secret="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"   # 43 characters, 256 bits
cp "$here/tessera-bench.yaml" "$work/tessera.yaml"
user_password="$(head -c 24 /dev/urandom | base64 | tr -d '=\n')"
export BENCH_PORT="$port" BENCH_DIR="$work" BENCH_CLIENT_SECRET="$secret" BENCH_USER_PASSWORD="$user_password"
export BENCH_KEYS_PROVIDER="${BENCH_KEYS_PROVIDER:-auto}"

readyz_status() { # HTTP status of GET /readyz, without needing curl
  (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
    printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$port" >&3 &&
    timeout 5 head -1 <&3 | awk '{print $2}') 2>/dev/null || true
}

say "starting tessera serve on 127.0.0.1:$port (keys.provider=$BENCH_KEYS_PROVIDER, RSA-4096 key generated at startup)"
"$root/tessera" serve --config "$work/tessera.yaml" >"$work/server.log" 2>&1 &
server_pid=$!
waited=0
until [ "$(readyz_status)" = "200" ]; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    say "the server exited during startup; its log:"; tail -40 "$work/server.log" >&2; exit 1
  fi
  if [ "$waited" -ge "$ready_timeout" ]; then
    say "the server was not ready after ${ready_timeout}s; its log:"; tail -40 "$work/server.log" >&2; exit 1
  fi
  sleep 1; waited=$((waited + 1))
done
say "server ready after ~${waited}s"

# --- 4. load: each run warms up (not counted), then counts only 200 answers that carry an access_token
say "signing bench-user in at the agent client for an ID token (token exchange subject)"
id_token="$(BENCH_SECRET="$secret" timeout 60 java -cp "$cp" dev.tessera.bench.SignIn "http://127.0.0.1:$port" \
  agent BENCH_SECRET http://127.0.0.1/callback bench-user BENCH_USER_PASSWORD | sed -n 's/^ID_TOKEN=//p')"
[ -n "$id_token" ] || { say "could not sign the bench user in; server log:"; tail -20 "$work/server.log" >&2; exit 1; }
export BENCH_EXCHANGE_FORM="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid-jag&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&audience=https%3A%2F%2Fas.partner.example&resource=https%3A%2F%2Fapi.partner.example&scope=todo.read&subject_token=$id_token"

run_load() { # $1 = label, $2 = connections, $3.. = extra TokenLoad options; prints tokens/s or "failed"
  local label="$1" connections="$2" output result rate
  shift 2
  say "$label at $connections connections: ${warmup_seconds}s warm-up + ${seconds_per_run}s"
  # captured, then echoed: `tee /dev/stderr` would reopen a redirected log at offset 0 and overwrite it
  output="$(BENCH_SECRET="$secret" timeout $((seconds_per_run + warmup_seconds + 60)) \
    java -cp "$cp" dev.tessera.bench.TokenLoad --url "http://127.0.0.1:$port/token" \
      --secret-env BENCH_SECRET --connections "$connections" \
      --seconds "$seconds_per_run" --warmup-seconds "$warmup_seconds" "$@" 2>&1 || true)"
  printf '%s\n' "$output" >&2
  result="$(grep '^RESULT' <<<"$output" || true)"
  rate="$(sed -n 's/.*tokens_per_s=\([0-9.]*\).*/\1/p' <<<"$result")"
  echo "${rate:-failed}"
}

declare -A tokens_per_s exchanges_per_s
for connections in $connections_list; do
  tokens_per_s[$connections]="$(run_load client_credentials "$connections" --client bench --scope api.read)"
  exchanges_per_s[$connections]="$(run_load "token exchange (ID-JAG)" "$connections" --client agent \
    --form-env BENCH_EXCHANGE_FORM)"
done

provider_line="$(grep -o -i -m1 '[^"]*corretto[^"]*\|[^"]*signing provider[^"]*' "$work/server.log" || true)"

# --- 6. stop the server before printing, so nothing of ours is still running
stop_server

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
printf '%-12s %12s %22s %22s %14s %20s\n' "connections" "tokens/s" "tokens/s / openssl 1c" "tokens/s / openssl 2c" \
  "ID-JAGs/s" "ID-JAGs / tokens"
for connections in $connections_list; do
  rate="${tokens_per_s[$connections]}"
  exchanges="${exchanges_per_s[$connections]}"
  printf '%-12s %12s %22s %22s %14s %20s\n' "$connections" "$rate" "$(ratio "$rate" "$openssl_1")" \
    "$(ratio "$rate" "$openssl_2")" "$exchanges" "$(ratio "$exchanges" "$rate")"
done
echo "ID-JAGs/s: token exchange of one user's ID token for an ID-JAG, run right after client_credentials at"
echo "the same concurrency; each verifies one RS256 signature and makes one, so a ratio near 1 is expected."
for connections in $connections_list; do
  [ "${tokens_per_s[$connections]}" != "failed" ] || { say "the client_credentials run at $connections connections failed"; exit 1; }
  [ "${exchanges_per_s[$connections]}" != "failed" ] || { say "the token exchange run at $connections connections failed"; exit 1; }
done
