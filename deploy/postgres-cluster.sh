#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the PostgreSQL demo: Debian's server binaries, a new cluster in a
# temporary folder (initdb, as the postgres user when run as root), listening on 127.0.0.1 only, on a free port, with
# password (SCRAM) logins for TCP and a random password for the superuser `postgres`.
#
#   deploy/postgres-cluster.sh run -- COMMAND...   start a cluster, run COMMAND with it, stop and delete it (always,
#                                                 even when COMMAND fails); exits with COMMAND's status
#   deploy/postgres-cluster.sh start DIR          start one in DIR (new or empty) and leave it running
#   deploy/postgres-cluster.sh stop DIR           stop it and delete DIR
#
# Server settings: POSTGRES_CLUSTER_OPTIONS (postgres -c options) replaces the default, which trades durability for
# speed as a throwaway cluster may (fsync, synchronous_commit and full_page_writes off).
#
# COMMAND (and, after `start`, whoever sources DIR/env) sees:
#   FORECAST_TEST_POSTGRES_URL       postgresql://postgres@127.0.0.1:PORT/postgres
#   FORECAST_TEST_POSTGRES_PASSWORD  the superuser's password (never printed)
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "postgres-cluster: no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$dir"
}

# Runs a server binary as the postgres user when we are root (initdb and postgres refuse to run as root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir=$1 bin port password options
  options=${POSTGRES_CLUSTER_OPTIONS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off}
  bin=$(bin_dir)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  (umask 077; printf '%s\n' "$password" > "$dir/password")
  [ "$(id -u)" = 0 ] && chown postgres "$dir/password"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/password" --auth-host=scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # A free port can be taken between finding and binding it: try a few.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $options" \
        start >/dev/null; then
      {
        echo "export FORECAST_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$port/postgres"
        echo "export FORECAST_TEST_POSTGRES_PASSWORD=$password"
      } > "$dir/env"
      chmod 600 "$dir/env"
      echo "postgres-cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)" >&2
      return 0
    fi
    echo "postgres-cluster: start on port $port failed (attempt $attempt)" >&2
  done
  tail -20 "$dir/server.log" >&2 || true
  exit 1
}

stop() {
  local dir=$1 bin
  bin=$(bin_dir)
  if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: postgres-cluster.sh start DIR}" ;;
  stop) stop "${2:?usage: postgres-cluster.sh stop DIR}" ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || { echo "usage: postgres-cluster.sh run -- COMMAND..." >&2; exit 2; }
    dir=$(mktemp -d /tmp/forecast-pg.XXXXXX)
    chmod 755 "$dir"
    trap 'stop "$dir"' EXIT
    trap 'exit 130' INT TERM
    start "$dir"
    # shellcheck disable=SC1091
    source "$dir/env"
    status=0
    "$@" || status=$?
    exit $status
    ;;
  *) echo "usage: postgres-cluster.sh run -- COMMAND... | start DIR | stop DIR" >&2; exit 2 ;;
esac
