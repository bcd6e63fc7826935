#!/usr/bin/env bash
# The counter page's browser tests: run.sh LEEN_API BUILD_DIR [node --test args...]
#
# Needs the ctest "pg" fixture (LEEN_TEST_PGSTATE names its state file, with
# host= and port= lines). Creates its own database from leen_template, seeds
# it (libraries, users through `leen-api create-user`, then categories,
# items, households, memberships, loans and a reduction), starts leen-api on
# a free port serving this tree's web/, runs the node --test suites in
# Debian's chromium, and stops and drops everything again. Screenshots of
# every step go to BUILD_DIR/web-screenshots/.
set -euo pipefail

api_bin=${1:?usage: run.sh LEEN_API BUILD_DIR}
build=${2:?usage: run.sh LEEN_API BUILD_DIR}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../../scripts/lib.sh
source "$root/scripts/lib.sh"

state=${LEEN_TEST_PGSTATE:?LEEN_TEST_PGSTATE: run through ctest, which starts the pg fixture}
host=$(sed -n 's/^host=//p' "$state")
port=$(sed -n 's/^port=//p' "$state")
[ -x /usr/bin/chromium ] || die "chromium is not installed (apt-get install chromium)"

db="leen_web_$$"
work=$(mktemp -d /tmp/leen-web.XXXXXX)
api_pid=
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U postgres "$@"; }

stop_api() {
  [ -n "$api_pid" ] || return 0
  kill -TERM "$api_pid" 2>/dev/null || true
  local rc=0
  wait "$api_pid" || rc=$?
  api_pid=
  return $rc
}
cleanup() {
  stop_api || true
  psql -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -d postgres -c "CREATE DATABASE $db TEMPLATE leen_template"
export DATABASE_URL="host=$host port=$port user=postgres dbname=$db"
password=balie-wachtwoord-1
printf '%s\n' "$password" >"$work/password"
psql -d "$db" -f "$here/seed-libraries.sql"
user() {
  "$api_bin" create-user --password-file "$work/password" "$@" >>"$work/setup.log" 2>&1 \
    || { cat "$work/setup.log" >&2; die "could not create user $2"; }
}
user --username balie --role volunteer --library fietsbieb --library babytheek
user --username coord --role coordinator --library fietsbieb --library babytheek
user --username sociaal --role social_worker
psql -d "$db" -f "$here/seed.sql"

api_port=$(free_port 10000 19999)
base="http://127.0.0.1:$api_port"
LEEN_LISTEN="127.0.0.1:$api_port" LEEN_PUBLIC_URL="$base" LEEN_WEB_DIR="$root/web" \
  LEEN_MIGRATE=0 "$api_bin" serve >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$api_pid" 2>/dev/null || { cat "$work/api.log" >&2; die "leen-api did not start"; }
  sleep 0.1
done

if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

shots="$build/web-screenshots"
rm -rf "$shots"
mkdir -p "$shots"
rc=0
LEEN_WEB_URL="$base" LEEN_WEB_SHOTS="$shots" LEEN_WEB_PASSWORD="$password" \
  node --test --test-concurrency=1 "$@" "$here"/*.test.mjs || rc=$?

api_rc=0
stop_api || api_rc=$?
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$work/api.log"; then
  grep -E -A30 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$work/api.log" >&2
  rc=1
elif [ "$api_rc" != 0 ]; then
  tail -n 30 "$work/api.log" >&2
  say "leen-api exited with $api_rc"
  rc=1
fi
[ "$rc" = 0 ] || { say "web tests failed; API log tail:"; tail -n 40 "$work/api.log" >&2; }
say "screenshots: $shots ($(find "$shots" -name '*.png' | wc -l) files)"
exit "$rc"
