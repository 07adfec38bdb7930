# shellcheck shell=bash
# stripe-mock (stateless Stripe API mock) built with `go install` into the cache dir.

STRIPE_MOCK_VERSION="${TUOI_STRIPE_MOCK_VERSION:-v0.203.0}"

stripe_mock_init() {
  STRIPE_HTTP_PORT="$(port_of "$ENV_STRIPE_API_BASE")"
  STRIPE_HTTPS_PORT="$ENV_STRIPE_MOCK_HTTPS_PORT"
  STRIPE_BIN="$CACHE_DIR/stripe-mock-$STRIPE_MOCK_VERSION/stripe-mock"
  STRIPE_DIR="$SERVICES_DIR/stripe-mock"
  STRIPE_PID="$STRIPE_DIR/stripe-mock.pid"
  STRIPE_LOG="$LOG_DIR/stripe-mock.log"
}

stripe_mock_addr() { printf '127.0.0.1:%s' "$STRIPE_HTTP_PORT"; }
stripe_mock_timeout() { echo 30; }

stripe_mock_apt_needs() {
  command -v curl >/dev/null || echo curl
  [[ -x "$STRIPE_BIN" ]] || command -v go >/dev/null || echo golang-go
}

stripe_mock_install() {
  if [[ ! -x "$STRIPE_BIN" ]]; then with_lock go stripe_mock_build; fi
}

stripe_mock_build() {
  [[ -x "$STRIPE_BIN" ]] && return 0
  local install_log="$LOG_DIR/stripe-mock.install.log" tmp
  log "go install github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION" \
    "(log: $(pretty_path "$install_log"))"
  tmp="$(mktemp -d "$CACHE_DIR/.stripe-mock.XXXXXX")"
  GOBIN="$tmp" GOPATH="$CACHE_DIR/go" GOCACHE="$CACHE_DIR/go-build" GOFLAGS=-modcacherw \
    CGO_ENABLED=0 go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION" \
    >>"$install_log" 2>&1 || {
    tail -n 30 "$install_log" >&2
    rm -rf "$tmp"
    die "go install stripe-mock failed"
  }
  rm -rf "$(dirname "$STRIPE_BIN")"
  mv "$tmp" "$(dirname "$STRIPE_BIN")"
}

stripe_mock_alive() { pid_alive "$STRIPE_PID" stripe-mock; }

stripe_mock_ready() {
  [[ "$(curl -s -o /dev/null -m 3 -w '%{http_code}' -u "$ENV_STRIPE_SECRET_KEY:" \
    "http://127.0.0.1:$STRIPE_HTTP_PORT/v1/customers?limit=1")" == 200 ]]
}

stripe_mock_start() {
  mkdir -p "$STRIPE_DIR"
  log "starting stripe-mock $STRIPE_MOCK_VERSION on 127.0.0.1:$STRIPE_HTTP_PORT (https :$STRIPE_HTTPS_PORT)"
  spawn "$STRIPE_PID" "$STRIPE_LOG" "$STRIPE_BIN" \
    -http-addr "127.0.0.1:$STRIPE_HTTP_PORT" -https-addr "127.0.0.1:$STRIPE_HTTPS_PORT"
}

stripe_mock_stop() { stop_pid "$STRIPE_PID" stripe-mock 15; }
