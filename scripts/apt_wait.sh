#!/usr/bin/env bash
# plm_apt ARGS...: apt-get ARGS, waiting while another installer holds apt's or dpkg's lock
# instead of failing at once. Gives up after PLM_APT_LOCK_WAIT seconds (default 600).
# Sourced by scripts/setup.sh; PLM_APT_GET replaces apt-get (the tests use a stand-in).

plm_apt() {
  local limit="${PLM_APT_LOCK_WAIT:-600}" pause="${PLM_APT_LOCK_PAUSE:-5}"
  local started=$SECONDS out status
  while true; do
    # apt-get waits for dpkg's frontend lock by itself (DPkg::Lock::Timeout); the loop
    # also covers the package lists' lock that `apt-get update` takes.
    out="$(DEBIAN_FRONTEND=noninteractive "${PLM_APT_GET:-apt-get}" -o DPkg::Lock::Timeout="$limit" "$@" 2>&1)" \
      && { [ -z "$out" ] || printf '%s\n' "$out"; return 0; }
    status=$?
    if ! grep -qiE 'could not get lock|unable to acquire the dpkg frontend lock|unable to lock' <<<"$out"; then
      printf '%s\n' "$out" >&2
      return "$status"
    fi
    if (( SECONDS - started >= limit )); then
      printf '%s\n' "$out" >&2
      echo "!! apt is still locked by another installer after ${limit} s; run the command again when it is done." >&2
      return "$status"
    fi
    echo "== apt is busy (another installer holds its lock); waiting..." >&2
    sleep "$pause"
  done
}
