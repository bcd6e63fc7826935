#!/usr/bin/env bash
# The ctest fixture: `pg.sh start STATE` starts a throwaway PostgreSQL
# cluster in a fresh temporary folder, creates the migrated template
# database leen_template, and writes the connection settings to STATE;
# `pg.sh stop STATE` stops it and removes the folder.
set -euo pipefail
# shellcheck source=../../scripts/lib.sh
source "$(dirname "$0")/../../scripts/lib.sh"

cmd=${1:?start or stop}; state=${2:?state file}; api_bin=${3:-}
case $cmd in
  start)
    [ -f "$state" ] && "$0" stop "$state"
    dir=$(mktemp -d /tmp/leen-test-pg.XXXXXX)
    chmod 755 "$dir"
    # Another test may take the same free port between the check and the
    # bind: then the start is tried again on another port.
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if (pg_start "$dir" "$port" fast); then break; fi
      [ "$attempt" = 5 ] && exit 1
    done
    printf 'dir=%s\nhost=%s\nport=%s\n' "$dir" "$dir" "$port" >"$state"
    psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$@"; }
    psql -d postgres -c "CREATE DATABASE leen_template"
    if [ -n "$api_bin" ]; then
      DATABASE_URL="host=$dir port=$port user=postgres dbname=leen_template" "$api_bin" migrate 2>/dev/null
    fi
    psql -d postgres -c "ALTER DATABASE leen_template WITH is_template true"
    ;;
  stop)
    [ -f "$state" ] || exit 0
    dir=$(sed -n 's/^dir=//p' "$state")
    if [ -n "$dir" ] && [ -d "$dir" ]; then
      pg_stop "$dir"
      rm -rf "$dir"
    fi
    rm -f "$state"
    ;;
  *) echo "usage: pg.sh start|stop STATE [leen-api]" >&2; exit 2 ;;
esac
