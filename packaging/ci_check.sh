#!/usr/bin/env bash
# Build the packaged app and check it the way a family gets it. .ci/run calls this after the
# test suite (Linux, Debian or Ubuntu; as root, or with sudo). It:
#   1. installs what the build needs (PyInstaller into the test venv, binutils) and what the
#      .deb depends on, so that `dpkg -i` can install it;
#   2. builds with packaging/build.py (PyInstaller's work folder stays in ~/.cache);
#   3. runs --self-test from the bundle and from the unpacked .tar.gz in a clean environment:
#      an empty HOME, no virtual environment on PATH, QT_QPA_PLATFORM=offscreen;
#   4. checks the bundle needs no newer glibc (2.35) or libstdc++ (3.4.30) than Ubuntu 22.04's;
#   5. installs the .deb with dpkg -i, runs `nbcompanion --self-test` from /usr/bin, starts the
#      app once on a real X11 screen (Xvfb; it creates the family's record), removes the
#      package with dpkg -r and checks the record is still there, unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
step() { printf '\n== packaging: %s\n' "$*"; }

step "build tools and the .deb's dependencies"
need=()
for pkg in binutils libegl1 libgl1 libxcb1 libxcb-icccm4 libxcb-keysyms1 fontconfig-config \
           libx11-6 libx11-xcb1 libfontconfig1 libfreetype6 zlib1g libuuid1 libgpg-error0 \
           fonts-dejavu-core libexpat1 libstdc++6 desktop-file-utils appstream xvfb; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null
fi
"$PYTHON" -m pip install -q '.[package]'

step "build"
"$PYTHON" packaging/build.py
version=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture)
deb="packaging/dist/nbcompanion_${version}_${arch}.deb"
tarball=$(ls packaging/dist/nbcompanion-"$version"-linux-*.tar.gz)

work=$(mktemp -d)
xvfb_pid=""
trap '[ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null; rm -rf "$work"' EXIT
clean_env() {  # run "$@" with nothing of this shell's Python around it (5 minutes at most)
  local home=$1; shift
  mkdir -p "$home"
  timeout 300 env -i HOME="$home" PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    QT_QPA_PLATFORM=offscreen "$@"
}

step "self-test from the bundle"
clean_env "$work/home-bundle" packaging/dist/nbcompanion/nbcompanion --self-test

step "self-test from the unpacked .tar.gz"
mkdir "$work/portable"
tar -xzf "$tarball" -C "$work/portable"
clean_env "$work/home-portable" "$work"/portable/nbcompanion-*/nbcompanion --self-test

step "oldest glibc the bundle needs"
newest=$(find packaging/dist/nbcompanion -type f \( -name '*.so*' -o -name nbcompanion \) \
           -exec objdump -T {} + 2>/dev/null | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n -u \
         | tail -1)
echo "needs $newest"
[ "${newest#GLIBC_2.}" -le 35 ] || { echo "the bundle needs $newest; Ubuntu 22.04 has 2.35"; exit 1; }
newest=$(find packaging/dist/nbcompanion -type f -name '*.so*' -exec objdump -T {} + 2>/dev/null \
         | grep -o 'GLIBCXX_3\.4\.[0-9]*' | sort -t. -k3 -n -u | tail -1)
echo "needs $newest"
[ "${newest#GLIBCXX_3.4.}" -le 30 ] || { echo "the bundle needs $newest; Ubuntu 22.04 has 3.4.30"; exit 1; }

step "the .deb: install, self-test, start once, remove"
$SUDO dpkg -i "$deb"
desktop-file-validate /usr/share/applications/org.nbcompanion.NeuroblastomaCompanion.desktop
appstreamcli validate --no-net \
  /usr/share/metainfo/org.nbcompanion.NeuroblastomaCompanion.metainfo.xml
family="$work/family"
[ "$(clean_env "$family" sh -c 'command -v nbcompanion')" = /usr/bin/nbcompanion ]
clean_env "$family" nbcompanion --self-test
[ ! -e "$family/.local/share/nbcompanion" ] || { echo "the self-test wrote to the data folder"; exit 1; }
# Start it once as a family would, on a real X11 screen (Xvfb): this needs the xcb plugin and
# the .deb's Depends, and it creates the family's record in the data folder.
display=":$(( 90 + RANDOM % 9 ))"
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
clean_env "$family" env QT_QPA_PLATFORM=xcb DISPLAY="$display" NBCOMPANION_QUIT_WHEN_SHOWN=1 \
  nbcompanion
kill "$xvfb_pid"; xvfb_pid=""
record="$family/.local/share/nbcompanion/care-record.sqlite3"
[ -f "$record" ] || { echo "the installed app made no record in the data folder"; exit 1; }
before=$(sha256sum "$record")
$SUDO dpkg -r nbcompanion
[ ! -e /opt/nbcompanion ] && [ ! -e /usr/bin/nbcompanion ] || { echo "dpkg -r left the app"; exit 1; }
[ "$(sha256sum "$record")" = "$before" ] || { echo "dpkg -r changed the family's record"; exit 1; }
echo "dpkg -r left the family's record in place: $(ls "$family/.local/share/nbcompanion")"
step "all packaging checks passed"
