#!/usr/bin/env bash
# Create .venv if needed and make it hold exactly one pinned requirements file:
#   scripts/bootstrap_venv.sh requirements/base.txt     (make run)
#   scripts/bootstrap_venv.sh requirements/dev.txt      (make test, lint, format, messages)
# Needs only Python >= 3.11 ($PYTHON, default python3). uv is taken from the PATH, from the
# virtualenv or from ~/.local/bin, and installed with pip when it is nowhere.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
REQUIREMENTS=${1:?usage: scripts/bootstrap_venv.sh requirements/<file>.txt}
VENV=.venv
# Never download an interpreter: the machine's Python is the one asked for.
export UV_PYTHON_DOWNLOADS=never

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  found=$("$PYTHON" --version 2>/dev/null || echo "not found")
  echo "DPTI needs Python >= 3.11, '$PYTHON' is: $found. Run: make run PYTHON=python3.11" >&2
  exit 1
fi

find_uv() {
  local candidate
  for candidate in "$(command -v uv 2>/dev/null || true)" "$VENV/bin/uv" "$HOME/.local/bin/uv"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

install_uv_for_user() {
  echo "uv not found: installing it with pip (user site)"
  "$PYTHON" -m pip install --quiet --user uv
}

if [ ! -x "$VENV/bin/python" ]; then
  rm -rf "$VENV"
  if uv=$(find_uv); then
    "$uv" venv --quiet --python "$PYTHON" "$VENV"
  elif "$PYTHON" -m venv "$VENV"; then
    echo "uv not found: installing it with pip in $VENV"
    "$VENV/bin/python" -m pip install --quiet uv
  else
    # A Python without ensurepip (Debian without python3-venv): uv creates the virtualenv.
    rm -rf "$VENV"
    install_uv_for_user
    "$(find_uv)" venv --quiet --python "$PYTHON" "$VENV"
  fi
fi

if ! uv=$(find_uv); then
  "$VENV/bin/python" -m pip install --quiet uv 2>/dev/null || install_uv_for_user
  uv=$(find_uv) || { echo "uv could not be installed" >&2; exit 1; }
fi

VIRTUAL_ENV="$PWD/$VENV" "$uv" pip sync --quiet --python "$VENV/bin/python" "$REQUIREMENTS"
