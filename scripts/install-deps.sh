#!/bin/sh
# Installs the Debian packages stacklab needs, and only those that are missing.
#   scripts/install-deps.sh          build and run (compiler, Lua, readline, libpcap)
#   scripts/install-deps.sh test     also what `make test` needs (cmocka, tshark, tmux)
#   scripts/install-deps.sh fuzz     also clang and its sanitizer runtime
#   scripts/install-deps.sh memcheck also cmocka and valgrind (`make memcheck`)
# Runs non-interactively; uses sudo when not root. Prints nothing when all is there.
set -eu

want="gcc make pkg-config liblua5.4-dev libreadline-dev libpcap-dev"
case "${1:-}" in
  test) want="$want libcmocka-dev tshark tmux clang libclang-rt-14-dev" ;;
  fuzz) want="$want libcmocka-dev clang libclang-rt-14-dev" ;;
  memcheck) want="$want libcmocka-dev valgrind" ;;
  "") ;;
  *) echo "error: unknown argument '$1' (use: test, fuzz, memcheck, or nothing)" >&2; exit 2 ;;
esac

missing=""
for pkg in $want; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $pkg" ;;
  esac
done
[ -z "$missing" ] && exit 0

echo "stacklab: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "error: need root or sudo to install:$missing (run: apt-get install$missing)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the lab never captures live.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
# A fresh machine may have never fetched the package lists.
if ! $sudo apt-get install -y -q --no-install-recommends $missing; then
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends $missing
fi
