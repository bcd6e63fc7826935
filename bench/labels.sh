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
# for a look, KEEP=1 keeps the PDF. Through the API: set LEEN_API_URL and
# LEEN_TOKEN (a volunteer's) and LABELS_QUERY (default
# "library=fietsbieb&template=avery-l7160") to time GET /v1/labels.pdf too.
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

if [ -n "${LEEN_API_URL:-}" ] && [ -n "${LEEN_TOKEN:-}" ]; then
  query=${LABELS_QUERY:-library=fietsbieb&template=avery-l7160}
  out=$(curl -sS -o "$dir/api.pdf" -w '%{http_code} %{time_total} %{size_download}' \
    -H "Authorization: Bearer $LEEN_TOKEN" "$LEEN_API_URL/v1/labels.pdf?$query") \
    || die "GET /v1/labels.pdf failed"
  read -r status secs size <<<"$out"
  [ "$status" = 200 ] || die "GET /v1/labels.pdf answered $status"
  printf 'labels (through the API): GET /v1/labels.pdf?%s: %s s, %s bytes, %s pages\n' \
    "$query" "$secs" "$size" "$(pdfinfo "$dir/api.pdf" | awk '/^Pages:/ {print $2}')"
else
  say "through the API: skipped (set LEEN_API_URL and LEEN_TOKEN)"
fi
