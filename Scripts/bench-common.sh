# Sourced by bench.sh and bench-nights.sh: the repository, the release build of quadra, and
# datasets generated once under $BENCH_DIR (default /tmp/quadra-bench), kept for the next run.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench=${BENCH_DIR:-/tmp/quadra-bench}
quadra="$root/.build/release/quadra"
# Quiet when it builds; a failed build shows why (its errors are on standard output) and stops the script.
build_log=$(swift build -c release --package-path "$root" 2>&1) || { printf '%s\n' "$build_log" >&2; exit 1; }
mkdir -p "$bench"

# generate_once DIR LAST ARGS...: `quadra generate --out DIR ARGS...`, unless DIR/LAST (the file the
# generator writes last) shows a complete dataset is already there.
generate_once() {
    local data=$1 last=$2
    shift 2
    [ -f "$data/$last" ] && return
    rm -rf "$data"
    /usr/bin/time -f "generate: %e s, peak RSS %M KB" "$quadra" generate --out "$data" "$@"
}
