#!/bin/sh
# Installs the Debian packages wfsim builds against, when they are missing,
# plus any package named as an argument (`make fuzz` asks for clang, `make
# test` for chromium and a font, which the report tests use). cmake,
# ninja-build and python3-dev build the Python package (docs/python.md).
# Needs root (apt-get); as another user it names the command to run.
set -eu
# pkgconf, man-db, groff-base and binutils: the install tests (pkg-config,
# man -l, readelf/nm).
need="gcc make libc6-dev libzstd-dev libyaml-dev nettle-dev time pkgconf man-db groff-base binutils cmake ninja-build python3-dev $*"
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "wfsim: installing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "wfsim: not root; run: apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $missing >/dev/null
