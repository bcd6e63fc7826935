#!/usr/bin/env bash
# leen-api against raw PostgreSQL, in one run on this machine (not a test).
#
# (a) a check-out followed by its return through the API (wrk; every
#     connection lends and takes back its own items) against pgbench
#     running the very SQL function calls core makes (leen_checkout and
#     leen_return, prepared, one round trip each, same arguments) with as
#     many clients; also pgbench doing the pair in one pipelined round trip.
# (b) GET /v1/items/{code} against pgbench running core's SELECT for it.
# Each side runs RUNS times, alternately; medians of requests (or SQL
# operations) per second, p50 and p99 are printed, with the ratios. Then
# the API's p99 at half its peak rate (wrk paced by a delay per
# connection: the rate achieved is printed too), next to pgbench's p50 and
# p99 for the same SQL at that rate with as many clients (pgbench -R).
# Targets: (a) >= 0.85, (b) >= 0.5, p99 < 10 ms at half the peak rate.
#
# PostgreSQL runs with durable settings (fsync, synchronous_commit and
# full_page_writes on), as in production; only checkpoints and new WAL
# files are kept out of the runs.
#
#   bench/api.sh
# Environment: LEEN_BENCH_BUILD (default build-bench/, built Release here),
# RUNS (5), DURATION (seconds per run, 6), CLIENTS (connections and pgbench
# clients, 4 per core), API_THREADS_A and API_THREADS_B (leen-api worker
# threads for (a), 2 per client, and for (b), one per core), KEEP=1 keeps
# the cluster and leen-api running for a profiler.
set -euo pipefail
# shellcheck source=../scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"

build=${LEEN_BENCH_BUILD:-$LEEN_ROOT/build-bench}
runs=${RUNS:-5}
secs=${DURATION:-6}
cores=$(nproc)
clients=${CLIENTS:-$((4 * cores))}
# (a) waits on the disk at every commit: leen-api gets at least a
# connection (a worker thread) per client, as pgbench has (twice as many:
# libmicrohttpd hands connections to threads as they come, so with one per
# client two clients would often share a thread); (b) is CPU work: one
# thread per core
threads_a=${API_THREADS_A:-$((2 * clients))}
threads_b=${API_THREADS_B:-$cores}
pool=10           # items each connection or client cycles through in (a)
items_b=10000     # items read at random in (b)
base_b=500000     # their first number

for tool in wrk pgbench psql; do
  command -v "$tool" >/dev/null || die "$tool is needed (Debian: apt-get install wrk postgresql-client)"
done

say "building leen (Release) in $build"
mkdir -p "$build"
build_leen "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DLEEN_WERROR=OFF
api_bin=$build/api/leen-api
say "built in $SECONDS s"

dir=$(mktemp -d /tmp/leen-bench-api.XXXXXX)
chmod 755 "$dir"
port=$(free_port)
api_port=$(free_port 10000 19999)
api_pid=
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    say "kept: cluster in $dir (port $port), leen-api pid $api_pid on port $api_port"
    return
  fi
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  pg_stop "$dir"
  rm -rf "$dir"
}
trap cleanup EXIT

pg_start "$dir" "$port"
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$@"; }
# Durable, but no checkpoint and no new WAL file in the middle of a run:
# a fresh cluster would otherwise stall every commit now and then while it
# creates and syncs a WAL segment, on both sides at random moments.
psql -d postgres -c "ALTER SYSTEM SET shared_buffers = '256MB'" \
  -c "ALTER SYSTEM SET max_wal_size = '8GB'" -c "ALTER SYSTEM SET min_wal_size = '2GB'" \
  -c "ALTER SYSTEM SET checkpoint_timeout = '30min'" -c "ALTER SYSTEM SET wal_init_zero = off"
pg_stop "$dir"
pg_start "$dir" "$port"
psql -d postgres -c "CREATE DATABASE bench"
conninfo="host=$dir port=$port user=postgres dbname=bench"
DATABASE_URL=$conninfo "$api_bin" migrate >/dev/null 2>&1 || die "leen-api migrate failed"
psql -d bench -At -c "SELECT 'PostgreSQL ' || current_setting('server_version') || ': fsync='
  || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit')
  || ' full_page_writes=' || current_setting('full_page_writes')
  || ' shared_buffers=' || current_setting('shared_buffers')
  || ' max_wal_size=' || current_setting('max_wal_size')
  || ' checkpoint_timeout=' || current_setting('checkpoint_timeout')
  || ' wal_init_zero=' || current_setting('wal_init_zero')" >&2

