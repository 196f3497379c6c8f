#!/usr/bin/env bash
# lucsim loads and reports the allocator it was built with (CMakeLists.txt, LUCSIM_TCMALLOC): with
# tcmalloc, SimGrid's and lucsim's calls to malloc and free bind to tcmalloc, none to glibc's.
# usage: allocator.sh LUCSIM_BINARY EXPECTED   (EXPECTED: tcmalloc or glibc)
set -u
lucsim=$1 expected=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
version=$("$lucsim" --version) || fail "lucsim --version exited $?"
[[ $version == *"malloc: $expected)" ]] || fail "lucsim --version says '$version', expected malloc: $expected"
bindings=$(LD_DEBUG=bindings "$lucsim" --version 2>&1 >/dev/null | grep -E "normal symbol \`(malloc|free)'")
to() { grep -c "binding file [^ ]*$1[^ ]* .* to [^ ]*$2" <<< "$bindings"; }
case $expected in
  tcmalloc)
    [ "$(to libsimgrid libtcmalloc_minimal)" -ge 2 ] || fail "SimGrid's malloc and free do not bind to tcmalloc"
    [ "$(to lucsim libtcmalloc_minimal)" -ge 1 ] || fail "lucsim's own calls do not bind to tcmalloc"
    [ "$(to "" libc.so)" -eq 0 ] || fail "some malloc or free still binds to glibc: $(grep libc.so <<< "$bindings" | head -1)" ;;
  glibc)
    [ "$(to "" libtcmalloc)" -eq 0 ] || fail "tcmalloc is loaded in a glibc build" ;;
  *) fail "unknown allocator '$expected'" ;;
esac
echo "ok: malloc is $expected"
