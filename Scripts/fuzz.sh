#!/usr/bin/env bash
# Runs one libFuzzer target over Quadra's readers for SECONDS (default 600, the issue's 10 minutes):
#
#   Scripts/fuzz.sh TARGET [SECONDS]      TARGET: receipt fdr-xml fdr3 gpd taxonomy opi camt053 bank-csv causale gzip zip
#   Scripts/fuzz.sh all [SECONDS]         every target in turn
#
# Builds Fuzz/ when its sources changed (a separate package, `swiftc -sanitize=fuzzer,address`, debug, so
# `@testable` reaches the internal readers), seeds Fuzz/corpus/TARGET from the test fixtures and
# Samples, and runs at nice 19. A crash leaves crash-* in Fuzz/artifacts/TARGET: turn each into a
# regression test with its input under Tests/QuadraKitTests/Fixtures/fuzz/, fix, rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: Scripts/fuzz.sh TARGET [SECONDS]}
seconds=${2:-600}
targets=(receipt fdr-xml fdr3 gpd taxonomy opi camt053 bank-csv causale gzip zip)
if [ "$target" = all ]; then
    for each in "${targets[@]}"; do "$0" "$each" "$seconds"; done
    exit 0
fi

# Built only when a source is newer than the binary: the instrumented build of every dependency takes
# minutes, and SwiftPM redoes much of it whenever anything under the dependency's folder moves.
binary=Fuzz/.build/debug/QuadraFuzz
if [ ! -x "$binary" ] || [ -n "$(find Package.swift Sources Fuzz/Package.swift Fuzz/Sources -newer "$binary" -print -quit)" ]; then
    # -Xswiftc, not SwiftPM's --sanitize=fuzzer: that one links libFuzzer but leaves the Swift code
    # without coverage instrumentation, so the fuzzer runs blind (measured: 59 edges for the receipt reader).
    nice -n 19 swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address >&2
fi

fixtures=Tests/QuadraKitTests/Fixtures/samples
corpus=Fuzz/corpus/$target
artifacts=Fuzz/artifacts/$target
mkdir -p "$corpus" "$artifacts"
seed() { for file in "$@"; do [ -f "$file" ] && cp "$file" "$corpus/" || true; done; }
case $target in
    receipt) seed $fixtures/paSendRTV2Request_*.xml Samples/inbox/receipts/*.xml Samples/bad/receipt-*.xml ;;
    fdr-xml) seed $fixtures/FlussoRiversamento_*.xml $fixtures/nodoInvia*.xml Samples/inbox/flows/*.xml Samples/bad/fdr-*.xml ;;
    fdr3) seed $fixtures/fdr3_*.json Samples/inbox/flows/*.json ;;
    gpd) seed $fixtures/gpd_*.json Samples/inbox/8*/gpd/*.json Samples/bad/gpd-*.json ;;
    taxonomy) seed Samples/inbox/taxonomy/* Tests/QuadraKitTests/Fixtures/taxonomy/* ;;
    opi) seed $fixtures/opi_*.xml Samples/inbox/treasury/GDC_*.xml ;;
    camt053) seed Samples/inbox/treasury/camt053_*.xml ;;
    bank-csv) seed Samples/bank-csv/* ;;
    causale) printf '/PUR/LGPE-RIVERSAMENTO/URI/2026-11-17ABI08999-00123' >"$corpus/pur"
             printf '/RFB/01261060000077770/45.00/TXT/multa' >"$corpus/rfb"
             printf 'RIVERSAMENTO 2026-11-17ESMPITMM-S0001726 LGPE-INTEGRAZIONE' >"$corpus/free" ;;
    gzip) gzip -nc $fixtures/paSendRTV2Request_multibeneficiary_2transfers.xml >"$corpus/receipt.gz"
          seed Samples/inbox/receipts/*.gz ;;
    zip) (cd $fixtures && zip -q -X - paSendRTV2Request_multibeneficiary_2transfers.xml) >"$corpus/receipt.zip" 2>/dev/null \
             || python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED); z.write(sys.argv[2],"rt.xml"); z.close()' \
                "$corpus/receipt.zip" "$fixtures/paSendRTV2Request_multibeneficiary_2transfers.xml" ;;
    *) echo "fuzz: unknown target $target (one of ${targets[*]})" >&2; exit 64 ;;
esac

echo "fuzz: $target for $seconds s, corpus $corpus ($(ls "$corpus" | wc -l) seeds)" >&2
# Leaks are still checked, but for the third-party ones listed (with their reason) in Fuzz/lsan.supp.
LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan.supp SWIFT_BACKTRACE=enable=no QUADRA_FUZZ_TARGET=$target nice -n 19 "$binary" "$corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="$artifacts/" -print_final_stats=1
