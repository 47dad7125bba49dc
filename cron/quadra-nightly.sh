#!/bin/sh
# Quadra's nightly job under cron: one run at a time, bounded in time, the store backed up first, a
# one-line summary on stderr whenever it fails (cron mails stderr to MAILTO), its exit code kept.
#
#   quadra-nightly.sh [ENV_FILE]     (default /etc/quadra/quadra.env; must be readable: else exit 78)
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
#   QUADRA_RETAIN_DAYS  report folders and archived/rejected files of nights older than this are removed (default 400)
#   QUADRA_BACKUP_DIR folder of store backups taken before each run (default $QUADRA_HOME/backup)
#   QUADRA_BACKUPS    backups kept, newest first         (default 7)
#   QUADRA_TIMEOUT    the run is stopped after this long (timeout(1) syntax, default 4h)
#   QUADRA_MAIL_TO    address mailed the log tail on a non-zero exit; empty: no mail (cron's MAILTO gets stderr anyway)
#   QUADRA_EXTRA      more options for quadra run, e.g. --group-readable
#   QUADRA_FETCH      fetches run before the night, in order, e.g. "flows receipts"; empty: none. After
#                     them the night waits QUADRA_FETCH_SETTLE seconds (default 61), past the run's
#                     --settle (60 s by default), so that tonight's run reads what was just fetched
#                     (needs [pagopa] in quadra.toml; a failed fetch is logged and the run goes on)
#   QUADRA_FETCH_SINCE  first day of flows for the very first fetch (default 30 days ago);
#                     later fetches ask only for flows published after the last one fetched
set -u
ENV_FILE=${1:-/etc/quadra/quadra.env}
if [ ! -r "$ENV_FILE" ]; then
    echo "quadra-nightly: cannot read $ENV_FILE as $(id -un): install it 0640 root:quadra (see README); nothing was run" >&2
    exit 78
fi
# shellcheck disable=SC1090
. "$ENV_FILE"
QUADRA_BIN=${QUADRA_BIN:-/opt/quadra/bin/quadra}
QUADRA_HOME=${QUADRA_HOME:-/var/lib/quadra}
QUADRA_CONFIG=${QUADRA_CONFIG:-$QUADRA_HOME/quadra.toml}
QUADRA_DB=${QUADRA_DB:-$QUADRA_HOME/quadra.sqlite}
QUADRA_INBOX=${QUADRA_INBOX:-$QUADRA_HOME/inbox}
QUADRA_OUT=${QUADRA_OUT:-$QUADRA_HOME/Reports}
QUADRA_ARCHIVE=${QUADRA_ARCHIVE:-}
QUADRA_LOG=${QUADRA_LOG:-/var/log/quadra/nightly.log}
QUADRA_RETAIN_DAYS=${QUADRA_RETAIN_DAYS:-400}
QUADRA_BACKUP_DIR=${QUADRA_BACKUP_DIR:-$QUADRA_HOME/backup}
QUADRA_BACKUPS=${QUADRA_BACKUPS:-7}
QUADRA_TIMEOUT=${QUADRA_TIMEOUT:-4h}
QUADRA_MAIL_TO=${QUADRA_MAIL_TO:-}
QUADRA_EXTRA=${QUADRA_EXTRA:-}
QUADRA_FETCH=${QUADRA_FETCH:-}
QUADRA_FETCH_SETTLE=${QUADRA_FETCH_SETTLE:-61}
QUADRA_FETCH_SINCE=${QUADRA_FETCH_SINCE:-$(date -u -d '30 days ago' +%Y-%m-%d)}

