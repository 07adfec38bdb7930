# shellcheck shell=bash
# PostgreSQL 15 from Debian, own cluster (initdb) under $SERVICES_DIR/postgres, run as the
# `postgres` OS user (PostgreSQL refuses to run as root). Role/db/password from DATABASE_URL.

PG_BIN=/usr/lib/postgresql/15/bin
PG_EXT=/usr/share/postgresql/15/extension

postgres_init() {
  PG_PORT="$(port_of "$ENV_DATABASE_URL")"
  [[ "$ENV_DATABASE_URL" =~ ^postgres(ql)?://([^:@/]+):([^@/]*)@[^/]+/([^?]+) ]] ||
    die "DATABASE_URL must look like postgres://user:password@host:port/db"
  PG_USER="${BASH_REMATCH[2]}"
  PG_PASSWORD="${BASH_REMATCH[3]}"
  PG_DB="${BASH_REMATCH[4]}"
  PG_DIR="$SERVICES_DIR/postgres"
  PG_DATA="$PG_DIR/data"
  PG_LOG="$LOG_DIR/postgres.log"
}

postgres_addr() { printf '127.0.0.1:%s' "$PG_PORT"; }
postgres_timeout() { echo 60; }

postgres_apt_needs() {
  [[ -x "$PG_BIN/postgres" && -x "$PG_BIN/psql" ]] || echo postgresql-15
  [[ -f "$PG_EXT/pg_trgm.control" && -f "$PG_EXT/unaccent.control" ]] || echo postgresql-contrib
  command -v setfacl >/dev/null || echo acl
}

postgres_install() {
  [[ -x "$PG_BIN/postgres" ]] || die "$PG_BIN/postgres missing after apt install"
  id -u postgres >/dev/null 2>&1 || die "OS user postgres missing (should come with postgresql-15)"
}

as_postgres() { runuser -u postgres -- "$@"; }

postgres_alive() {
  [[ -f "$PG_DATA/postmaster.pid" ]] && as_postgres "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

# psql as the tuoi superuser over TCP (the cluster has no unix socket).
pg_psql() {
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" \
    -U "$PG_USER" -X -q -v ON_ERROR_STOP=1 "$@"
}

postgres_ready() {
  pg_psql -d postgres -tAc 'select 1' >/dev/null 2>&1
}

postgres_initdb() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  log "initdb $(pretty_path "$PG_DATA")"
  rm -rf "$PG_DATA"
  install -d -o postgres -g postgres -m 700 "$PG_DATA"
  local pwfile
  pwfile="$(mktemp)"
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  # The bootstrap superuser *is* the app role, so no separate `postgres` role to manage.
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 \
    --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 --no-instructions \
    >>"$LOG_DIR/postgres.install.log" 2>&1 || {
    rm -f "$pwfile"
    tail -n 20 "$LOG_DIR/postgres.install.log" >&2
    die "initdb failed"
  }
  rm -f "$pwfile"
  echo "include 'tuoi.conf'" >>"$PG_DATA/postgresql.conf"
}

# Rewritten on every start so edits here apply after `down`/`up`.
postgres_write_conf() {
  cat >"$PG_DATA/tuoi.conf" <<EOF
# Written by infra/svc/postgres.sh on every start; edit that file instead.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = off
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 2000
EOF
  chown postgres:postgres "$PG_DATA/tuoi.conf"
}

postgres_start() {
  mkdir -p "$PG_DIR"
  ensure_traversable postgres "$PG_DIR"
  postgres_initdb
  postgres_write_conf
  touch "$PG_LOG"
  chown postgres "$PG_LOG"
  log "starting on 127.0.0.1:$PG_PORT"
  # pg_ctl daemonises the postmaster; -w waits for it to accept connections.
  setsid -w runuser -u postgres -- "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    </dev/null >>"$LOG_DIR/postgres.install.log" 2>&1 8>&- 9>&- || {
    tail -n 30 "$PG_LOG" >&2
    die "pg_ctl start failed"
  }
}

# After readiness: the app database exists and the extensions the app needs are creatable
# (checked in a rolled-back transaction so migrations still own CREATE EXTENSION).
postgres_provision() {
  if [[ -z "$(pg_psql -d postgres -tAc "select 1 from pg_database where datname = '$PG_DB'")" ]]; then
    log "creating database $PG_DB"
    pg_psql -d postgres -c "create database \"$PG_DB\" owner \"$PG_USER\""
  fi
  pg_psql -d "$PG_DB" -c 'begin; create extension if not exists pg_trgm;
    create extension if not exists unaccent; rollback;' ||
    die "extensions pg_trgm/unaccent are not creatable"
}

postgres_stop() {
  if postgres_alive; then
    as_postgres "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >/dev/null
  fi
}
