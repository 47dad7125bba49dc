#!/bin/sh
# Installs Quadra and its cron kit on a server with no Swift toolchain, as README's "Installing the
# nightly job" describes. Run as root from a checkout on the build machine (or copy the built binary
# and this checkout over):
#
#   Scripts/install.sh            build (release, Swift runtime linked in) and install under /
#   DESTDIR=/tmp/stage Scripts/install.sh --no-build   stage into a folder, no users, no crontab
#
# What it does, in order: build `swift build -c release --static-swift-stdlib` (unless --no-build);
# create the system user and group `quadra` (and the group named by QUADRA_READERS, default
# `accounting`, which may read the reports, with quadra a member); /var/lib/quadra 0750 and /var/lib/quadra/Reports 2750
# (setgid), both quadra:$QUADRA_READERS, and /var/log/quadra 0700; the binary to /opt/quadra/bin/quadra; the wrapper to /opt/quadra/cron/;
# /etc/quadra/quadra.env 0640 root:quadra (kept when present); logrotate; the crontab of user quadra;
# and last Scripts/check-installed.sh on the installed binary.
set -eu
cd "$(dirname "$0")/.."
build=1
[ "${1:-}" = "--no-build" ] && build=0
DESTDIR=${DESTDIR:-}
READERS=${QUADRA_READERS:-accounting}

if [ "$build" -eq 1 ]; then
    swift build -c release --static-swift-stdlib --product quadra
fi
binary=$(swift build -c release --show-bin-path)/quadra
[ -x "$binary" ] || { echo "install: $binary is not built" >&2; exit 1; }

if [ -z "$DESTDIR" ]; then
    getent group quadra >/dev/null || groupadd --system quadra
    getent passwd quadra >/dev/null || useradd --system --gid quadra --home-dir /var/lib/quadra --shell /usr/sbin/nologin quadra
    getent group "$READERS" >/dev/null || groupadd --system "$READERS"
    # quadra writes the readers' files: Linux keeps a folder's setgid bit (so its files belong to the
    # readers) only for a member of that group, and lets a process give files only to its own groups.
    usermod -a -G "$READERS" quadra
    owner="-o quadra -g $READERS"
    root_quadra="-o root -g quadra"
    log_owner="-o quadra -g quadra"
else
    owner="" root_quadra="" log_owner=""
fi
# shellcheck disable=SC2086
install -d $owner -m 0750 "$DESTDIR/var/lib/quadra"
# The reports' root is setgid: every night's folder (0750 with --group-readable) then belongs to the
# readers' group, not to quadra's own, or the group could not enter it (seen on a real install).
# shellcheck disable=SC2086
install -d $owner -m 2750 "$DESTDIR/var/lib/quadra/Reports"
# shellcheck disable=SC2086
install -d $log_owner -m 0700 "$DESTDIR/var/log/quadra"
install -D -m 0755 "$binary" "$DESTDIR/opt/quadra/bin/quadra"
install -D -m 0755 cron/quadra-nightly.sh "$DESTDIR/opt/quadra/cron/quadra-nightly.sh"
if [ ! -e "$DESTDIR/etc/quadra/quadra.env" ]; then
    # shellcheck disable=SC2086
    install -D $root_quadra -m 0640 cron/quadra.env.example "$DESTDIR/etc/quadra/quadra.env"
fi
install -D -m 0644 cron/quadra.logrotate "$DESTDIR/etc/logrotate.d/quadra"
if [ -z "$DESTDIR" ]; then
    crontab -u quadra cron/quadra.crontab
fi
Scripts/check-installed.sh "$DESTDIR/opt/quadra/bin/quadra"
echo "install: done; edit /etc/quadra/quadra.env and put quadra.toml in /var/lib/quadra"
