#!/usr/bin/env bash
# Installs Debian's Pango if it is missing: WeasyPrint, which makes the precedent digest's
# PDF, loads it (and HarfBuzz, fontconfig, which it pulls in) as a C library.
set -euo pipefail
if ldconfig -p | grep -q 'libpangoft2-1\.0\.so\.0'; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation >/dev/null
