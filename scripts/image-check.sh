#!/usr/bin/env bash
# Runs the OCI image the way the README's "Running in production" does, with podman: a read-only root,
# every capability dropped, no-new-privileges, the image's non-root user, the data and /tmp volumes, the
# config and a key directory mounted read-only. Then checks what an operator relies on: /healthz, /readyz,
# discovery, a client_credentials token signed by the mounted key, that nothing outside the volumes is
# writable, that `podman stop` (SIGTERM) ends with exit code 0, and that a restart on the same data
# volume is ready again. Everything it makes is removed at the end.
#
#   scripts/image-check.sh                          # builds the image on the pom's base (needs Docker Hub)
#   TESSERA_IMAGE_BASE=tar:///path/base.tar scripts/image-check.sh
#   PODMAN_RUN_OPTS="--ulimit nofile=4096:4096" scripts/image-check.sh   # where podman's default rlimits are refused
#
# Needs podman and curl; not part of the test suite (no container runtime on the CI machine).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
say() { echo "image-check: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
command -v podman >/dev/null || fail "podman is not installed (apt-get install podman)"
command -v curl >/dev/null || fail "curl is not installed"

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-image-check.XXXXXX")"
name="tessera-image-check-$$"
volume="$name-data"
port="${IMAGE_CHECK_PORT:-18080}"
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
version="$(./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null)"
say "building the image tar (jib:buildTar) for $version"
./mvnw -B -q -pl tessera-server -am package -DskipTests >&2
./mvnw -B -q -pl tessera-server jib:buildTar ${TESSERA_IMAGE_BASE:+-Dtessera.image.base=$TESSERA_IMAGE_BASE} >&2
podman load -q -i "tessera-server/target/tessera-$version-image.tar" >&2
image="localhost/tessera:$version"

# A key owned by the image's user (as a Kubernetes Secret with fsGroup would be), mode 0400.
./tessera keys generate --dir "$work/keys" >/dev/null
chown -R 65532:65532 "$work/keys"
chmod 0500 "$work/keys"
chmod 0400 "$work/keys"/*
# The shipped example config, changed only where it says CHANGE (and H2 instead of PostgreSQL).
sed -e "s|^issuer: https://id.example.com|issuer: http://127.0.0.1:$port|" \
    -e 's|^  type: postgres .*|  type: h2|' \
    -e 's|^  url: \${TESSERA_DB_URL.*|  path: /var/lib/tessera/data/tessera|' \
    -e '/^  username: \${TESSERA_DB_USER/d' -e '/^  password: \${TESSERA_DB_PASSWORD}/d' \
    -e 's|^    grantTypes: \[authorization_code, refresh_token\]|    grantTypes: [authorization_code, refresh_token, client_credentials]|' \
    tessera-server/src/dist/config/tessera.example.yaml >"$work/tessera.yaml"
chmod 0644 "$work/tessera.yaml"
secret="$(head -c 32 /dev/urandom | base64 | tr -d '=+/\n')"
printf 'WEB_CLIENT_SECRET=%s\n' "$secret" >"$work/tessera.env"
podman volume create "$volume" >/dev/null

run() {
  # shellcheck disable=SC2086
  podman run -d --name "$name" ${PODMAN_RUN_OPTS:-} --read-only --cap-drop ALL --security-opt no-new-privileges \
    -v "$volume:/var/lib/tessera" --tmpfs /tmp:rw,exec,size=64m \
    -v "$work/tessera.yaml:/etc/tessera/tessera.yaml:ro" -v "$work/keys:/etc/tessera/keys:ro" \
    --env-file "$work/tessera.env" -p "127.0.0.1:$port:8080" "$image" >/dev/null
}
wait_ready() {
  local started=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; do
    [ "$(podman inspect "$name" --format '{{.State.Running}}')" = true ] || { podman logs "$name" >&2; fail "the container exited"; }
    [ $((SECONDS - started)) -lt 180 ] || { podman logs "$name" >&2; fail "not ready after 180 s"; }
    sleep 0.5
  done
  say "ready after about $((SECONDS - started)) s"
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$1"; }

say "running $image read-only as its own user"
run
wait_ready
for path in /healthz /readyz /.well-known/openid-configuration /.well-known/jwks.json; do
  [ "$(status_of "$path")" = 200 ] || fail "GET $path did not answer 200"
done
answer="$(curl -s -u "web:$secret" -d grant_type=client_credentials "http://127.0.0.1:$port/token" || true)"
token="$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$answer")"
[ -n "$token" ] || fail "no access token from client_credentials: $answer"
header="$(cut -d. -f1 <<<"$token" | tr '_-' '/+' | base64 -d 2>/dev/null || true)"
grep -q '"alg":"RS256"' <<<"$header" || fail "the token header is not RS256: $header"
jwks="$(curl -s "http://127.0.0.1:$port/.well-known/jwks.json")"
token_kid="$(sed -n 's/.*"kid":"\([^"]*\)".*/\1/p' <<<"$header")"
grep -q "\"kid\":\"$token_kid\"" <<<"$jwks" || fail "the token's kid $token_kid is not in the JWKS"
say "client_credentials token signed with kid $token_kid, published in the JWKS"

user="$(podman exec "$name" id -u)"
[ "$user" = 65532 ] || fail "the server runs as uid $user, not 65532"
for path in / /app /etc/tessera /usr; do
  if podman exec "$name" sh -c "touch $path/.probe" 2>/dev/null; then fail "$path is writable"; fi
done
podman exec "$name" sh -c 'touch /var/lib/tessera/.probe /tmp/.probe && rm /var/lib/tessera/.probe /tmp/.probe' ||
  fail "a volume is not writable by the image's user"
say "uid 65532; /, /app, /etc/tessera and /usr read-only; /var/lib/tessera and /tmp writable"

podman stop -t 30 "$name" >/dev/null
exit_code="$(podman inspect "$name" --format '{{.State.ExitCode}}')"
[ "$exit_code" = 0 ] || { podman logs "$name" >&2; fail "SIGTERM ended the server with exit code $exit_code"; }
say "podman stop (SIGTERM): exit code 0"
podman rm "$name" >/dev/null
run
wait_ready
say "restarted on the same data volume: ready"
echo "image-check: OK ($image)"
