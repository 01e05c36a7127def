# Sourced by .ci/run: a throwaway PostgreSQL for the journal's tests. It installs Debian's
# postgresql when initdb is missing, starts a cluster in a temporary folder as the postgres
# user on a loopback port, creates a database and exports TRIAGEM_TEST_POSTGRES.
# pg_stop (called from .ci/run's EXIT trap) stops it and removes the folder.

pg_bin=""
pg_dir=""

pg_find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then pg_bin=$d; fi
  done
}

pg_start() {
  pg_find_bin
  if [[ -z $pg_bin ]]; then
    echo "installing Debian's postgresql for the journal's tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pg_find_bin
  fi
  if [[ -z $pg_bin ]]; then
    echo "no PostgreSQL server binaries after installing postgresql"; return 1
  fi
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  pg_dir=$(mktemp -d)
  chown postgres "$pg_dir"
  chmod 700 "$pg_dir"
  local port
  port=$(( 40000 + RANDOM % 20000 ))
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" --auth=trust --username=postgres \
    --encoding=UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; return 1; }
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off" start >/dev/null \
    || { cat "$pg_dir/server.log"; return 1; }
  runuser -u postgres -- "$pg_bin/../bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q \
    -c "CREATE DATABASE triagem_test" postgres 2>/dev/null \
    || runuser -u postgres -- "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres triagem_test
  export TRIAGEM_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/triagem_test?sslmode=disable"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for the journal's tests"
}

pg_stop() {
  if [[ -n $pg_dir && -d $pg_dir/data ]]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [[ -n $pg_dir ]]; then rm -rf "$pg_dir"; fi
}
