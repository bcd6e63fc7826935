#!/usr/bin/env bash
# Labels: renders N item labels (default 1 000) on TEMPLATE (default
# avery-l7160) to one PDF in process with labels/bench/label_bench.c and
# prints the median time of RUNS runs, the PDF's size and the ratio to the
# target (1 000 labels under 1 s). The first sheet is then rasterised at
# 300 dpi and its QR codes decoded, as a check that speed cost nothing.
#
#   bench/labels.sh [N [TEMPLATE]]
# Environment: LEEN_BUILD (build dir with labels/leen-label-bench; default
# build/), RUNS (default 5), PNG=FILE also writes the first sheet at 100 dpi
# for a look, KEEP=1 keeps the PDF.
#
# Through the API, GET /v1/labels.pdf is timed too (median of RUNS runs,
# curl's time_total): against LEEN_API_URL with LEEN_TOKEN (a volunteer's)
# and LABELS_QUERY (default "library=fietsbieb&template=TEMPLATE") when
# both are set; otherwise the script starts its own: a throwaway
# PostgreSQL cluster, a Fietsbieb with N items, a volunteer, and the
# built leen-api on a free local port, all removed at the end. API=0 skips
# this part.
set -euo pipefail
# shellcheck source=../scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"

n=${1:-1000}
template=${2:-avery-l7160}
build=${LEEN_BUILD:-$LEEN_ROOT/build}
runs=${RUNS:-5}
bin=$build/labels/leen-label-bench
[ -x "$bin" ] || die "build leen first: $bin missing (set LEEN_BUILD)"
if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then die "N must be a positive number, not \"$n\""; fi
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then die "RUNS must be a positive number"; fi

dir=$(mktemp -d /tmp/leen-bench-labels.XXXXXX)
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then say "PDF kept in $dir/labels.pdf"; return; fi
  rm -rf "$dir"
}
trap cleanup EXIT

times=()
line=
for _ in $(seq 1 "$runs"); do
  line=$("$bin" -n "$n" -t "$template" -o "$dir/labels.pdf")
  [[ $line =~ seconds=([0-9.]+) ]] || die "unexpected output: $line"
  times+=("${BASH_REMATCH[1]}")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
[[ $line =~ bytes=([0-9]+) ]] && bytes=${BASH_REMATCH[1]}
pages=$(pdfinfo "$dir/labels.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
# the target scales with the count: 1 s per 1 000 labels
target=$(awk -v n="$n" 'BEGIN { printf "%.3f", n / 1000 }')
printf 'labels (in process): %s labels on %s, %s pages: median %s s of %s runs, %s bytes (%.1f kB per label)\n' \
  "$n" "$template" "${pages:-?}" "$median" "$runs" "$bytes" \
  "$(awk -v b="$bytes" -v n="$n" 'BEGIN { print b / n / 1000 }')"
awk -v m="$median" -v t="$target" 'BEGIN {
  printf "  target %s s: %.2f of the target (%s)\n", t, m / t, m < t ? "met" : "MISSED" }'

if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
  pdftoppm -r 300 -gray -f 1 -l 1 -singlefile "$dir/labels.pdf" "$dir/sheet"
  found=$(zbarimg --raw -q "$dir/sheet.pgm" 2>/dev/null | grep -c . || true)
  printf '  first sheet at 300 dpi: %s QR codes decoded\n' "$found"
fi
if [ -n "${PNG:-}" ]; then
  pdftoppm -r 100 -png -f 1 -l 1 -singlefile "$dir/labels.pdf" "${PNG%.png}"
  say "first sheet written to ${PNG%.png}.png"
fi

# ---- through the API ----
[ "${API:-1}" = 0 ] && { say "through the API: skipped (API=0)"; exit 0; }
command -v curl >/dev/null || die "curl is needed for the API timing"

api_pid=
pg_dir=
stop_own_api() {
  if [ -n "$api_pid" ]; then
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_dir" ]; then
    pg_stop "$pg_dir"
    rm -rf "$pg_dir"
  fi
}
trap 'stop_own_api; cleanup' EXIT

