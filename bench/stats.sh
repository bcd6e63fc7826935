#!/usr/bin/env bash
# Monthly statistics at Flanders scale: starts a throwaway PostgreSQL
# cluster, migrates it with the built leen-api, generates SCALE x (300
# libraries, 100 000 households, 5 million loans over ten years) with
# bench/stats_gen.sql, then times one library-month, one library over 12
# months and all libraries for one month, through core and as raw SQL
# (median of RUNS runs). Target: one library-month under 200 ms.
#
#   bench/stats.sh [SCALE]        SCALE 1 (default) is the full size; 0.05
#                                 keeps per-library density (so the
#                                 library-month timing) with 15 libraries
# Environment: LEEN_BUILD (build dir with api/leen-api and
# core/libleen_core.a; default build/), RUNS (default 9), EXPLAIN=1 also
# prints the plan of one library-month, KEEP=1 keeps the cluster.
set -euo pipefail
# shellcheck source=../scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"

scale=${1:-1}
build=${LEEN_BUILD:-$LEEN_ROOT/build}
runs=${RUNS:-9}
api=$build/api/leen-api
core=$build/core/libleen_core.a
[ -x "$api" ] && [ -f "$core" ] || die "build leen first: $api or $core missing (set LEEN_BUILD)"
[[ $scale =~ ^[0-9]*\.?[0-9]+$ ]] || die "SCALE must be a positive number, not \"$scale\""

dir=$(mktemp -d /tmp/leen-bench-stats.XXXXXX)
chmod 755 "$dir"
port=$(free_port)
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then say "cluster kept in $dir (port $port)"; return; fi
  pg_stop "$dir"
  rm -rf "$dir"
}
trap cleanup EXIT

pg_start "$dir" "$port" fast
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$@"; }
# room for the loans and their indexes in memory, as a production server
# of this size would have; then restart to apply shared_buffers
psql -d postgres -c "ALTER SYSTEM SET shared_buffers = '1GB'" \
  -c "ALTER SYSTEM SET max_wal_size = '8GB'" -c "ALTER SYSTEM SET checkpoint_timeout = '30min'"
pg_stop "$dir"
pg_start "$dir" "$port" fast
psql -d postgres -c "CREATE DATABASE bench"
conninfo="host=$dir port=$port user=postgres dbname=bench"
DATABASE_URL=$conninfo "$api" migrate >/dev/null 2>&1 || die "leen-api migrate failed"

say "compiling the driver"
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
cc -O2 -std=c11 -D_GNU_SOURCE -I"$LEEN_ROOT/core/include" $(pkg-config --cflags libpq) \
  -o "$dir/stats_driver" "$LEEN_ROOT/bench/stats_driver.c" "$core" \
  $(pkg-config --libs libpq libsodium) -lpthread -lm

say "generating data at scale $scale"
t0=$(date +%s)
psql -d bench -v scale="$scale" -f "$LEEN_ROOT/bench/stats_gen.sql" >/dev/null
psql -d bench -c "VACUUM (ANALYZE)"
t1=$(date +%s)
psql -d bench -At -c "
  SELECT 'data: ' || (SELECT count(*) FROM libraries) || ' libraries, '
      || (SELECT count(*) FROM households) || ' households, '
      || (SELECT count(*) FROM loans) || ' loans, '
      || (SELECT count(*) FROM ledger) || ' ledger lines, '
      || pg_size_pretty(pg_database_size('bench')) || ', generated in $((t1 - t0)) s'"

library=bt-0001
month=2026-09
from12=2025-10
if [ "${EXPLAIN:-0}" = 1 ]; then
  # the plan inside the PL/pgSQL function, on its second call (warm caches)
  call="SELECT count(*) FROM leen_stats_months(ARRAY[(SELECT id FROM libraries
        WHERE slug = '$library')], '$month-01', '$month-01')"
  psql -d bench -c "SET TIME ZONE 'Europe/Brussels'" -c "$call" \
    -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" \
    -c "SET auto_explain.log_analyze = on" -c "SET auto_explain.log_buffers = on" \
    -c "SET auto_explain.log_nested_statements = on" \
    -c "SET auto_explain.log_level = 'notice'" -c "$call" 2>&1 \
    | sed -n '/NOTICE/,$p' | sed -n '1,/NOTICE:  duration/p' | sed '$d'
fi
"$dir/stats_driver" "$conninfo" "$library" "$month" "$from12" "$runs"