umask 077
# The wrapper's own lines carry one stamp and its name, like quadra's (which stamp themselves).
log() { printf '%s quadra-nightly: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$QUADRA_LOG"; }
# One line on stderr for cron to mail, then the exit.
fail() {
    status=$1
    shift
    echo "quadra-nightly on $(hostname): exit $status: $*" >&2
    log "end: exit $status: $*"
    exit "$status"
}

mkdir -p "$(dirname "$QUADRA_LOG")" || { echo "quadra-nightly: cannot create the folder of $QUADRA_LOG" >&2; exit 74; }
cd "$QUADRA_HOME" || fail 74 "cannot enter $QUADRA_HOME"

# The lock is created beside the store. A redirection that fails on `exec` ends sh at once (exit 2,
# no line for cron to mail), so it is tried in a subshell first: a store's folder that is not there (a
# typo, a volume not mounted) or not writable is exit 74, named, and no new store is made elsewhere.
( : >>"$QUADRA_DB.nightly.lock" ) 2>/dev/null \
    || fail 74 "cannot create $QUADRA_DB.nightly.lock: is the folder of QUADRA_DB there and writable? nothing was run"
# flock -n: a run still going when the next is due makes the newcomer exit 75 at once, not queue up.
exec 9>"$QUADRA_DB.nightly.lock"
flock -n 9 || fail 75 "a previous nightly run still holds $QUADRA_DB.nightly.lock; this one did nothing"

if [ -e "$QUADRA_DB" ]; then
    mkdir -p "$QUADRA_BACKUP_DIR" || fail 74 "cannot create $QUADRA_BACKUP_DIR"
    backup="$QUADRA_BACKUP_DIR/quadra-$(date -u +%Y%m%dT%H%M%SZ)-$$.sqlite"
    "$QUADRA_BIN" backup --db "$QUADRA_DB" --to "$backup" 2>>"$QUADRA_LOG" \
        || fail 74 "the backup of $QUADRA_DB to $backup failed (see $QUADRA_LOG); the run was not started"
    # Keep the newest QUADRA_BACKUPS.
    ls -1t "$QUADRA_BACKUP_DIR"/quadra-*.sqlite 2>/dev/null | tail -n +"$((QUADRA_BACKUPS + 1))" | while IFS= read -r old; do
        rm -f "$old"
    done
fi

# Where tonight's lines begin, so that the summary quotes tonight's error, not an earlier night's.
night_start=1
[ -f "$QUADRA_LOG" ] && night_start=$(($(wc -c <"$QUADRA_LOG") + 1))

# Fetch first, so that tonight's run reads what pagoPA published today. A fetch that fails leaves the
# inbox consistent (files land whole, the fetch state records finished flows only): the run goes on,
# and the wrapper exits with the fetch's code if the run itself succeeded.
fetch_status=0
for what in $QUADRA_FETCH; do
    set -- fetch "$what" --inbox "$QUADRA_INBOX" --config "$QUADRA_CONFIG" --db "$QUADRA_DB"
    [ "$what" = flows ] && set -- "$@" --since "$QUADRA_FETCH_SINCE"
    log "fetch: $QUADRA_BIN $*"
    "$QUADRA_BIN" "$@" >>"$QUADRA_LOG" 2>&1
    code=$?
    [ "$code" -ne 0 ] && { log "fetch $what: exit $code"; fetch_status=$code; }
done
# A file younger than the run's --settle is taken for one still being copied and left for the next
# night: what the fetch just wrote (whole, by rename) would wait a day.
[ -n "$QUADRA_FETCH" ] && sleep "$QUADRA_FETCH_SETTLE"

log "start: $QUADRA_BIN run --inbox $QUADRA_INBOX"
set -- run --inbox "$QUADRA_INBOX" --config "$QUADRA_CONFIG" --db "$QUADRA_DB" --out "$QUADRA_OUT"
[ -n "$QUADRA_ARCHIVE" ] && set -- "$@" --archive "$QUADRA_ARCHIVE"
# shellcheck disable=SC2086
timeout --kill-after=60 "$QUADRA_TIMEOUT" "$QUADRA_BIN" "$@" $QUADRA_EXTRA >>"$QUADRA_LOG" 2>&1
status=$?
[ "$status" -eq 0 ] && status=$fetch_status

# Past the retention period, by the day in their names, never by modification time: report folders are
# named by their as-of date (YYYY-MM-DD), archived and rejected originals sit in the folder of the night
# that read them (YYYY/MM/DD/), and a move keeps a file's own date: a document sent with an old date
# (rsync -t, an unzip, a backfill) was deleted the very night it was archived.
cutoff=$(date -u -d "$QUADRA_RETAIN_DAYS days ago" +%Y%m%d)
if [ -d "$QUADRA_OUT" ]; then
    for folder in "$QUADRA_OUT"/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]; do
        [ -d "$folder" ] || continue
        day=$(basename "$folder" | tr -d -)
        [ "$day" -lt "$cutoff" ] && rm -rf "$folder"
    done
fi
if [ -n "$QUADRA_ARCHIVE" ] && [ -d "$QUADRA_ARCHIVE" ]; then
    for base in "$QUADRA_ARCHIVE" "$QUADRA_ARCHIVE/rejected"; do
        for folder in "$base"/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]; do
            [ -d "$folder" ] || continue
            day=$(printf '%s' "${folder#"$base"/}" | tr -d /)
            [ "$day" -lt "$cutoff" ] && rm -rf "$folder"
        done
    done
    find "$QUADRA_ARCHIVE" -mindepth 1 -type d -empty -delete >>"$QUADRA_LOG" 2>&1
fi

if [ "$status" -ne 0 ]; then
    if [ -n "$QUADRA_MAIL_TO" ] && command -v mail >/dev/null 2>&1; then
        tail -n 50 "$QUADRA_LOG" | mail -s "Quadra nightly run: exit $status on $(hostname)" "$QUADRA_MAIL_TO"
    fi
    case $status in
        124|137) reason="stopped after $QUADRA_TIMEOUT (QUADRA_TIMEOUT)" ;;
        65) reason="some documents were rejected or quarantined" ;;
        74) reason="a file, the inbox or the store could not be read or written" ;;
        75) reason="another process holds the store lock" ;;
        78) reason="the configuration is missing or wrong" ;;
        *) reason="quadra run failed" ;;
    esac
    last=$(tail -c +"$night_start" "$QUADRA_LOG" | grep -E '^[^ ]+ quadra (error|critical|warning): ' | tail -n 1 | cut -d' ' -f2- | cut -c1-300)
    fail "$status" "$reason${last:+; last: $last}"
fi
log "end: exit 0"
exit 0
