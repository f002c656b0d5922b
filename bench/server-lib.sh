# Shared by bench/load.sh, startup.sh, soak.sh and jwks-load.sh (sourced, not run): start and stop one Tessera on a free
# loopback port with the config of load.sh, wait for /readyz, and read a process's memory, threads and
# open files from /proc. The caller sets `root` (the checkout) and `work` (a temporary directory) first.

bench_say() { echo "${bench_name:-bench}: $*" >&2; }

# A free port on 127.0.0.1 (nothing answers a connect there).
bench_free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! { exec 4<>"/dev/tcp/127.0.0.1/$candidate"; } 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
    exec 4<&- 4>&-
  done
  bench_say "no free loopback port found"
  return 1
}

# Writes $work/tessera.yaml from a template in bench/ (default tessera-bench.yaml: H2 store and keys under $work,
# clients bench and agent, user bench-user) and exports what it reads: BENCH_PORT, BENCH_DIR, BENCH_CLIENT_SECRET,
# BENCH_USER_PASSWORD, BENCH_KEYS_PROVIDER.
bench_write_config() { # $1 = port, $2 = template file name in bench/
  cp "$root/bench/${2:-tessera-bench.yaml}" "$work/tessera.yaml"
  BENCH_PORT="$1"
  BENCH_DIR="$work"
  BENCH_CLIENT_SECRET="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"   # 43 characters
  BENCH_USER_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '=\n')"
  BENCH_KEYS_PROVIDER="${BENCH_KEYS_PROVIDER:-auto}"
  export BENCH_PORT BENCH_DIR BENCH_CLIENT_SECRET BENCH_USER_PASSWORD BENCH_KEYS_PROVIDER
  # A client signing with ES256 needs an ES256 key at startup; keys.generate only makes the RS256 one.
  if grep -q 'accessTokenSigningAlg: ES256' "$work/tessera.yaml"; then
    "$root/tessera" keys generate --alg ES256 --dir "$work/keys" >/dev/null
  fi
}

# True when GET /readyz answers 200. Runs in this shell (no fork), so polling every 10 ms costs the server
# being timed almost no CPU.
bench_ready() { # $1 = port
  local status=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" >&3 2>/dev/null || true
  IFS= read -r -t 5 status <&3 2>/dev/null || true
  exec 3<&- 3>&-
  [[ "$status" == "HTTP/1.1 200"* ]]
}

server_pid=""
# Starts `$tessera serve --config CONFIG` in the background, its log appended to LOG (defaults:
# $work/tessera.yaml and $work/server.log). The launcher execs java, so server_pid is the JVM's pid.
bench_start_server() { # [$1 = config file] [$2 = log file]
  "${tessera:-$root/tessera}" serve --config "${1:-$work/tessera.yaml}" >>"${2:-$work/server.log}" 2>&1 &
  server_pid=$!
}

# Waits until /readyz is 200; prints the milliseconds since $1 (a `date +%s%N` taken before the start).
bench_wait_ready() { # $1 = start time in ns, $2 = port, $3 = timeout in seconds, [$4 = the server's log file]
  local deadline=$(( $1 + $3 * 1000000000 )) now log="${4:-$work/server.log}"
  while ! bench_ready "$2"; do
    now="$(date +%s%N)"
    if ! kill -0 "$server_pid" 2>/dev/null; then
      bench_say "the server exited during startup; its log:"; tail -40 "$log" >&2; return 1
    fi
    if [ "$now" -ge "$deadline" ]; then
      bench_say "the server was not ready after $3 s; its log:"; tail -40 "$log" >&2; return 1
    fi
    sleep 0.01
  done
  now="$(date +%s%N)"
  echo $(( (now - $1) / 1000000 ))
}

bench_stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  [ -z "$server_pid" ] || wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# "RSS_KiB THREADS OPEN_FILES" of a running process, from /proc (VmRSS, Threads, entries of fd/).
bench_proc_sample() { # $1 = pid
  local rss threads fds
  rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null)"
  threads="$(awk '/^Threads:/ { print $2 }' "/proc/$1/status" 2>/dev/null)"
  fds="$(find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
  echo "${rss:-0} ${threads:-0} ${fds:-0}"
}

bench_mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
