#!/usr/bin/env bash
# The scale benchmark (release build): generates a dataset of N receipts once (kept under
# $BENCH_DIR, default /tmp/quadra-bench), then times the nightly run's phases separately (ingest,
# reconcile, report: one process each, into a new store) and together (`quadra run`, another new
# store), printing receipts/s, MB/s of input, peak resident memory (getrusage of each process, via
# GNU time) and the store's and reports' sizes.
# Usage: Scripts/bench.sh [N] [SEED]   (default 100000 1; 50 creditors, 1 payment day, anomaly rate 0.01)
set -euo pipefail
n=${1:-100000}
seed=${2:-1}
source "$(dirname "$0")/bench-common.sh"
data="$bench/n$n-s$seed"
generate_once "$data" dataset.json --seed "$seed" --creditors 50 --receipts "$n" --anomaly-rate 0.01
as_of=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$data/dataset.json")
input_mb=$(du -sm "$data/inbox" | cut -f1)
files=$(find "$data/inbox" -type f | wc -l)
work=$(mktemp -d "$bench/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One phase: wall seconds, peak RSS (KB) and CPU seconds (user + system) of one process, appended
# to $work/times.
phase() {
    local name=$1; shift
    /usr/bin/time -o "$work/time" -f "%e %M %U %S" "$@" >/dev/null 2>"$work/$name.log" || { cat "$work/$name.log" >&2; exit 1; }
    read -r seconds rss user system < "$work/time"
    echo "$name $seconds $rss $user $system" >> "$work/times"
}
config=(--db "$work/phases.sqlite" --config "$data/quadra.toml" --log-level warning)
phase ingest "$quadra" ingest "${config[@]}" "$data/inbox"
phase reconcile "$quadra" reconcile "${config[@]}" --as-of "$as_of"
phase report "$quadra" report "${config[@]}" --as-of "$as_of" --out "$work/reports"
phase together "$quadra" run --db "$work/run.sqlite" --config "$data/quadra.toml" --log-level warning \
    --inbox "$data/inbox" --as-of "$as_of" --out "$work/run-reports" --settle 0

store_mb=$(du -sm "$work/run.sqlite" | cut -f1)
reports_kb=$(du -sk "$work/run-reports" | cut -f1)
echo "dataset: $n receipts (seed $seed), $files files, $input_mb MB of input; as of $as_of"
while read -r name seconds rss user system; do
    python3 - "$name" "$seconds" "$rss" "$n" "$input_mb" "$user" "$system" <<'PY'
import sys
name, seconds, rss, n, mb = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cpu = float(sys.argv[6]) + float(sys.argv[7])
rate = f", {n / seconds:,.0f} receipts/s, {mb / seconds:,.1f} MB/s" if name in ("ingest", "together") else ""
print(f"  {name:<10} {seconds:7.2f} s, peak RSS {rss / 1024:,.0f} MB, CPU {cpu:.1f} s ({cpu / max(seconds, 0.01):.2f} cores){rate}")
PY
done < "$work/times"
echo "  store $store_mb MB, reports $reports_kb KB"
