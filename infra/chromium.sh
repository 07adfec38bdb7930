#!/usr/bin/env bash
# Debian's Chromium for the storefront's browser tests and benchmark: playwright-core drives it,
# so no Playwright browser is ever downloaded. Idempotent; prints the browser's path.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing chromium from Debian" >&2
  if ! $sudo apt-get install -y -q chromium >&2; then
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q chromium >&2
  fi
fi
command -v chromium
