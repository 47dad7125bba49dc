#!/bin/sh
# Renders a night's summary.html with headless Chromium (Debian package `chromium`) into a PNG, to check
# the page renders without any network: Chromium runs with networking disabled by proxy.
#
#   Scripts/screenshot-summary.sh [SUMMARY_HTML] [OUT_PNG]
# default: the sample day's page (run `quadra run --inbox Samples/inbox --config Samples/quadra.toml
# --as-of 2026-11-20` first) into docs/summary.png.
set -eu
page=${1:-Reports/2026-11-20/summary.html}
out=${2:-docs/summary.png}
[ -r "$page" ] || { echo "no page at $page" >&2; exit 66; }
mkdir -p "$(dirname "$out")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --proxy-server=127.0.0.1:9 --window-size=1000,1400 --screenshot="$out" "file://$(realpath "$page")" 2>/dev/null
[ -s "$out" ] || { echo "chromium wrote no screenshot" >&2; exit 70; }
echo "$out"
