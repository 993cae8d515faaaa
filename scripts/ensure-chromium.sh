#!/usr/bin/env bash
# Makes sure a Chromium the browser tests can drive exists: $CHROMIUM_PATH, by default
# /usr/bin/chromium (GitHub's Ubuntu runners set CHROMIUM_PATH to their Google Chrome).
# Playwright cannot download its own browser here, so we use the distribution's.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null && [ "$browser" = /usr/bin/chromium ]; then
  echo "Installing Chromium from the distribution's packages (once)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "Chromium is missing at $browser: install it ('sudo apt-get install chromium' on Debian) or set CHROMIUM_PATH to a Chromium or Chrome, then run 'make test' again." >&2
exit 1