# Starts PostgreSQL and leen-api with a Fietsbieb of $n items and a
# volunteer; sets LEEN_API_URL and LEEN_TOKEN.
start_own_api() {
  local api=$build/api/leen-api pg_port api_port conninfo
  [ -x "$api" ] || die "build leen first: $api missing (set LEEN_BUILD)"
  pg_dir=$(mktemp -d /tmp/leen-bench-labels-pg.XXXXXX)
  chmod 755 "$pg_dir"
  pg_port=$(free_port)
  pg_start "$pg_dir" "$pg_port" fast
  command psql -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres -d postgres \
    -c "CREATE DATABASE bench"
  conninfo="host=$pg_dir port=$pg_port user=postgres dbname=bench"
  DATABASE_URL=$conninfo "$api" migrate >"$dir/migrate.log" 2>&1 \
    || { cat "$dir/migrate.log" >&2; die "leen-api migrate failed"; }
  command psql -X -q -v ON_ERROR_STOP=1 -v n="$n" -h "$pg_dir" -p "$pg_port" -U postgres \
    -d bench <<'SQL'
INSERT INTO libraries (org_id, slug, name, kind, code_prefix, next_item_number)
  VALUES (1, 'fietsbieb', 'Fietsbieb Izegem', 'fietsbieb', 'FB', :n + 1);
INSERT INTO categories (library_id, name, loan_days)
  SELECT id, 'Fiets 16 inch', 365 FROM libraries WHERE slug = 'fietsbieb';
INSERT INTO items (library_id, category_id, number, code, name)
  SELECT c.library_id, c.id, i, 'FB' || lpad(i::text, greatest(4, length(i::text)), '0'),
    'Btwin 16 inch nr ' || i
  FROM categories c, generate_series(1, :n) i;
SQL
  local password=bench-password-1
  printf '%s\n' "$password" >"$dir/password"
  DATABASE_URL=$conninfo "$api" create-user --username bench --role volunteer \
    --password-file "$dir/password" --library fietsbieb >/dev/null 2>&1 \
    || die "leen-api create-user failed"
  api_port=$(free_port 10000 19999)
  DATABASE_URL=$conninfo LEEN_LISTEN=127.0.0.1:$api_port LEEN_PUBLIC_URL=https://leen.example \
    LEEN_QUIET=1 "$api" serve --no-migrate 2>"$dir/api.log" &
  api_pid=$!
  LEEN_API_URL=http://127.0.0.1:$api_port
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$LEEN_API_URL/healthz" && break
    kill -0 "$api_pid" 2>/dev/null || { cat "$dir/api.log" >&2; die "leen-api exited"; }
    sleep 0.1
  done
  LEEN_TOKEN=$(curl -sS -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$password\"}" "$LEEN_API_URL/v1/auth/login" \
    | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$LEEN_TOKEN" ] || die "could not log in to the API started for the benchmark"
  say "through the API: leen-api on $LEEN_API_URL with $n items (PostgreSQL in $pg_dir)"
}

if [ -z "${LEEN_API_URL:-}" ] || [ -z "${LEEN_TOKEN:-}" ]; then
  start_own_api
fi
query=${LABELS_QUERY:-library=fietsbieb&template=$template}
api_times=()
for _ in $(seq 1 "$runs"); do
  out=$(curl -sS -o "$dir/api.pdf" -w '%{http_code} %{time_total} %{size_download}' \
    -H "Authorization: Bearer $LEEN_TOKEN" "$LEEN_API_URL/v1/labels.pdf?$query") \
    || die "GET /v1/labels.pdf failed"
  read -r status secs size <<<"$out"
  [ "$status" = 200 ] || die "GET /v1/labels.pdf answered $status: $(head -c 300 "$dir/api.pdf")"
  api_times+=("$secs")
done
api_median=$(printf '%s\n' "${api_times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
api_pages=$(pdfinfo "$dir/api.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
printf 'labels (through the API): GET /v1/labels.pdf?%s: median %s s of %s runs, %s bytes, %s pages\n' \
  "$query" "$api_median" "$runs" "$size" "${api_pages:-?}"
awk -v m="$api_median" -v t="$target" -v i="$median" 'BEGIN {
  printf "  target %s s: %.2f of the target (%s); %.2f x the in-process time\n",
    t, m / t, m < t ? "met" : "MISSED", m / i }'
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
  pdftoppm -r 300 -gray -f 1 -l 1 -singlefile "$dir/api.pdf" "$dir/api-sheet"
  found=$(zbarimg --raw -q "$dir/api-sheet.pgm" 2>/dev/null | grep -c . || true)
  printf '  first sheet at 300 dpi: %s QR codes decoded\n' "$found"
fi
