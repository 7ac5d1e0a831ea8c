#!/usr/bin/env bash
# Install what the browser tests need and print the Chromium they drive:
# Debian's chromium (Playwright's own browser download is not used) and fonts-noto-cjk,
# so that screenshots show Chinese. Run as root; quiet and non-interactive.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if ((${#need[@]})); then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v chromium
