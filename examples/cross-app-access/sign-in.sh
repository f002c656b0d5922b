#!/usr/bin/env bash
# Signs in at Tessera with curl, the way a browser would, and prints the authorization code.
# For machines without a browser; a person would open the authorize URL instead.
#   sign-in.sh AUTHORIZE_URL      (USERNAME and PASSWORD default to the demo user of idp.yaml)
set -euo pipefail
if [ $# -ne 1 ] || [ "$1" = --help ]; then
  echo "usage: [USERNAME=alice] [PASSWORD=...] $0 AUTHORIZE_URL   (prints the authorization code)" >&2
  exit 2
fi
authorize="$1"
username="${USERNAME:-alice}"
password="${PASSWORD:-${ALICE_PASSWORD:-alice-demo-password}}"
base="$(printf '%s' "$authorize" | sed -n 's#^\(https\{0,1\}://[^/]*\)/.*#\1#p')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar="$work/cookies"

# One request: the body goes to $work/body, the status and Location to $status and $location.
request() {
  local meta
  meta="$(curl -sS -o "$work/body" -c "$jar" -b "$jar" -w '%{http_code} %{redirect_url}' "$@")"
  status="${meta%% *}"
  location="${meta#* }"
}

# The page's hidden inputs (CSRF token, the pending request) as curl arguments, HTML entities undone.
hidden_fields() {
  fields=()
  local input name value
  while IFS= read -r input; do
    name="$(printf '%s' "$input" | sed -n 's/.* name="\([^"]*\)".*/\1/p')"
    value="$(printf '%s' "$input" | sed -n 's/.* value="\([^"]*\)".*/\1/p' \
      | sed 's/&quot;/"/g; s/&#34;/"/g; s/&#39;/'"'"'/g; s/&#x27;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g')"
    fields+=(--data-urlencode "$name=$value")
  done < <(grep -o '<input[^>]*type="hidden"[^>]*>' "$work/body" || true)
}

fail() {
  local alert
  alert="$(grep -o 'role="alert"[^>]*>[^<]*' "$work/body" | sed 's/.*>//' | head -n 1 || true)"
  echo "sign-in.sh: $1 (HTTP $status${alert:+: $alert})" >&2
  exit 1
}

request "$authorize"
if [ "$status" = 200 ] && grep -q 'name="password"' "$work/body"; then
  hidden_fields
  request "$base/login" "${fields[@]}" --data-urlencode "username=$username" --data-urlencode "password=$password"
fi
if [ "$status" = 200 ] && grep -q 'name="decision"' "$work/body"; then
  hidden_fields
  request "$base/consent" "${fields[@]}" --data-urlencode decision=allow
fi
case "$status" in 30[1237]) ;; *) fail "the sign-in did not end in a redirect to the client" ;; esac
code="$(printf '%s' "$location" | sed -n 's/.*[?&]code=\([^&#]*\).*/\1/p')"
if [ -z "$code" ]; then
  # RFC 6749 §4.1.2.1: the error comes back in the redirect
  echo "sign-in.sh: no code in the redirect: $(printf '%s' "$location" | grep -o 'error[_a-z]*=[^&#]*' | tr '\n' ' ')" >&2
  exit 1
fi
printf '%s\n' "$code"
