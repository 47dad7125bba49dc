#!/usr/bin/env bash
# Load test of the broadcast station, release build, over loopback: C concurrent keep-alive clients
# post N distinct paSendRTV2 receipts (plus 5% resends, 2% conflicting copies, 1% receipts for a
# creditor not served). Run twice: once undisturbed (receipts/s and latency percentiles), once with
# the station killed with SIGKILL halfway and restarted, clients sending again what got no answer.
# Each run then checks the inbox: every receipt answered OK or PAA_RECEIPT_DUPLICATA is there exactly
# once, and nothing else is (no file for a receipt answered with another fault, no temporary file).
# Usage: Scripts/bench-station.sh [N] [C]   (default 20000 200)
set -euo pipefail
n=${1:-20000}
clients=${2:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
sample="$root/Tests/QuadraKitTests/Fixtures/samples/paSendRTV2Request_multibeneficiary_2transfers.xml"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
station_pid=
cleanup() { [ -n "$station_pid" ] && kill "$station_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
swift build -c release --package-path "$root" --product quadra >/dev/null
quadra="$root/.build/release/quadra"

start_station() {
    "$quadra" station --listen "127.0.0.1:$port" --inbox "$1" --config "$root/Samples/quadra.toml" --log-level error &
    station_pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return; sleep 0.1; done
    echo "the station did not start" >&2; exit 1
}

check() {  # inbox answers.json
    python3 - "$1" "$2" <<'PY'
import collections, json, os, sys
inbox, answers = sys.argv[1], json.load(open(sys.argv[2]))
files = [os.path.join(d, f) for d, _, fs in os.walk(inbox) for f in fs]
hidden = [f for f in files if os.path.basename(f).startswith('.')]
by_id = collections.Counter(os.path.basename(f).split('_')[1] for f in files if not os.path.basename(f).startswith('.'))
stored = {a['receiptId'] for a in answers if a['outcome'] in ('OK', 'PAA_RECEIPT_DUPLICATA')}
refused = {a['receiptId'] for a in answers if a['kind'] == 'not-served'}
outcomes = collections.Counter((a['kind'], a['outcome']) for a in answers)
problems = []
problems += ['%s answered OK/duplicate but in the inbox %d times' % (r, by_id[r]) for r in stored if by_id[r] != 1][:5]
problems += ['%s in the inbox but never answered OK or duplicate' % r for r in by_id if r not in stored][:5]
problems += ['%s refused (not served) but in the inbox' % r for r in refused if by_id[r]][:5]
problems += ['%d temporary files left' % len(hidden)] if hidden else []
problems += ['%d requests never answered' % outcomes.get(('new', 'UNANSWERED'), 0)] if any(o == 'UNANSWERED' for _, o in outcomes) else []
print('answers by (kind, outcome):', dict(sorted(outcomes.items())))
print('inbox: %d files for %d receipts answered OK or duplicate' % (len(files) - len(hidden), len(stored)))
if problems:
    print('FAILED:\n  ' + '\n  '.join(problems)); sys.exit(1)
print('check passed: every OK/duplicate receipt is in the inbox exactly once, nothing else is')
PY
}

echo "== undisturbed: $n receipts, $clients clients"
start_station "$work/inbox-a"
python3 "$root/Scripts/station-load.py" "http://127.0.0.1:$port/" "$sample" "$n" "$clients" "$work/answers-a.json"
kill -TERM "$station_pid"; wait "$station_pid" || true; station_pid=
check "$work/inbox-a" "$work/answers-a.json"

echo "== SIGKILL halfway and restart: $n receipts, $clients clients"
start_station "$work/inbox-b"
python3 "$root/Scripts/station-load.py" "http://127.0.0.1:$port/" "$sample" "$n" "$clients" "$work/answers-b.json" &
load_pid=$!
target=$((n / 2))
for _ in $(seq 600); do
    [ "$(find "$work/inbox-b" -name '*.xml' | wc -l)" -ge "$target" ] && break
    sleep 0.1
done
kill -KILL "$station_pid"; wait "$station_pid" 2>/dev/null || true
echo "killed with SIGKILL at $(find "$work/inbox-b" -name '*.xml' | wc -l) receipts; restarting"
start_station "$work/inbox-b"
wait "$load_pid"
kill -TERM "$station_pid"; wait "$station_pid" || true; station_pid=
check "$work/inbox-b" "$work/answers-b.json"
