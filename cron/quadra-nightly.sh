#!/bin/sh
# Quadra's nightly job under cron: one run at a time, logged with timestamps, its exit code kept.
#
#   quadra-nightly.sh [ENV_FILE]     (default /etc/quadra/quadra.env)
#
# ENV_FILE sets, in shell syntax:
#   QUADRA_BIN        the quadra binary                  (default /opt/quadra/bin/quadra)
#   QUADRA_HOME       working folder (relative paths)    (default /var/lib/quadra)
#   QUADRA_CONFIG     quadra.toml                        (default $QUADRA_HOME/quadra.toml)
#   QUADRA_DB         the store                          (default $QUADRA_HOME/quadra.sqlite)
#   QUADRA_INBOX      where documents arrive             (default $QUADRA_HOME/inbox)
#   QUADRA_OUT        reports root, OUT/<as-of>/         (default $QUADRA_HOME/Reports)
#   QUADRA_ARCHIVE    archive folder; empty: leave the inbox as it is (default empty)
#   QUADRA_LOG        log file, rotated by logrotate     (default /var/log/quadra/nightly.log)
#   QUADRA_RETAIN_DAYS  report folders older than this are removed (default 400)
#   QUADRA_MAIL_TO    address mailed the log tail on a non-zero exit; empty: no mail
#   QUADRA_EXTRA      more options for quadra run, e.g. --group-readable
#   QUADRA_FETCH      fetches run before the night, in order, e.g. "flows receipts"; empty: none
#                     (needs [pagopa] in quadra.toml; a failed fetch is logged and the run goes on)
#   QUADRA_FETCH_SINCE  first day of flows for the very first fetch (default 30 days ago);
#                     later fetches ask only for flows published after the last one fetched
set -u
ENV_FILE=${1:-/etc/quadra/quadra.env}
if [ -r "$ENV_FILE" ]; then
    # shellcheck disable=SC1090
    . "$ENV_FILE"
fi
QUADRA_BIN=${QUADRA_BIN:-/opt/quadra/bin/quadra}
QUADRA_HOME=${QUADRA_HOME:-/var/lib/quadra}
QUADRA_CONFIG=${QUADRA_CONFIG:-$QUADRA_HOME/quadra.toml}
QUADRA_DB=${QUADRA_DB:-$QUADRA_HOME/quadra.sqlite}
QUADRA_INBOX=${QUADRA_INBOX:-$QUADRA_HOME/inbox}
QUADRA_OUT=${QUADRA_OUT:-$QUADRA_HOME/Reports}
QUADRA_ARCHIVE=${QUADRA_ARCHIVE:-}
QUADRA_LOG=${QUADRA_LOG:-/var/log/quadra/nightly.log}
QUADRA_RETAIN_DAYS=${QUADRA_RETAIN_DAYS:-400}
QUADRA_MAIL_TO=${QUADRA_MAIL_TO:-}
QUADRA_EXTRA=${QUADRA_EXTRA:-}
QUADRA_FETCH=${QUADRA_FETCH:-}
QUADRA_FETCH_SINCE=${QUADRA_FETCH_SINCE:-$(date -u -d '30 days ago' +%Y-%m-%d)}

mkdir -p "$(dirname "$QUADRA_LOG")" "$QUADRA_OUT" || exit 74
cd "$QUADRA_HOME" || exit 74
umask 077

stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$line"; done; }
log() { printf '%s\n' "$*" | stamp >>"$QUADRA_LOG"; }

# flock -n: a run still going when the next is due makes the newcomer exit 75 at once, not queue up.
exec 9>"$QUADRA_DB.nightly.lock"
if ! flock -n 9; then
    log "another nightly run is still going; this one exits"
    exit 75
fi

# Fetch first, so that tonight's run reads what pagoPA published today. A fetch that fails leaves the
# inbox consistent (files land whole, the fetch state records finished flows only): the run goes on,
# and the wrapper exits with the fetch's code if the run itself succeeded.
fetch_status=0
for what in $QUADRA_FETCH; do
    set -- fetch "$what" --inbox "$QUADRA_INBOX" --config "$QUADRA_CONFIG" --db "$QUADRA_DB"
    [ "$what" = flows ] && set -- "$@" --since "$QUADRA_FETCH_SINCE"
    log "fetch: $QUADRA_BIN $*"
    status_file=$(mktemp) || exit 74
    { "$QUADRA_BIN" "$@" 2>&1; echo $? >"$status_file"; } | stamp >>"$QUADRA_LOG"
    code=$(cat "$status_file")
    rm -f "$status_file"
    [ "$code" -ne 0 ] && { log "fetch $what: exit $code"; fetch_status=$code; }
done

log "start: $QUADRA_BIN run --inbox $QUADRA_INBOX"
set -- run --inbox "$QUADRA_INBOX" --config "$QUADRA_CONFIG" --db "$QUADRA_DB" --out "$QUADRA_OUT"
[ -n "$QUADRA_ARCHIVE" ] && set -- "$@" --archive "$QUADRA_ARCHIVE"
status_file=$(mktemp) || exit 74
# shellcheck disable=SC2086
{ "$QUADRA_BIN" "$@" $QUADRA_EXTRA 2>&1; echo $? >"$status_file"; } | stamp >>"$QUADRA_LOG"
status=$(cat "$status_file")
rm -f "$status_file"
log "end: exit $status"
[ "$status" -eq 0 ] && status=$fetch_status

# Run folders are named by their as-of date (YYYY-MM-DD); remove those older than the retention period.
find "$QUADRA_OUT" -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' \
    -mtime +"$QUADRA_RETAIN_DAYS" -exec rm -rf {} + 2>&1 | stamp >>"$QUADRA_LOG"

if [ "$status" -ne 0 ] && [ -n "$QUADRA_MAIL_TO" ] && command -v mail >/dev/null 2>&1; then
    tail -n 50 "$QUADRA_LOG" | mail -s "Quadra nightly run: exit $status on $(hostname)" "$QUADRA_MAIL_TO"
fi
exit "$status"
