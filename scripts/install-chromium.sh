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
bash "$(dirname "$0")/apt-install.sh" chromium fonts-dejavu-core
[[ -x "$CHROMIUM" ]] || { echo "chromium: installed, but $CHROMIUM is missing" >&2; exit 1; }
echo "chromium: installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