# Blocks of items for (a): every run of either side takes a fresh block of
# clients x pool items, so a pair cut off at the end of a run stays out of
# the way of the next.
blocks=$((3 * runs + 12))
items_a=$((blocks * clients * pool))
[ $((100000 + items_a)) -lt $base_b ] || die "too many items for (a): lower RUNS or CLIENTS"
say "seeding: one library, $clients households, $items_a + $items_b items"
psql -d bench <<SQL
INSERT INTO libraries (org_id, slug, name, kind, code_prefix, fee_cents, social_fee_cents,
                       social_deposit_percent, max_slots, default_loan_days)
  VALUES (1, 'fietsbieb', 'Fietsbieb', 'fietsbieb', 'FB', 2000, 500, 50, 100, 365);
INSERT INTO schedule_rules (library_id, freq, weekday, starts_at, ends_at)
  SELECT id, 'weekly', 6, '10:00', '12:00' FROM libraries;
INSERT INTO categories (library_id, name, deposit_cents, loan_days, components)
  SELECT id, 'Fiets 16 inch', 2000, 365, '{bel,slot}' FROM libraries;
INSERT INTO items (library_id, category_id, number, code, name, attributes)
  SELECT c.library_id, c.id, n, 'FB' || n, 'Btwin 16 inch ' || n, '{"wheel_inch": 16}'
  FROM categories c, generate_series(100000, 100000 + $items_a - 1) AS n;
INSERT INTO items (library_id, category_id, number, code, name, attributes)
  SELECT c.library_id, c.id, n, 'FB' || n, 'Btwin 16 inch ' || n, '{"wheel_inch": 16}'
  FROM categories c, generate_series($base_b, $base_b + $items_b - 1) AS n;
INSERT INTO households (org_id, number, name)
  SELECT 1, 10001 + i, 'Gezin ' || i FROM generate_series(0, $clients - 1) AS i;
INSERT INTO memberships (household_id, library_id, valid_from, valid_until, slots, fee_cents,
                         reduction_cents)
  SELECT h.id, l.id, current_date - 30, current_date + 300, 100, 2000, 0
  FROM households h, libraries l;
VACUUM ANALYZE;
SQL

printf 'bench-password-1\n' >"$dir/password"
DATABASE_URL=$conninfo "$api_bin" create-user --username bench --role volunteer \
  --password-file "$dir/password" --library fietsbieb >/dev/null 2>&1 || die "create-user failed"
uid=$(psql -d bench -At -c "SELECT id FROM users WHERE username = 'bench'")

