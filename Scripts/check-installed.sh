#!/bin/sh
# Proves an installed quadra binary runs on a server without a Swift toolchain: no libswift* among
# the libraries it loads (ldd), then the sample day run with an empty environment — no Swift on PATH,
# LD_LIBRARY_PATH empty — from a scratch folder.
#
#   Scripts/check-installed.sh [BINARY]     (default /opt/quadra/bin/quadra)
set -eu
cd "$(dirname "$0")/.."
binary=$(readlink -f "${1:-/opt/quadra/bin/quadra}")
[ -x "$binary" ] || { echo "check-installed: $binary is not an executable" >&2; exit 1; }

if ldd "$binary" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime' ; then
    echo "check-installed: $binary loads the Swift runtime above from the toolchain" >&2
    exit 1
fi
if ldd "$binary" | grep -q 'not found'; then
    ldd "$binary" >&2
    echo "check-installed: $binary misses a system library" >&2
    exit 1
fi

work=$(mktemp -d /tmp/quadra-installed.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -R Samples/inbox "$work/inbox"
cp Samples/quadra.toml "$work/quadra.toml"
cd "$work"
env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH= HOME="$work" "$binary" --version
env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH= HOME="$work" "$binary" run --inbox inbox --as-of 2026-11-20 --settle 0 2>run.log \
    || { cat run.log >&2; echo "check-installed: the sample day failed" >&2; exit 1; }
grep -q 'run 2026-11-20: 26 documents' run.log || { cat run.log >&2; exit 1; }
test -s Reports/2026-11-20/manifest.json
echo "check-installed: $binary runs the sample day with no toolchain on its paths ($(ldd "$binary" | wc -l) system libraries)"
