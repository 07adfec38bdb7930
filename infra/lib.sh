# shellcheck shell=bash
# Shared helpers for infra/services.sh and infra/svc/*.sh. Sourced, never executed.
#
# Layout:
#   $CACHE_DIR    (${TUOI_CACHE_DIR:-~/.cache/tuoi})  downloads + built artifacts, shared by clones
#   $SERVICES_DIR (${TUOI_SERVICES_DIR:-<repo>/.services})  per-clone data, pid files, logs
#   $LOG_DIR      ($SERVICES_DIR/logs)  <service>.log (server output), <service>.install.log

umask 022

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$INFRA_DIR")"
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE_DIR="${TUOI_CACHE_DIR:-$HOME/.cache/tuoi}"
SERVICES_DIR="${TUOI_SERVICES_DIR:-$REPO_DIR/.services}"
mkdir -p "$CACHE_DIR" "$SERVICES_DIR/logs"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
SERVICES_DIR="$(cd "$SERVICES_DIR" && pwd)"
LOG_DIR="$SERVICES_DIR/logs"
JAVA_HOME_17="${TUOI_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
# shellcheck disable=SC2034 # used by svc/*.sh
MAVEN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/usr/local/go/bin"

# ---------------------------------------------------------------- messages

log() { printf '[%s] %s\n' "${SVC:-infra}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Path relative to the repo when inside it (shorter status lines).
pretty_path() {
  case "$1" in
    "$REPO_DIR"/*) printf '%s' "${1#"$REPO_DIR"/}" ;;
    *) printf '%s' "$1" ;;
  esac
}

# ---------------------------------------------------------------- services.env

# Reads infra/services.env into ENV_<KEY> shell variables (the file is the single source of
# ports; the caller's environment is deliberately ignored so services and tests agree).
load_env() {
  local key value
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    key="${line%%=*}"
    value="${line#*=}"
    [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || die "bad line in services.env: $line"
    printf -v "ENV_$key" '%s' "$value"
  done <"$INFRA_DIR/services.env"
}

# Port of a URL like scheme://[user:pass@]host:port[/path] or of a host:port pair.
port_of() {
  local s="${1#*://}"
  s="${s##*@}"
  s="${s%%/*}"
  s="${s%%,*}"
  [[ "$s" =~ :([0-9]+)$ ]] || die "no port in '$1'"
  printf '%s' "${BASH_REMATCH[1]}"
}

# ---------------------------------------------------------------- processes

# pid_alive PIDFILE PATTERN: the pid in PIDFILE is running and its command line contains
# PATTERN (guards against a recycled pid after a reboot or a crash).
pid_alive() {
  local pidfile="$1" pattern="$2" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(tr -dc 0-9 <"$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

# stop_pid PIDFILE PATTERN [TIMEOUT]: SIGTERM, wait, then SIGKILL. Idempotent.
stop_pid() {
  local pidfile="$1" pattern="$2" timeout="${3:-30}" pid i
  if pid_alive "$pidfile" "$pattern"; then
    pid="$(tr -dc 0-9 <"$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop in ${timeout}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
  fi
  rm -f "$pidfile"
}

# spawn PIDFILE LOGFILE CMD...: starts CMD detached (own session, no stdin, output appended to
# LOGFILE) and writes the pid of the process that execs CMD to PIDFILE.
spawn() {
  local pidfile="$1" logfile="$2"
  shift 2
  rm -f "$pidfile"
  printf '\n==== %s starting: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logfile"
  # fds 8/9 are lock files (see services.sh, with_lock): never let a daemon inherit them.
  # shellcheck disable=SC2016 # $$/$0/$@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 8>&- 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start: $*"
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  # shellcheck disable=SC2016 # $0 belongs to the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}

# wait_ready SECONDS READY_FN ALIVE_FN LOGFILE: polls READY_FN every second; fails early when
# ALIVE_FN says the process died, and shows the end of LOGFILE on failure.
wait_ready() {
  local timeout="$1" ready_fn="$2" alive_fn="$3" logfile="$4" start=$SECONDS
  while ((SECONDS - start < timeout)); do
    if "$ready_fn"; then
      log "ready after $((SECONDS - start))s"
      return 0
    fi
    if ! "$alive_fn"; then
      log "process exited during startup; last lines of $(pretty_path "$logfile"):"
      tail -n 30 "$logfile" >&2 || true
      return 1
    fi
    sleep 1
  done
  log "not ready after ${timeout}s; last lines of $(pretty_path "$logfile"):"
  tail -n 30 "$logfile" >&2 || true
  return 1
}

# ---------------------------------------------------------------- installs

# with_lock NAME CMD...: serialises CMD across processes sharing the cache (e.g. the Maven
# local repository, which is not safe for concurrent downloads).
with_lock() {
  local name="$1"
  shift
  (
    flock -w 1200 9 || die "timed out waiting for lock $name"
    "$@"
  ) 9>"$CACHE_DIR/.$name.lock"
}

# apt_install PKG...: one `apt-get update` then one install of everything given.
apt_install() {
  (($# > 0)) || return 0
  [[ $(id -u) -eq 0 ]] || die "need root to apt-get install $*"
  log "apt-get install $* (log: $(pretty_path "$LOG_DIR/apt.install.log"))"
  {
    apt-get update -q &&
      apt-get install -y -q --no-install-recommends "$@"
  } >>"$LOG_DIR/apt.install.log" 2>&1 || {
    tail -n 30 "$LOG_DIR/apt.install.log" >&2
    die "apt-get install failed"
  }
}

# mvn_cache ARGS...: Maven against a local repository inside the cache dir.
mvn_cache() {
  JAVA_HOME="$JAVA_HOME_17" mvn -B -ntp -Dmaven.repo.local="$CACHE_DIR/m2" "$@"
}

# ensure_system_user NAME: creates a locked, home-less system user + group if missing.
ensure_system_user() {
  id -u "$1" >/dev/null 2>&1 && return 0
  log "creating system user $1"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$1"
}

# ensure_traversable USER PATH: USER can reach PATH (e.g. a cache under /root, mode 700).
# Grants only the search (x) permission on the blocking ancestors, via an ACL when setfacl
# exists, else via o+x.
ensure_traversable() {
  local user="$1" path="$2" dir=""
  local -a parts
  IFS=/ read -r -a parts <<<"${path#/}"
  for part in "${parts[@]}"; do
    dir="$dir/$part"
    [[ -d "$dir" ]] || break
    runuser -u "$user" -- test -x "$dir" 2>/dev/null && continue
    if command -v setfacl >/dev/null; then
      log "granting $user search access to $dir (setfacl u:$user:x)"
      setfacl -m "u:$user:x" "$dir"
    else
      log "granting search access to $dir (chmod o+x)"
      chmod o+x "$dir"
    fi
  done
}