url=http://127.0.0.1:$api_port
# start_api THREADS: (re)starts leen-api with that many worker threads,
# each with its own database connection
start_api() {
  if [ -n "$api_pid" ]; then
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  DATABASE_URL=$conninfo LEEN_LISTEN=127.0.0.1:$api_port LEEN_THREADS=$1 LEEN_QUIET=1 \
    "$api_bin" serve --no-migrate 2>>"$dir/api.log" &
  api_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "$url/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "leen-api did not start (log: $dir/api.log)"
}
start_api "$threads_a"
token=$(curl -fs -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password-1"}' "$url/v1/auth/login" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "could not log in to leen-api (log: $dir/api.log)"
curl -fs -H "Authorization: Bearer $token" "$url/v1/items/FB$base_b" >/dev/null \
  || die "GET /v1/items/{code} does not answer: is the route in api/routes.c?"

# ---- the two sides ----

block=0
next_block() { base_a=$((100000 + block * clients * pool)); block=$((block + 1)); }

# wrk_run SCRIPT THREADS ARGS...: $conns (default $clients) connections;
# prints "rps p50_ms p99_ms" and
# fails when any answer was not 2xx.
wrk_run() {
  local script=$1 threads=$2; shift 2
  local out c=${conns:-$clients}
  [ "$threads" -le "$c" ] || threads=$c
  out=$(wrk -t "$threads" -c "$c" -d "${secs}s" --timeout 5s -s "$LEEN_ROOT/bench/$script" \
    "$url" -- "$token" "$@" 2>&1) || die "wrk failed: $out"
  local line
  line=$(grep '^RESULT' <<<"$out") || die "wrk gave no result: $out"
  read -r _ n dur p50 p99 bad neterr <<<"$line"
  if [ "$bad" != 0 ] || [ "$neterr" != 0 ]; then
    die "wrk: $bad answers not 2xx, $neterr socket errors"
  fi
  awk -v n="$n" -v d="$dur" -v a="$p50" -v b="$p99" 'BEGIN { printf "%.1f %.3f %.3f\n", n / d, a, b }'
}

# pg_run SCRIPT OPS_PER_TX [pgbench options]: prints "ops/s p50_ms p99_ms";
# latencies are per pgbench transaction. $conns (default $clients)
# clients; $rate, when set, paces them all together to that many
# transactions per second (pgbench -R), and the latencies then leave out
# the wait for a transaction's scheduled start, as wrk's do.
pg_run() {
  local script=$1 per=$2; shift 2
  local logs=$dir/pglog c=${conns:-$clients} j=$cores
  [ "$j" -le "$c" ] || j=$c
  rm -rf "$logs"
  mkdir -p "$logs"
  local out
  out=$(cd "$logs" && pgbench -n -M prepared -c "$c" -j "$j" -T "$secs" -l ${rate:+-R "$rate"} \
    -h "$dir" -p "$port" -U postgres "$@" -f "$dir/$script" bench 2>&1) || die "pgbench: $out"
  local failed
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
  [ "${failed:-0}" = 0 ] || die "pgbench: $failed transactions failed"
  local tps
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
  cat "$logs"/pgbench_log.* | awk -v rate="${rate:-0}" '{ print $3 - (NF >= 7 && rate ? $7 : 0) }' \
    | sort -n | awk -v tps="$tps" -v per="$per" '
    { v[NR] = $1 }
    END { printf "%.1f %.3f %.3f\n", tps * per, v[int(NR * 0.5) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }'
}

# core's calls (core/src/loan.c): actor (user, org, libraries), item code,
# household, child, at, deposit method / condition, withheld, reason,
# missing components, at
checkout_sql="SELECT * FROM leen_checkout(:uid::bigint, :org::bigint, :libs::bigint[], 'FB' || :item::text,
  :h::integer, nullif(0::bigint, 0), NULL::timestamptz, NULL)"
return_sql="SELECT * FROM leen_return(:uid::bigint, :org::bigint, :libs::bigint[], 'FB' || :item::text,
  NULL, 0::bigint, NULL, string_to_array(NULL, chr(31)), NULL::timestamptz)"
# one operation per pgbench transaction, lend and return alternating, as
# one wrk connection does
cat >"$dir/circ.sql" <<SQL
\set item :base + :client_id * :pool + :k
\set h :hh + :client_id
\if :lend
$checkout_sql;
\set lend 0
\else
$return_sql;
\set lend 1
\set k (:k + 1) % :pool
\endif
SQL
# the pair in one round trip (and so one transaction)
cat >"$dir/circ_pipe.sql" <<SQL
\set item :base + :client_id * :pool + :k
\set h :hh + :client_id
\startpipeline
$checkout_sql;
$return_sql;
\endpipeline
\set k (:k + 1) % :pool
SQL
# core's SELECT of one item (core/src/item.c, item_by_code)
cat >"$dir/item.sql" <<SQL
\set n random($base_b, $base_b + $items_b - 1)
SELECT i.id, i.code, i.library_id, l.slug, i.category_id, c.name, i.name, i.attributes::text,
  coalesce(to_char(i.expires_on, 'YYYY-MM-DD'), ''), coalesce(i.deposit_cents, -1),
  coalesce(to_char(i.safety_checked_on, 'YYYY-MM-DD'), ''), i.status, coalesce(h.number, 0),
  i.version, l.org_id
  FROM items i JOIN libraries l ON l.id = i.library_id
  JOIN categories c ON c.id = i.category_id LEFT JOIN households h ON h.id = i.reserved_for
  WHERE i.code = 'FB' || :n::text;
SQL

pg_circ() {
  next_block
  pg_run "$1" "$2" -D uid="$uid" -D org=1 -D libs='{1}' -D hh=10001 -D base="$base_a" \
    -D pool="$pool" -D k=0 -D lend=1
}
api_circ() {
  next_block
  wrk_run api_circulation.lua "${conns:-$clients}" "$base_a" "$pool" 10001 "${1:-0}"
}
api_item() { wrk_run api_item.lua "$cores" "$base_b" "$items_b" "${1:-0}"; }
pg_item() { pg_run item.sql 1; }

