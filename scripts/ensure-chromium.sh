#!/usr/bin/env bash
# Makes sure a Chromium the browser tests can drive is at /usr/bin/chromium.
# Playwright cannot download its own browser here, so we use the distribution's.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium from the distribution's packages (once)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "Chromium is missing: install it with 'sudo apt-get install chromium' (Debian/Ubuntu), then run 'make test' again." >&2
exit 1
