#!/usr/bin/env bash
# Install the Debian packages a target needs, only when they are missing.
#   scripts/ensure-system.sh run    — what `make run` needs
#   scripts/ensure-system.sh test   — plus PostgreSQL and Chromium for the test suite
set -euo pipefail
target=${1:-run}
packages=(gettext fonts-dejavu-core fonts-liberation2)
commands=()
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ "$target" = test ]; then
  packages+=(postgresql chromium fonts-noto-core libreoffice-writer-nogui softhsm2 poppler-utils)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Cài gói hệ thống còn thiếu: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Cần quyền root để cài: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
