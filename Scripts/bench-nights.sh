#!/usr/bin/env bash
# The many-nights benchmark (release build): generates N nights of R receipts each (on average; 50
# creditors, anomaly rate 0.01; kept under $BENCH_DIR, default /tmp/quadra-bench), then runs the
# nights in order into ONE new store with `quadra run`, each night its own inbox and as-of date,
# and prints per night: wall time and peak RSS of the run (GNU time); each step's wall time, keys
# classified and discrepancies by status (from the run's summary line); whether those counts match
# the night's truth.jsonl; the store's size after the night, the size of the night's reports, and
# what the run wrote to files (GNU time's file system outputs, 512-byte units: the store's pages
# written twice, to the write-ahead log and back, plus the reports), which grows with the store's
# random-key indexes (README, *Scale and benchmark*).
# Each night's inbox is read once before its run is timed, as files that arrived during the day are
# in the page cache: this machine's kernel drops cold file pages within minutes, and a dataset
# generated an hour before made every night read its 95 MB from disk (night 1's ingest of 20,000
# receipts 9.1 s against 4.5 s with its files read just before), a constant that hid the engine's growth.
# `--settle 0`: a night's files are complete when it runs, even when they were generated seconds
# before (with the default 60 s, night 1 of a dataset just generated left its last files for night 2).
# Usage: Scripts/bench-nights.sh [N] [R] [SEED]   (default 30 100000 1)
set -euo pipefail
nights=${1:-30}
n=${2:-100000}
seed=${3:-1}
source "$(dirname "$0")/bench-common.sh"
data="$bench/nights$nights-n$n-s$seed"
generate_once "$data" "night-$(printf '%02d' "$nights")/night.json" \
    --seed "$seed" --creditors 50 --nights "$nights" --receipts "$n" --anomaly-rate 0.01
work=$(mktemp -d "$bench/nights.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "$nights nights of $n receipts (seed $seed) from $data, one store"
printf '%-5s %-10s %9s %9s %8s %8s %8s %9s %9s %6s %6s %8s %-5s %9s %10s %10s\n' \
    night as-of input-MB wall-s ingest reconc reports RSS-MB keys new open resolved truth store-MB reports-KB written-MB
for folder in "$data"/night-*/; do
    folder=${folder%/}
    as_of=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$folder/night.json")
    find "$folder/inbox" -type f -exec cat {} + > /dev/null
    /usr/bin/time -o "$work/time" -f "%e %M %O" "$quadra" run --db "$work/nights.sqlite" --config "$data/quadra.toml" \
        --log-level notice --settle 0 --inbox "$folder/inbox" --as-of "$as_of" --out "$work/reports" 2>"$work/run.log" >/dev/null \
        || { cat "$work/run.log" >&2; exit 1; }
    read -r seconds rss written < "$work/time"
    python3 - "$folder" "$as_of" "$seconds" "$rss" "$work" "$written" <<'PY'
import json, os, re, sys
folder, as_of, seconds, rss, work, written = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
def size(path):
    if os.path.isfile(path): return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)
line = next(l for l in open(f"{work}/run.log") if f"run {as_of}:" in l)
keys = int(re.search(r"; (\d+) keys", line).group(1))
steps = re.search(r"\(ingest ([\d.]+), reconcile ([\d.]+), reports ([\d.]+)\)", line).groups()
found = {s: int(re.search(rf"\b{s} (\d+)", line.split("discrepancies", 1)[1]).group(1)) for s in ("new", "open", "resolved", "escalated")}
planted = json.load(open(f"{folder}/night.json"))["statuses"]
truth = "ok" if all(found[s] == planted.get(s, 0) for s in found) else "DIFF"
store = sum(size(f"{work}/nights.sqlite{suffix}") for suffix in ("", "-wal") if os.path.exists(f"{work}/nights.sqlite{suffix}"))
print(f"{os.path.basename(folder)[6:]:<5} {as_of:<10} {size(folder + '/inbox') / 2**20:9.1f} {seconds:9.2f} {steps[0]:>8} {steps[1]:>8} {steps[2]:>8} {rss / 1024:9.0f} "
      f"{keys:9d} {found['new']:6d} {found['open']:6d} {found['resolved']:8d} {truth:<5} {store / 2**20:9.1f} "
      f"{size(f'{work}/reports/{as_of}') / 1024:10.0f} {written * 512 / 2**20:10.0f}")
PY
done
