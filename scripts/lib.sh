# Shared by scripts/demo, scripts/test and the test harness: installing
# what is missing and running a private PostgreSQL cluster.
# shellcheck shell=bash

LEEN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install sudo or run as root)"
  fi
}

# Debian packages the build, the tests and the demo use.
LEEN_PACKAGES=(build-essential cmake pkg-config
  libpq-dev postgresql postgresql-contrib
  libmicrohttpd-dev libcjson-dev libqrencode-dev libcairo2-dev libcurl4-openssl-dev
  libsodium-dev libcriterion-dev
  zbar-tools poppler-utils libxml2-utils gettext fonts-dejavu-core curl ca-certificates wrk)

# Installs whatever of "$@" is not installed yet (apt-get, with sudo when
# not root). Packages marked with a leading '-' are installed without
# recommends.
install_packages() {
  local missing=() norec=() p name
  for p in "$@"; do
    name=${p#-}
    if ! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
      if [ "$p" != "$name" ]; then norec+=("$name"); else missing+=("$name"); fi
    fi
  done
  [ ${#missing[@]} -eq 0 ] && [ ${#norec[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install ${missing[*]} ${norec[*]} by hand"
  say "installing: ${missing[*]} ${norec[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq || say "warning: apt-get update failed, trying with the lists we have"
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get install -y -qq "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
  fi
  if [ ${#norec[@]} -gt 0 ]; then
    as_root apt-get install -y -qq --no-install-recommends "${norec[@]}" >/dev/null \
      || die "could not install ${norec[*]}"
  fi
}

# The directory with initdb, pg_ctl and postgres (newest installed version).
pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  printf '%s\n' "$d"
}

# PostgreSQL refuses to run as root: as root the cluster runs as an
# unprivileged system account.
PG_RUN_USER=leen-pg
pg_user_setup() {
  if [ "$(id -u)" = 0 ] && ! id "$PG_RUN_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_RUN_USER"
  fi
}
pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PG_RUN_USER" -- "$@"; else "$@"; fi
}

# free_port [LOW HIGH]: a port nobody listens on, by default in
# 20000-31999. Both ranges used here lie below the kernel's ephemeral
# range (32768 and up), so an outgoing connection's local port never
# takes a port a cluster or an API was just given; the C test support
# picks API ports in 10000-19999, so the two never collide either.
free_port() {
  local low=${1:-20000} high=${2:-31999} port
  for _ in $(seq 1 50); do
    port=$(( low + RANDOM % (high - low + 1) ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"; return 0
    fi
  done
  die "no free port found"
}

# pg_start DIR PORT [fast]: initialises DIR/data when missing and starts
# PostgreSQL on 127.0.0.1:PORT with its socket in DIR. "fast" turns off
# durability, for throwaway test clusters only.
pg_start() {
  local dir=$1 port=$2 mode=${3:-} bin
  bin=$(pg_bindir)
  pg_user_setup
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown "$PG_RUN_USER" "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    local initopts=(-D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8)
    [ "$mode" = fast ] && initopts+=(--no-sync)
    pg_as "$bin/initdb" "${initopts[@]}" >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  local opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
  opts+=" -c max_connections=200 -c timezone=Europe/Brussels"
  [ "$mode" = fast ] && opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "$opts" -w -t 60 start >/dev/null \
    || { tail -n 30 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
}

pg_stop() {
  local dir=$1 bin
  bin=$(pg_bindir)
  [ -f "$dir/data/postmaster.pid" ] || return 0
  pg_as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# Builds into DIR with extra cmake arguments.
build_leen() {
  local dir=$1; shift
  cmake -S "$LEEN_ROOT" -B "$dir" "$@" >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log" >&2; die "cmake configure failed"; }
  if ! cmake --build "$dir" -j "$(nproc)" >"$dir.build.log" 2>&1; then
    grep -E -B2 -A6 'error|Error' "$dir.build.log" | head -n 80 >&2
    die "build failed (full log: $dir.build.log)"
  fi
}