# CPU time, to tell where it goes: clock ticks of a process (with its
# reaped children when asked), of the whole cluster (the postmaster, the
# backends it reaped and the live ones), and seconds of this shell's
# children (wrk, pgbench), read with `times` in this very shell.
tck=$(getconf CLK_TCK)
ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk -v all="${2:-0}" '
    { t = $12 + $13; if (all) t += $14 + $15; print t }' || echo 0; }
pg_ticks() {
  local pm t c
  pm=$(head -n 1 "$dir/data/postmaster.pid")
  t=$(ticks "$pm" 1)
  for c in $(pgrep -P "$pm"); do t=$((t + $(ticks "$c"))); done
  echo "$t"
}
client_cpu() {
  times >"$dir/times"
  tail -n 1 "$dir/times" | awk '{ split($1, a, "m"); split($2, b, "m");
    printf "%.3f\n", a[1] * 60 + a[2] + b[1] * 60 + b[2] }'
}
# measured api|pg CMD...: runs one side (which prints "ops/s p50 p99")
# and adds the CPU microseconds per operation of the client, leen-api
# (for the api side) and PostgreSQL
measured() {
  local side=$1 a0 p0 c0 c1
  shift
  client_cpu >"$dir/c0"
  a0=$(ticks "$api_pid")
  p0=$(pg_ticks)
  "$@" >"$dir/run"
  client_cpu >"$dir/c1"
  c0=$(cat "$dir/c0")
  c1=$(cat "$dir/c1")
  awk -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" -v a="$(($(ticks "$api_pid") - a0))" \
    -v p="$(($(pg_ticks) - p0))" -v tck="$tck" -v secs="$secs" -v api="$side" '
    { ops = $1 * secs; us = 1e6 / ops
      if (api != "api") a = 0
      printf "%s %s %s %.0f %.0f %.0f\n", $1, $2, $3, c * us, a / tck * us, p / tck * us }' "$dir/run"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
col() { awk -v c="$1" '{ print $c }'; }
summary() { # NAME FILE: medians of ops/s, p50, p99 and CPU per operation
  printf '  %-42s %7.0f /s  p50 %6.2f ms  p99 %7.2f ms   CPU/op: client %4.0f us, leen-api %4.0f us, PostgreSQL %4.0f us\n' \
    "$1" "$(col 1 <"$2" | median)" "$(col 2 <"$2" | median)" "$(col 3 <"$2" | median)" \
    "$(col 4 <"$2" | median)" "$(col 5 <"$2" | median)" "$(col 6 <"$2" | median)"
}
# ratio A B: of the medians, and the median of the ratios run by run (the
# runs of both sides alternate, so a pair shares the machine's mood)
ratio() {
  local paired
  paired=$(paste -d ' ' <(col 1 <"$1") <(col 1 <"$2") | awk '{ print $1 / $2 }' | median)
  awk -v a="$(col 1 <"$1" | median)" -v b="$(col 1 <"$2" | median)" -v p="$paired" \
    'BEGIN { printf "%.2f (run by run: %.2f)", a / b, p }'
}

# p99 at half the peak: C connections, each waiting D ms between requests
# (wrk's delay is whole milliseconds), ask for about half the peak rate:
# C is chosen so that D is near 10 ms, then D is corrected twice from the
# rate achieved, in shorter runs. Then pgbench runs the same SQL with as
# many clients at the rate the API achieved: the latency PostgreSQL alone
# gives on this machine at that load.
half_peak() { # NAME WRK-FUNCTION PEAK-FILE MAX-CONNECTIONS PGBENCH-COMMAND...
  local name=$1 fn=$2 peak=$3 max=$4 want l c d out got i pg short
  shift 4
  short=$((secs / 2 < 3 ? 3 : secs / 2))
  want=$(col 1 <"$peak" | median | awk '{ printf "%.1f", $1 / 2 }')
  l=$(col 2 <"$peak" | median)
  c=$(awk -v w="$want" -v l="$l" -v m="$max" 'BEGIN { c = int(w * (10 + l) / 1000 + 0.5);
        if (c < 1) c = 1; if (c > m) c = m; print c }')
  d=$(awk -v w="$want" -v l="$l" -v c="$c" 'BEGIN { d = int(c * 1000 / w - l + 0.5); print d < 0 ? 0 : d }')
  for i in 1 2 3; do
    # not in $(...): the item blocks must advance
    if [ "$i" = 3 ]; then conns=$c "$fn" "$d" >"$dir/half"; else conns=$c secs=$short "$fn" "$d" >"$dir/half"; fi
    out=$(cat "$dir/half")
    got=$(col 1 <<<"$out")
    [ "$i" = 3 ] && break
    d=$(awk -v w="$want" -v g="$got" -v c="$c" -v d="$d" 'BEGIN { l = c * 1000 / g - d;
          d = int(c * 1000 / w - l + 0.5); print d < 0 ? 0 : d }')
  done
  conns=$c rate=$(printf '%.0f' "$got") "$@" >"$dir/half_pg"
  pg=$(cat "$dir/half_pg")
  printf '  %-24s API:     asked %6.0f /s, got %6.0f /s (%d connections, %d ms apart)   p50 %6.2f ms   p99 %6.2f ms\n' \
    "$name" "$want" "$got" "$c" "$d" "$(col 2 <<<"$out")" "$(col 3 <<<"$out")"
  printf '  %-24s pgbench: the same SQL at %6.0f /s with %d clients                  p50 %6.2f ms   p99 %6.2f ms\n' \
    "" "$(col 1 <<<"$pg")" "$c" "$(col 2 <<<"$pg")" "$(col 3 <<<"$pg")"
}

load0=$(cut -d ' ' -f 1-3 /proc/loadavg)
say "warming up"
secs=3 api_circ 0 >/dev/null
secs=3 pg_circ circ.sql 1 >/dev/null

say "(a) check-out + return: $runs runs of ${secs}s per side, $clients clients"
: >"$dir/a_api"
: >"$dir/a_pg"
: >"$dir/a_pipe"
for r in $(seq 1 "$runs"); do
  measured api api_circ 0 >>"$dir/a_api"
  measured pg pg_circ circ.sql 1 >>"$dir/a_pg"
  measured pg pg_circ circ_pipe.sql 2 >>"$dir/a_pipe"
  say "  run $r: api $(tail -n 1 "$dir/a_api") | pgbench $(tail -n 1 "$dir/a_pg") | pipelined $(tail -n 1 "$dir/a_pipe")"
done

say "(a) at half the peak"
half_peak "(a) check-out + return" api_circ "$dir/a_api" "$clients" pg_circ circ.sql 1 >"$dir/a_half"

start_api "$threads_b"
secs=3 api_item 0 >/dev/null
secs=3 pg_item >/dev/null
say "(b) GET /v1/items/{code}: $runs runs of ${secs}s per side, $clients clients"
: >"$dir/b_api"
: >"$dir/b_pg"
for r in $(seq 1 "$runs"); do
  measured api api_item 0 >>"$dir/b_api"
  measured pg pg_item >>"$dir/b_pg"
  say "  run $r: api $(tail -n 1 "$dir/b_api") | pgbench $(tail -n 1 "$dir/b_pg")"
done

echo
echo "leen-api vs PostgreSQL on $cores cores ($(uname -m)), $clients clients; leen-api with $threads_a worker"
echo "threads for (a), $threads_b for (b); load average before: $load0"
echo "medians of $runs runs of ${secs} s per side, run alternately; PostgreSQL durable (fsync on)"
echo
echo "(a) check-out followed by its return (operations per second)"
summary "API: POST /v1/loans, POST /v1/returns" "$dir/a_api"
summary "pgbench: leen_checkout(), leen_return()" "$dir/a_pg"
summary "pgbench: both in one pipelined round trip" "$dir/a_pipe"
echo "  ratio API / pgbench, the same calls (one round trip per operation): $(ratio "$dir/a_api" "$dir/a_pg")   target >= 0.85"
echo "  ratio API / pgbench, the pair in one round trip and one commit:     $(ratio "$dir/a_api" "$dir/a_pipe")"
echo "  (pipelined latencies are per pair)"
echo
echo "(b) one item by its code"
summary "API: GET /v1/items/{code}" "$dir/b_api"
summary "pgbench: core's SELECT" "$dir/b_pg"
echo "  ratio API / pgbench: $(ratio "$dir/b_api" "$dir/b_pg")   target >= 0.5"
echo
echo "p99 at half the API's peak rate (target < 10 ms)"
cat "$dir/a_half"
half_peak "(b) GET /v1/items/{code}" api_item "$dir/b_api" 150 pg_item
say "bench/api.sh took $SECONDS s"
