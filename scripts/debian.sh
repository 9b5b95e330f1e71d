# Sourced by the scripts that make sure a Debian package is on the machine (test-services.sh,
# bench-tools.sh): `as_root CMD...` runs CMD as root (directly, or with sudo), and
# `ensure_package FILE PACKAGE` installs PACKAGE with apt-get when FILE is missing.

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "$(basename "$0"): need root for: $*" >&2; return 1; fi
}

ensure_package() {
  if [ ! -x "$1" ]; then
    echo "$(basename "$0"): installing Debian's $2" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$2" >/dev/null
  fi
}
