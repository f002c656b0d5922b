#!/usr/bin/env bash
# Screenshots of the pages people see (login, failed login, the TOTP code step and enrolment, consent, consent naming claims, errors,
# form_post, logout, sign-up, the dev callback), at 1280 px and 390 px wide, light and dark, with awkward data
# (a long client name, an
# unbroken one, a long username, many scopes), for a person to review. It starts its own `serve --dev` in a
# throw-away directory (your ./data/dev is not touched), drives the pages with curl and photographs them
# with Debian's headless chromium. Prints the directory the PNGs are in.
#
#   scripts/screenshots.sh [OUT_DIR]        (default: a new directory under ${TMPDIR:-/tmp})
#
# Needs: java 17+, curl, chromium (apt-get install chromium).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
command -v curl >/dev/null || { echo "screenshots.sh: needs curl" >&2; exit 1; }
[ -x "$chromium" ] || { echo "screenshots.sh: needs $chromium (apt-get install chromium)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-screenshots.XXXXXX")"
out="${1:-$work/png}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
server_pid=""
finished=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$finished" ]; then
    find "$work" -mindepth 1 -maxdepth 1 ! -path "$out" -exec rm -rf {} +
    [ "$out" = "$work/png" ] || rmdir "$work" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'echo "screenshots.sh: failed at line $LINENO; the server log and pages are in $work" >&2' ERR

