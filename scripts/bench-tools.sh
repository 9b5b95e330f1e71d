#!/usr/bin/env bash
# What `make bench` needs on the machine besides the venv: wrk (Debian's package) for the HTTP
# benchmark's load.
set -euo pipefail
source "$(dirname "$0")/debian.sh"

ensure_package /usr/bin/wrk wrk
