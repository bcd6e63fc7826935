#!/usr/bin/env bash
# Static checks of the deployment files: docker-compose.yml validates with
# docker-compose (no Docker engine needed) and the Dockerfile and compose file
# keep the properties a deployment relies on. Prints one line
# per check; exits 1 if any fails.
#
# Needs docker-compose (Debian: apt-get install --no-install-recommends docker-compose).
# The check functions below are run through check(), which shellcheck cannot see.
# shellcheck disable=SC2317
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 1

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "FAIL docker-compose not found; install it with" \
       "'apt-get install --no-install-recommends docker-compose'" >&2
  exit 1
fi

failed=0
check() { # check DESCRIPTION COMMAND...: runs COMMAND, reports ok/FAIL
  local what=$1; shift
  if "$@"; then echo "ok   $what"
  else echo "FAIL $what"; failed=1
  fi
}

# The variables the compose file substitutes come from the caller's
# environment; unset them so the check sees the file's own defaults.
unset LEEN_DB_PASSWORD LEEN_PUBLIC_URL

compose_valid() {
  local err
  err=$(docker-compose -f docker-compose.yml config -q 2>&1) && return 0
  printf '%s\n' "$err" >&2
  return 1
}
check "docker-compose.yml validates (docker-compose config -q)" compose_valid

# The service checks grep docker-compose's normalised output (fixed key
# order and indentation) rather than the file, so formatting does not matter.
normalised=$(docker-compose -f docker-compose.yml config 2>/dev/null)
service_block() { # service_block NAME: that service's lines of the normalised config
  printf '%s\n' "$normalised" | awk -v svc="  $1:" '
    /^[^ ]/ { in_services = ($0 == "services:"); in_svc = 0; next }
    in_services && /^  [^ ]/ { in_svc = ($0 == svc); next }
    in_svc'
}
db_healthcheck() {
  service_block db | grep -q '^    healthcheck:' && service_block db | grep -q 'pg_isready'
}
api_waits_for_db() {
  service_block api | grep -q '^    depends_on:' &&
    service_block api | grep -q 'condition: service_healthy'
}
check "compose: db has a healthcheck with pg_isready" db_healthcheck
check "compose: api depends_on db with condition service_healthy" api_waits_for_db

# Dockerfile: every stage on debian:12-slim.
all_from_debian_slim() {
  grep -Eiq '^[[:space:]]*FROM[[:space:]]' Dockerfile &&
    ! grep -Ei '^[[:space:]]*FROM[[:space:]]' Dockerfile |
      grep -Evq '^[[:space:]]*FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?debian:12-slim([[:space:]]|$)'
}
# The last USER directive decides who runs the container; it must not be root.
non_root_user() {
  local user
  user=$(grep -Ei '^[[:space:]]*USER[[:space:]]+' Dockerfile | tail -n 1 | awk '{print $2}')
  [ -n "$user" ] && ! printf '%s\n' "$user" | grep -Eq '^(root|0)(:|$)'
}
has_healthcheck() {
  grep -Eiq '^[[:space:]]*HEALTHCHECK[[:space:]]' Dockerfile &&
    ! grep -Eiq '^[[:space:]]*HEALTHCHECK[[:space:]]+NONE' Dockerfile
}
# A host build tree copied into the image would break the in-image cmake
# (its CMakeCache.txt points at another source directory).
ignores_build_dirs() { grep -Eq '^build\*?/?$' .dockerignore; }

check "Dockerfile: every stage is based on debian:12-slim" all_from_debian_slim
check "Dockerfile: runs as a non-root USER" non_root_user
check "Dockerfile: has a HEALTHCHECK" has_healthcheck
check ".dockerignore: excludes build directories" ignores_build_dirs

exit $failed
