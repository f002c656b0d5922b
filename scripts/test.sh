#!/usr/bin/env bash
# The one test command: installs what Maven cannot (Debian's Chromium and its driver, for the
# browser test), then runs the whole build with every test. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium and chromium-driver for the browser test" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "test.sh: cannot install chromium without root; the browser test will fail." >&2
    echo "         run: sudo apt-get install chromium chromium-driver" >&2
  fi
fi

exec ./mvnw -B verify "$@"
