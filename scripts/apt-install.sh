#!/usr/bin/env bash
# Installs the named Debian packages that are not installed yet (no-op when all are), retrying
# while another apt run holds the lock. Usage: bash scripts/apt-install.sh PACKAGE...
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [[ ${#missing[@]} == 0 ]]; then
  echo "apt: already installed: $*"
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "apt: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3 4 5 6; do
  if $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    echo "apt: installed ${missing[*]}"
    exit 0
  fi
  [[ $attempt == 6 ]] && { echo "apt: apt-get install ${missing[*]} failed" >&2; exit 1; }
  echo "apt: apt-get failed (attempt $attempt), retrying in 10 s" >&2
  sleep 10
done
