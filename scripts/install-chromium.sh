#!/usr/bin/env bash
# Installs Debian's Chromium for the web app's end-to-end tests (apps/web/test), unless it is
# already there. The tests launch /usr/lib/chromium/chromium through playwright-core; never
# `npx playwright install` (it downloads a browser from outside the distribution).
set -euo pipefail
CHROMIUM=/usr/lib/chromium/chromium
if [[ -x "$CHROMIUM" ]]; then
  echo "chromium: already installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "chromium: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt run (a parallel job) may hold the lock for a while: wait for it.
for attempt in 1 2 3 4 5 6; do
  if $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core; then
    break
  fi
  [[ $attempt == 6 ]] && { echo "chromium: apt-get failed" >&2; exit 1; }
  echo "chromium: apt-get failed (attempt $attempt), retrying in 10 s" >&2
  sleep 10
done
[[ -x "$CHROMIUM" ]] || { echo "chromium: installed, but $CHROMIUM is missing" >&2; exit 1; }
echo "chromium: installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