# A free loopback port: nothing answers on it.
port="${SCREENSHOTS_PORT:-}"
if [ -z "$port" ]; then
  for candidate in $(seq 18080 18180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port="$candidate"; break; fi
  done
fi
base="http://127.0.0.1:$port"
callback="$base/dev/callback"

tessera() { (cd "$work" && "$root/tessera" "$@"); }

long_client_name="Northwind Traders Customer Self-Service Portal for Enterprise Accounts (EU staging)"
unbroken_client_name="SupercalifragilisticexpialidociousEnterpriseResourcePlanningConnector"
long_username="maximilian.alexander.featherstonehaugh@research-and-development.example.com"
long_password="a long and careful password for the screenshots"
many_scopes=(openid profile email address phone offline_access api.read api.write calendar.events.readonly
  https://graph.example.com/files.readwrite.all)

echo "screenshots.sh: preparing the dev store in $work" >&2
scope_args=(); for s in "${many_scopes[@]}"; do scope_args+=(--scope "$s"); done
tessera clients add long --name "$long_client_name" --redirect-uri "$callback" "${scope_args[@]}" >/dev/null
tessera clients add unbroken --name "$unbroken_client_name" --redirect-uri "$callback" \
  --scope openid --scope email >/dev/null
printf '%s\n' "$long_password" | tessera users add "$long_username" --password-stdin >/dev/null
# A user with a second factor (TOTP), enrolled by the CLI: sign-in asks for the code after the password.
printf '%s\n' "$long_password" | tessera users add totp.user --password-stdin >/dev/null
tessera users totp enroll totp.user --no-color >/dev/null

echo "screenshots.sh: starting serve --dev on $base" >&2
(cd "$work" && exec "$root/tessera" serve --dev --port "$port") >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 1
done
for _ in $(seq 1 20); do grep -q 'demo user' "$work/server.log" && break; sleep 0.5; done
demo_password="$(sed -n 's/.*demo user .*password=\([^ ]*\).*/\1/p' "$work/server.log")"
[ -n "$demo_password" ] || { echo "screenshots.sh: no demo password in the server log" >&2; exit 1; }
# The PKCE challenge of the printed authorize URL, so the dev callback page's button can redeem the codes.
challenge="$(sed -n 's/.*code_challenge=\([A-Za-z0-9_-]*\).*/\1/p' "$work/server.log" | head -1)"
[ -n "$challenge" ] || { echo "screenshots.sh: no authorize URL in the server log" >&2; exit 1; }

authorize_url() { # CLIENT SCOPE [EXTRA]
  local scope="${2// /%20}"
  echo "$base/authorize?response_type=code&client_id=$1&redirect_uri=${callback//:/%3A}&scope=$scope&state=s$RANDOM&nonce=n$RANDOM&code_challenge=$challenge&code_challenge_method=S256${3:-}"
}

unescape() { sed -e 's/&#34;/"/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'; }

# Submits the first form of an HTML page with its hidden fields plus NAME=VALUE arguments; follows redirects.
submit() { # PAGE.html OUT.html NAME=VALUE...
  local page="$1" result="$2" action
  shift 2
  action="$(grep -o '<form[^>]*action="[^"]*"' "$page" | head -1 | sed 's/.*action="\([^"]*\)".*/\1/' | unescape)"
  local args=()
  while IFS= read -r field; do
    local name value
    name="$(sed 's/.*name="\([^"]*\)".*/\1/' <<<"$field")"
    value="$(sed 's/.*value="\([^"]*\)".*/\1/' <<<"$field" | unescape)"
    args+=(--data-urlencode "$name=$value")
  done < <(grep -o '<input type="hidden" name="[^"]*" value="[^"]*"' "$page" || true)
  for pair in "$@"; do args+=(--data-urlencode "$pair"); done
  curl -s -L -b "$work/cookies" -c "$work/cookies" -o "$result" "${args[@]}" "$base$action"
}

get() { curl -s -L -b "$work/cookies" -c "$work/cookies" -o "$2" "$1"; }

# Saved pages load their stylesheet from the running server; "noscript" drops their scripts (the CSP allows
# only external ones), which shows the page a browser without JavaScript stays on.
with_base() { # PAGE.html [noscript]
  local filter='s|^||'
  [ "${2:-}" = noscript ] && filter='/<script /d'
  sed -e "s|<head>|<head><base href=\"$base/\">|" -e "$filter" "$1" >"$1.based.html"
  echo "file://$1.based.html"
}

missing=0
shoot() { # NAME URL [tall]
  local name="$1" url="$2" png sizes="desktop:1280,1200 phone:390,1800"
  [ "${3:-}" = tall ] && sizes="desktop:1280,3200 phone:390,7000" # long pages: the redeemed dev callback
  for viewport in $sizes; do
    for scheme in light:1 dark:0; do
      png="$out/$name-${viewport%%:*}-${scheme%%:*}.png"
      timeout 60 "$chromium" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
        --hide-scrollbars --user-data-dir="$work/chromium-profile" \
        --host-resolver-rules="MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1" \
        --window-size="${viewport#*:}" --blink-settings="preferredColorScheme=${scheme#*:}" \
        --screenshot="$png" "$url" >/dev/null 2>&1 || true
      [ -s "$png" ] || { echo "screenshots.sh: chromium wrote no $png" >&2; missing=$((missing + 1)); }
    done
  done
  echo "  $name" >&2
}

echo "screenshots.sh: taking screenshots" >&2
shoot login "$(authorize_url demo-app 'openid profile email')"
shoot login-long-client "$(authorize_url long "${many_scopes[*]}")"
shoot login-unbroken-client-name "$(authorize_url unbroken 'openid email')"
shoot error-unknown-client "$base/authorize?response_type=code&client_id=no-such-app&scope=openid&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=s"

rm -f "$work/cookies"
get "$(authorize_url demo-app 'openid profile email offline_access')" "$work/login.html"
submit "$work/login.html" "$work/login-failed.html" username=demo "password=wrong password"
shoot login-failed "$(with_base "$work/login-failed.html")"
submit "$work/login-failed.html" "$work/consent.html" username=demo "password=$demo_password"
shoot consent "$(with_base "$work/consent.html")"
submit "$work/consent.html" "$work/callback.html" decision=allow
shoot dev-callback "$(with_base "$work/callback.html")"
shoot dev-callback-empty "$base/dev/callback"
submit "$work/callback.html" "$work/callback-redeemed.html"
shoot dev-callback-redeemed "$(with_base "$work/callback-redeemed.html")" tall
submit "$work/callback.html" "$work/callback-replayed.html"
shoot dev-callback-replayed "$(with_base "$work/callback-replayed.html")"

rm -f "$work/cookies"
get "$(authorize_url long "${many_scopes[*]}")" "$work/login-long.html"
submit "$work/login-long.html" "$work/login-failed-long.html" "username=$long_username" "password=wrong password"
shoot login-failed-long-username "$(with_base "$work/login-failed-long.html")"
submit "$work/login-failed-long.html" "$work/consent-many.html" "username=$long_username" "password=$long_password"
shoot consent-many-scopes "$(with_base "$work/consent-many.html")"

# Claims asked for one by one and verified claims (OIDC Core §5.5, OIDC4IDA): named in words, essential ones
# marked Required, the client's stated purpose beside them. The demo user has no verified claims, so the page
# names the trust framework the client demands.
claims_request='%7B%22id_token%22%3A%7B%22email%22%3A%7B%22essential%22%3Atrue%7D%2C%22phone_number%22%3Anull%7D%2C%22userinfo%22%3A%7B%22verified_claims%22%3A%7B%22verification%22%3A%7B%22trust_framework%22%3A%7B%22value%22%3A%22eidas%22%7D%7D%2C%22claims%22%3A%7B%22given_name%22%3A%7B%22essential%22%3Atrue%2C%22purpose%22%3A%22We%20must%20check%20who%20you%20are%20before%20we%20open%20your%20account%22%7D%2C%22family_name%22%3Anull%2C%22birthdate%22%3Anull%7D%7D%7D%7D'
rm -f "$work/cookies"
get "$(authorize_url demo-app 'openid' "&claims=$claims_request")" "$work/login-claims.html"
submit "$work/login-claims.html" "$work/consent-claims.html" username=demo "password=$demo_password"
grep -q 'Required' "$work/consent-claims.html" || { echo "screenshots.sh: the claims consent page names no claim" >&2; exit 1; }
shoot consent-claims "$(with_base "$work/consent-claims.html")"

# form_post without script: the page a browser with JavaScript off stays on. A client the demo user has not
# consented to yet, so the consent page comes first.
rm -f "$work/cookies"
get "$(authorize_url unbroken 'openid email' '&response_mode=form_post')" "$work/login-fp.html"
submit "$work/login-fp.html" "$work/consent-fp.html" username=demo "password=$demo_password"
submit "$work/consent-fp.html" "$work/form-post.html" decision=allow
shoot form-post "$(with_base "$work/form-post.html" noscript)"

shoot logout "$base/logout"

# Sign-up (serve --dev turns registration on): on its own, for an app, refused with every field wrong and an
# overlong username kept as typed, and the confirmation that leads on to the sign-in.
shoot register "$base/register"
rm -f "$work/cookies"
register_url="$(authorize_url long "${many_scopes[*]}")"
get "${register_url/\/authorize\?//register?}" "$work/register.html"
shoot register-for-app "$(with_base "$work/register.html")"
submit "$work/register.html" "$work/register-refused.html" "username=$long_username" "email=not an address" \
  "password=short"
shoot register-refused "$(with_base "$work/register-refused.html")"
submit "$work/register-refused.html" "$work/registered.html" "username=new.user" "email=new.user@example.com" \
  "password=$long_password"
shoot registered "$(with_base "$work/registered.html")"

# Two-step sign-in: the code step of /login (fresh, then after a wrong code), and the enrolment page of a user
# who signed in a moment ago (fresh, then after a wrong code).
rm -f "$work/cookies"
get "$(authorize_url demo-app 'openid profile')" "$work/login-totp.html"
submit "$work/login-totp.html" "$work/login-otp.html" username=totp.user "password=$long_password"
grep -q 'name="otp"' "$work/login-otp.html" || { echo "screenshots.sh: no code step after the password" >&2; exit 1; }
shoot login-otp "$(with_base "$work/login-otp.html")"
submit "$work/login-otp.html" "$work/login-otp-wrong.html" otp=000000
shoot login-otp-wrong "$(with_base "$work/login-otp-wrong.html")"
rm -f "$work/cookies"
get "$(authorize_url long 'openid')" "$work/login-enrol.html"
submit "$work/login-enrol.html" "$work/signed-in.html" "username=$long_username" "password=$long_password"
get "$base/account/totp" "$work/totp-enrol.html"
grep -q 'qr-code' "$work/totp-enrol.html" || { echo "screenshots.sh: no QR code on the enrolment page" >&2; exit 1; }
shoot totp-enrol "$(with_base "$work/totp-enrol.html")"
submit "$work/totp-enrol.html" "$work/totp-enrol-wrong.html" otp=000000
shoot totp-enrol-wrong "$(with_base "$work/totp-enrol-wrong.html")"

finished=1
count="$(find "$out" -name '*.png' | wc -l)"
echo "screenshots.sh: $count PNGs in:" >&2
echo "$out"
[ "$missing" -eq 0 ]
