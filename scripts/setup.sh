#!/usr/bin/env bash
# Shared set-up for the README's commands: system packages, the virtualenv, Python packages.
# Usage: source scripts/setup.sh [runtime|dev]
# Idempotent: a second run installs nothing new.

source "$(dirname "${BASH_SOURCE[0]}")/apt_wait.sh"

plm_setup() {
  local kind="${1:-runtime}"
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

  # System packages: unixodbc for pyodbc (SQL Server support imports it); OpenLDAP's and
  # SASL's headers and a C compiler to build python-ldap (directory sign-in); for the
  # tests, chromium (browser tests) and slapd with ldap-utils (a real directory).
  # Installed when missing and we are root; otherwise we say so.
  local want=()
  ldconfig -p 2>/dev/null | grep -q 'libodbc.so.2' || want+=(unixodbc)
  [ -f /usr/include/ldap.h ] || want+=(libldap2-dev)
  [ -f /usr/include/sasl/sasl.h ] || want+=(libsasl2-dev)
  command -v gcc >/dev/null || want+=(gcc)
  if [ "$kind" = dev ] && [ ! -x /usr/bin/chromium ]; then want+=(chromium); fi
  if [ "$kind" = dev ] && [ ! -x /usr/sbin/slapd ]; then want+=(slapd); fi
  if [ "$kind" = dev ] && ! command -v ldapwhoami >/dev/null; then want+=(ldap-utils); fi
  if [ "${#want[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "== installing system packages: ${want[*]}"
      # Another installer may hold apt's lock: wait for it (scripts/apt_wait.sh) rather than fail.
      plm_apt update -qq
      plm_apt install -y -qq --no-install-recommends "${want[@]}" >/dev/null
    else
      echo "!! missing system packages: ${want[*]} (not root or no apt-get: install them yourself)." >&2
      echo "!! Without chromium or slapd the browser or directory tests are skipped, and pytest says why." >&2
    fi
  fi

  local python="${PLM_PYTHON:-}"
  if [ -z "$python" ]; then
    for candidate in python3.11 python3; do
      if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        python="$candidate"; break
      fi
    done
  fi
  if [ -z "$python" ]; then
    echo "!! Python 3.11 is needed (Django 5.2 with mssql-django 2.0); set PLM_PYTHON to its path." >&2
    return 1
  fi
  if [ ! -x "$root/.venv/bin/python" ]; then
    echo "== creating .venv with $python"
    "$python" -m venv "$root/.venv"
  fi

  local reqs="$root/requirements.txt"
  [ "$kind" = dev ] && reqs="$root/requirements-dev.txt"
  local stamp="$root/.venv/.installed-$(basename "$reqs")"
  local digest
  digest="$(cat "$root/requirements.txt" "$reqs" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "== installing Python packages from $(basename "$reqs")"
    "$root/.venv/bin/python" -m pip install -q --upgrade pip 2> >(grep -v 'is ignored: it is neither' >&2)
    "$root/.venv/bin/python" -m pip install -q -r "$reqs" 2> >(grep -v 'is ignored: it is neither' >&2)
    echo "$digest" > "$stamp"
  fi
  export PATH="$root/.venv/bin:$PATH"
  cd "$root"
}

plm_setup "$@"
