# shellcheck shell=bash
# Firestore emulator: @firestore-emulator/server (npm, in node_modules) started by
# infra/firestore-emulator.mjs. In-memory: data is lost on stop.

firestore_init() {
  FIRESTORE_PORT="$(port_of "$ENV_FIRESTORE_EMULATOR_HOST")"
  FIRESTORE_DIR="$SERVICES_DIR/firestore"
  FIRESTORE_PID="$FIRESTORE_DIR/firestore.pid"
  FIRESTORE_LOG="$LOG_DIR/firestore.log"
}

firestore_addr() { printf '127.0.0.1:%s' "$FIRESTORE_PORT"; }
firestore_timeout() { echo 30; }
firestore_apt_needs() { :; }

firestore_install() {
  command -v node >/dev/null || die "node is required for the Firestore emulator"
  [[ -d "$REPO_DIR/node_modules/@firestore-emulator/server" ]] ||
    die "node_modules/@firestore-emulator/server missing: run npm ci first"
}

firestore_alive() { pid_alive "$FIRESTORE_PID" firestore-emulator; }

firestore_ready() {
  timeout 20 node "$INFRA_DIR/probe.mjs" firestore "127.0.0.1:$FIRESTORE_PORT" >/dev/null 2>&1
}

firestore_start() {
  mkdir -p "$FIRESTORE_DIR"
  log "starting the Firestore emulator on 127.0.0.1:$FIRESTORE_PORT"
  (
    cd "$REPO_DIR" || exit 1
    spawn "$FIRESTORE_PID" "$FIRESTORE_LOG" node "$INFRA_DIR/firestore-emulator.mjs" \
      --host 127.0.0.1 --port "$FIRESTORE_PORT"
  )
}

firestore_stop() { stop_pid "$FIRESTORE_PID" firestore-emulator 15; }
