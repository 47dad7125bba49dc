#!/usr/bin/env bash
# Ingest throughput of receipts, release build: makes N distinct paSendRTV2 receipts from the spec
# pack's real sample (one file each, 1,000 per folder), then times `quadra ingest` into a new store.
# Usage: Scripts/bench-ingest.sh [N]   (default 20000)
set -euo pipefail
n=${1:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
sample="$root/../shared/spec/samples/paSendRTV2Request_multibeneficiary_2transfers.xml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --package-path "$root" >/dev/null
python3 - "$sample" "$work/inbox" "$n" <<'PY'
import os, sys
template, out, n = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3])
for i in range(n):
    iuv = '31%015d' % i
    text = (template.replace('c110729d258c4ab1b765fe902aae41d6', '%032x' % (i + 1))
                    .replace('311111111112222222', '3' + iuv).replace('11111111112222222', iuv))
    folder = os.path.join(out, '%04d' % (i // 1000))
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, 'rt-%d.xml' % i), 'w').write(text)
PY
echo "input: $n receipts, $(du -sm "$work/inbox" | cut -f1) MB on disk"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" \
    "$root/.build/release/quadra" ingest --db "$work/quadra.sqlite" "$work/inbox"
/usr/bin/time -f "second pass (all skipped): wall %e s" \
    "$root/.build/release/quadra" ingest --db "$work/quadra.sqlite" "$work/inbox"
