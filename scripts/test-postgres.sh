#!/usr/bin/env bash
# Starts (or stops) the PostgreSQL server the tests use: Debian's postgresql binaries, a cluster in a
# temp directory owned by an unprivileged user, listening on 127.0.0.1 only. Idempotent: `start` on a
# running server only prints its URL. Used by .ci/run and by vitest's global setup.
#   scripts/test-postgres.sh start|stop|url
set -euo pipefail

port="${GT_TEST_PG_PORT:-54329}"
dir="${GT_TEST_PG_DIR:-/tmp/gt-test-postgres}"
bindir="${GT_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
url="postgres://gt@127.0.0.1:${port}/postgres"

if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "test-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 3
fi

# initdb and postgres refuse to run as root: run them as the `postgres` user the Debian package
# creates, or as whoever we are when not root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if as_owner "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then echo "$url"; exit 0; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres: "$dir"
      as_owner "$bindir/initdb" -D "$dir/data" -U gt --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # fsync off: a test server loses nothing that matters when the machine dies.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { tail -n 30 "$dir/server.log" >&2; exit 1; }
    echo "$url"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    ;;
  url)
    echo "$url"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
