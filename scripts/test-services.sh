#!/usr/bin/env bash
# What the test suite needs on the machine, ensured by `make test` (so `.ci/run` is `make test`):
# Debian's Chromium for the browser tests, and Redis and PostgreSQL running on loopback.
set -euo pipefail
source "$(dirname "$0")/debian.sh"

# Headless Chromium (Debian's package; Playwright drives it at /usr/bin/chromium).
ensure_package /usr/bin/chromium chromium

# Redis on 127.0.0.1:6379 (started when installed and not answering).
if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "test-services: starting redis-server" >&2
  dir="${TMPDIR:-/tmp}/badgeapp-redis"
  mkdir -p "$dir"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log"
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# PostgreSQL on 127.0.0.1:5432 (Debian's cluster, started when installed and not ready).
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "test-services: starting PostgreSQL" >&2
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.1; done
  fi
fi
