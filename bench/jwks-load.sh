#!/usr/bin/env bash
# HTTP load test of the public, cacheable documents: GET /.well-known/jwks.json (full answers, and
# revalidations with If-None-Match that get 304), the discovery document, and GET /healthz as the
# same-run baseline: /healthz writes a tiny JSON object (one small Jackson serialization per request),
# so "JWKS / healthz" compares the JWKS with about the cheapest answer the server gives, whatever else
# is running on the machine at the time.
#
#   bench/jwks-load.sh                                   # 10 s per endpoint at 16 connections
#   SECONDS_PER_RUN=20 CONNECTIONS="4 16" bench/jwks-load.sh
#   TESSERA=/path/to/other/checkout/tessera bench/jwks-load.sh   # measure another build the same way
#
# It starts its own Tessera (H2 and a fresh RSA-4096 key in a temporary directory, the config of
# load.sh) on a free 127.0.0.1 port, drives it with dev.tessera.bench.GetLoad (one raw keep-alive
# socket per worker thread), prints requests/s per endpoint and the ratios to /healthz, and always
# stops the server. Traffic goes to 127.0.0.1 only; every step is bounded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
tessera="${TESSERA:-$root/tessera}"

seconds_per_run="${SECONDS_PER_RUN:-10}"
warmup_seconds="${WARMUP_SECONDS:-5}"
connections_list="${CONNECTIONS:-16}"
ready_timeout=180
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-jwks-bench.XXXXXX")"
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

say() { echo "jwks-load.sh: $*" >&2; }

say "building tessera.jar if needed ($tessera)"
"$tessera" --help >/dev/null
say "building tessera-bench"
cp="$("$here/build-classpath.sh")"

# shellcheck source=server-lib.sh
. "$here/server-lib.sh"
bench_name=jwks-load.sh
port="$(bench_free_port)" || exit 1
bench_write_config "$port"   # tessera-bench.yaml, its secrets, and the ES256 key its bench-es256 client needs

head_of() { # $1 = path: status line and headers of one GET, without needing curl
  (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" "$port" >&3 &&
    timeout 5 cat <&3 | sed -n '1,/^\r\{0,1\}$/p') 2>/dev/null || true
}

say "starting tessera serve on 127.0.0.1:$port"
"$tessera" serve --config "$work/tessera.yaml" >"$work/server.log" 2>&1 &
server_pid=$!
waited=0
until head_of /readyz | head -1 | grep -q ' 200'; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    say "the server exited during startup; its log:"; tail -40 "$work/server.log" >&2; exit 1
  fi
  if [ "$waited" -ge "$ready_timeout" ]; then
    say "the server was not ready after ${ready_timeout}s; its log:"; tail -40 "$work/server.log" >&2; exit 1
  fi
  sleep 1; waited=$((waited + 1))
done
say "server ready after ~${waited}s"

jwks_headers="$(head_of /.well-known/jwks.json)"
etag="$(printf '%s\n' "$jwks_headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: *\([^\r]*\)\r\{0,1\}$/\1/p' | head -1)"
cache_control="$(printf '%s\n' "$jwks_headers" | sed -n 's/^[Cc]ache-[Cc]ontrol: *\([^\r]*\)\r\{0,1\}$/\1/p' | head -1)"
say "JWKS ETag: ${etag:-none}; Cache-Control: ${cache_control:-none}"

run_load() { # $1 = path, $2 = connections, $3.. = extra GetLoad options; prints requests/s or "failed"
  local path="$1" connections="$2" output result rate
  shift 2
  say "GET $path $* at $connections connections: ${warmup_seconds}s warm-up + ${seconds_per_run}s"
  output="$(timeout $((seconds_per_run + warmup_seconds + 60)) \
    java -cp "$cp" dev.tessera.bench.GetLoad --url "http://127.0.0.1:$port$path" --connections "$connections" \
      --seconds "$seconds_per_run" --warmup-seconds "$warmup_seconds" "$@" 2>&1 || true)"
  printf '%s\n' "$output" >&2
  result="$(grep '^RESULT' <<<"$output" || true)"
  rate="$(sed -n 's/.*requests_per_s=\([0-9.]*\).*/\1/p' <<<"$result")"
  [ "$(sed -n 's/.*failures=\([0-9]*\).*/\1/p' <<<"$result")" = "0" ] || rate=""
  echo "${rate:-failed}"
}

declare -A healthz_1 jwks jwks_304 discovery healthz_2
for connections in $connections_list; do
  healthz_1[$connections]="$(run_load /healthz "$connections")"
  jwks[$connections]="$(run_load /.well-known/jwks.json "$connections")"
  if [ -n "$etag" ]; then
    jwks_304[$connections]="$(run_load /.well-known/jwks.json "$connections" --if-none-match "$etag" --expect 304)"
  else
    jwks_304[$connections]="n/a"
  fi
  discovery[$connections]="$(run_load /.well-known/openid-configuration "$connections")"
  healthz_2[$connections]="$(run_load /healthz "$connections")"
done
jwks_bytes="$(printf '%s\n' "$jwks_headers" | sed -n 's/^[Cc]ontent-[Ll]ength: *\([0-9]*\).*/\1/p' | head -1)"

stop_server

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'; }
mean() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f", (a + b) / 2; else printf "n/a" }'; }
echo
echo "== Tessera JWKS / discovery load test ($(date -u +%Y-%m-%dT%H:%M:%SZ)) =="
echo "machine: $(nproc) cores; load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)."
echo "The load generator and the server share these cores; other processes may too: compare the ratios to"
echo "/healthz (measured before and after, same server, same run), not the absolute numbers."
echo "JWKS: ${jwks_bytes:-?} bytes, ETag ${etag:-none}, Cache-Control ${cache_control:-none}"
printf '%-12s %12s %12s %12s %12s %12s %12s %12s\n' "connections" "healthz/s" "jwks/s" "jwks 304/s" "discovery/s" \
  "jwks/healthz" "304/healthz" "disc/healthz"
for connections in $connections_list; do
  base="$(mean "${healthz_1[$connections]}" "${healthz_2[$connections]}")"
  printf '%-12s %12s %12s %12s %12s %12s %12s %12s\n' "$connections" \
    "$base" "${jwks[$connections]}" "${jwks_304[$connections]}" "${discovery[$connections]}" \
    "$(ratio "${jwks[$connections]}" "$base")" "$(ratio "${jwks_304[$connections]}" "$base")" \
    "$(ratio "${discovery[$connections]}" "$base")"
  echo "  (healthz before: ${healthz_1[$connections]}/s, after: ${healthz_2[$connections]}/s)"
done
for connections in $connections_list; do
  [ "${jwks[$connections]}" != "failed" ] || { say "the JWKS run at $connections connections failed"; exit 1; }
done
