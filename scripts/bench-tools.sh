#!/usr/bin/env bash
# What `make bench` needs on the machine besides the venv: wrk (Debian's package) for the HTTP
# benchmark's load.
set -euo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "bench-tools: need root for: $*" >&2; return 1; fi
}

if [ ! -x /usr/bin/wrk ]; then
  echo "bench-tools: installing Debian's wrk" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
fi
