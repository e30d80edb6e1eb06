#!/usr/bin/env bash
# Prepares a machine for esg-author: system packages (Debian/Ubuntu, via apt when missing) and a
# local virtual environment in .venv with the package installed in editable mode.
# Safe to run again: it only installs what is missing. Used by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# Fonts (CJK + Latin) and the libraries WeasyPrint and offscreen Qt load at run time.
# libharfbuzz-subset0 makes CJK font subsetting ~3x faster than WeasyPrint's fallback.
APT_PACKAGES=(
  python3-venv fontconfig fonts-noto-cjk fonts-noto-core libharfbuzz-subset0
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0
)

install_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "esg-author setup: not a Debian/Ubuntu system. Please install: Python >= 3.11, Pango >= 1.44," >&2
    echo "  HarfBuzz with hb-subset, fontconfig, Noto Sans CJK (TC/HK/SC) and Noto Sans fonts." >&2
    return 0
  fi
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "esg-author setup: please install these packages as root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "esg-author setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "esg-author setup: Python 3.11 or newer is required" >&2
  exit 1
}

install_system_packages
if [ ! -x .venv/bin/python ]; then
  "$(find_python)" -m venv .venv
fi
# Reinstall only when the dependency list changed since the last setup.
stamp=.venv/.esg-author-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
  touch "$stamp"
fi
