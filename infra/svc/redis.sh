# shellcheck shell=bash
# redis-server from Debian, no persistence, daemonized with a pid file.

redis_init() {
  REDIS_PORT="$(port_of "$ENV_REDIS_URL")"
  REDIS_DIR="$SERVICES_DIR/redis"
  REDIS_PID="$REDIS_DIR/redis.pid"
  REDIS_LOG="$LOG_DIR/redis.log"
}

redis_addr() { printf '127.0.0.1:%s' "$REDIS_PORT"; }
redis_timeout() { echo 30; }

redis_apt_needs() {
  command -v redis-server >/dev/null || echo redis-server
  command -v redis-cli >/dev/null || echo redis-tools
}

redis_install() { command -v redis-server >/dev/null || die "redis-server missing after apt install"; }

redis_alive() { pid_alive "$REDIS_PID" redis-server; }

redis_ready() {
  [[ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

redis_start() {
  mkdir -p "$REDIS_DIR"
  log "starting on 127.0.0.1:$REDIS_PORT"
  rm -f "$REDIS_PID"
  # shellcheck disable=SC2094 # --logfile is a path for redis, not read here
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --daemonize yes --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" --dir "$REDIS_DIR" \
    --save '' --appendonly no </dev/null >>"$REDIS_LOG" 2>&1 8>&- 9>&- ||
    die "redis-server failed to start (see $(pretty_path "$REDIS_LOG"))"
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$REDIS_PID" ]] && return 0
    sleep 0.1
  done
}

redis_stop() { stop_pid "$REDIS_PID" redis-server 30; }
