#!/usr/bin/env bash
# Memory of a large reporting flow: writes FdR XML flows of N rows (default 100,000 and 400,000) and
# ingests each into a new store with the release build, printing time and peak resident memory.
# Flows above 8 MiB are parsed as they stream from disk, so peak memory should not follow the rows.
# With ONE_IUV=1 every row carries the same IUV (distinct IURs), the shape that once made
# reconciliation quadratic; the flow is then also reconciled, and its time should follow the rows.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --package-path "$root" >/dev/null
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 400000)
for rows in "${sizes[@]}"; do
    python3 - "$work/flow-$rows.xml" "$rows" "${ONE_IUV:-0}" <<'PY'
import sys
path, n, one = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1'

with open(path, 'w') as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">'
              '<versioneOggetto>1.0</versioneOggetto><identificativoFlusso>2026-11-17ESMPITMM-BIG%d</identificativoFlusso>'
              '<dataOraFlusso>2026-11-17T19:00:00</dataOraFlusso><identificativoUnivocoRegolamento>SCT-BIG</identificativoUnivocoRegolamento>'
              '<dataRegolamento>2026-11-17</dataRegolamento><istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B'
              '</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>ESMPITMM</codiceIdentificativoUnivoco></identificativoUnivocoMittente>'
              '</istitutoMittente><istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>'
              '<codiceIdentificativoUnivoco>80000000002</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>'
              '<numeroTotalePagamenti>%d</numeroTotalePagamenti><importoTotalePagamenti>%d.00</importoTotalePagamenti>\n' % (n, n, n * 12))
    for i in range(n):
        out.write('<datiSingoliPagamenti><identificativoUnivocoVersamento>01%015d</identificativoUnivocoVersamento>'
                  '<identificativoUnivocoRiscossione>%032x</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>1'
                  '</indiceDatiSingoloPagamento><singoloImportoPagato>12.00</singoloImportoPagato><codiceEsitoSingoloPagamento>0'
                  '</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-16</dataEsitoSingoloPagamento></datiSingoliPagamenti>\n' % (0 if one else i, i + 1))
    out.write('</FlussoRiversamento>\n')
PY
    echo "$rows rows, $(du -m "$work/flow-$rows.xml" | cut -f1) MB:"
    /usr/bin/time -f "  ingest: wall %e s, peak RSS %M KB" "$root/.build/release/quadra" ingest --log-level error --db "$work/store-$rows.sqlite" "$work/flow-$rows.xml"
    if [ "${ONE_IUV:-0}" = 1 ]; then
        printf '[[creditor]]\nfiscal_code = "80000000002"\nname = "Comune"\n' > "$work/quadra.toml"
        /usr/bin/time -f "  reconcile: wall %e s, peak RSS %M KB" "$root/.build/release/quadra" reconcile --log-level error \
            --config "$work/quadra.toml" --db "$work/store-$rows.sqlite" --as-of 2026-11-20
    fi
done
