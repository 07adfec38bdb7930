# shellcheck shell=bash
# Prism (@stoplight/prism-cli 5) mock servers for the notification adapters' contract tests, one
# per vendor OpenAPI document in ../shared/provider-specs (beside the repo; CI clones it there):
#   prism-sendgrid  tsg_mail_v3.json       (SendGrid v3 Mail Send)      port of SENDGRID_API_URL
#   prism-twilio    twilio_api_v2010.json  (Twilio REST API 2010-04-01) port of TWILIO_API_URL
# Prism checks every request against the document (body, path, auth) and answers 400/422/401 when
# it does not conform, else the documented success with the spec's example. No `--errors`: that
# flag is about response violations and proxy mode; request validation is on without it.
# The CLI is a dev tool like stripe-mock: installed with npm into the cache dir, never into the
# repo's package.json. infra/svc/prism-<vendor>.sh source this file (services.sh sources one file
# per service name).

PRISM_VERSION="${TUOI_PRISM_VERSION:-5}"
PRISM_SPECS_DIR="${TUOI_PROVIDER_SPECS_DIR:-$(dirname "$REPO_DIR")/shared/provider-specs}"

# ---------------------------------------------------------------- shared

prism_init_common() {
  PRISM_PREFIX="$CACHE_DIR/prism-$PRISM_VERSION"
  PRISM_BIN="$PRISM_PREFIX/node_modules/.bin/prism"
}

prism_apt_needs() { command -v curl >/dev/null || echo curl; }

# prism_install SPEC_FILE: the CLI (once, shared by both services) and the vendor's document.
prism_install() {
  [[ -f "$PRISM_SPECS_DIR/$1" ]] ||
    die "$PRISM_SPECS_DIR/$1 is missing: the provider specs live in shared/provider-specs beside the repo (or set TUOI_PROVIDER_SPECS_DIR)"
  command -v npm >/dev/null || die "node and npm are required for Prism"
  if [[ ! -x "$PRISM_BIN" ]]; then with_lock prism prism_npm_install; fi
}

# Installs into a temporary prefix and renames it, so a failed or concurrent install never leaves
# a half-filled prefix that looks installed.
prism_npm_install() {
  [[ -x "$PRISM_BIN" ]] && return 0
  local install_log="$LOG_DIR/prism.install.log" tmp
  log "npm install @stoplight/prism-cli@$PRISM_VERSION into $PRISM_PREFIX (log: $(pretty_path "$install_log"))"
  tmp="$(mktemp -d "$CACHE_DIR/.prism.XXXXXX")"
  npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error \
    "@stoplight/prism-cli@$PRISM_VERSION" >>"$install_log" 2>&1 || {
    tail -n 30 "$install_log" >&2
    rm -rf "$tmp"
    die "npm install @stoplight/prism-cli failed"
  }
  rm -rf "$PRISM_PREFIX"
  mv "$tmp" "$PRISM_PREFIX"
  chmod 755 "$PRISM_PREFIX"
}

# prism_start NAME PORT SPEC_FILE
prism_start() {
  local name="$1" port="$2" spec="$3"
  mkdir -p "$SERVICES_DIR/$name"
  log "starting Prism $("$PRISM_BIN" --version 2>/dev/null) on 127.0.0.1:$port for $spec"
  spawn "$SERVICES_DIR/$name/$name.pid" "$LOG_DIR/$name.log" \
    "$PRISM_BIN" mock -h 127.0.0.1 -p "$port" "$PRISM_SPECS_DIR/$spec"
}

# prism_answers EXPECTED_STATUS CURL_ARGS...: Prism has loaded the document and validated a
# conforming request (a connection error or a 404 "no path matched" is not ready).
prism_answers() {
  local want="$1"
  shift
  [[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$@")" == "$want" ]]
}

# ---------------------------------------------------------------- prism-sendgrid

prism_sendgrid_init() {
  prism_init_common
  PRISM_SENDGRID_PORT="$(port_of "$ENV_SENDGRID_API_URL")"
  PRISM_SENDGRID_SPEC=tsg_mail_v3.json
  PRISM_SENDGRID_PID="$SERVICES_DIR/prism-sendgrid/prism-sendgrid.pid"
}

prism_sendgrid_addr() { printf '127.0.0.1:%s' "$PRISM_SENDGRID_PORT"; }
prism_sendgrid_timeout() { echo 120; }
prism_sendgrid_apt_needs() { prism_apt_needs; }
prism_sendgrid_install() { prism_install "$PRISM_SENDGRID_SPEC"; }
prism_sendgrid_alive() { pid_alive "$PRISM_SENDGRID_PID" "$PRISM_SENDGRID_SPEC"; }

prism_sendgrid_ready() {
  prism_answers 202 -X POST "http://127.0.0.1:$PRISM_SENDGRID_PORT/v3/mail/send" \
    -H 'authorization: Bearer SG.ready-check' -H 'content-type: application/json' \
    -d '{"personalizations":[{"to":[{"email":"ready@example.com"}]}],"from":{"email":"ready@example.com"},"subject":"ready","content":[{"type":"text/plain","value":"ready"}]}'
}

prism_sendgrid_start() { prism_start prism-sendgrid "$PRISM_SENDGRID_PORT" "$PRISM_SENDGRID_SPEC"; }
prism_sendgrid_stop() { stop_pid "$PRISM_SENDGRID_PID" "$PRISM_SENDGRID_SPEC" 15; }

# ---------------------------------------------------------------- prism-twilio

prism_twilio_init() {
  prism_init_common
  PRISM_TWILIO_PORT="$(port_of "$ENV_TWILIO_API_URL")"
  PRISM_TWILIO_SPEC=twilio_api_v2010.json
  PRISM_TWILIO_PID="$SERVICES_DIR/prism-twilio/prism-twilio.pid"
}

prism_twilio_addr() { printf '127.0.0.1:%s' "$PRISM_TWILIO_PORT"; }
# The document is 1.8 MB: Prism takes a few seconds to load it (more on a busy machine).
prism_twilio_timeout() { echo 120; }
prism_twilio_apt_needs() { prism_apt_needs; }
prism_twilio_install() { prism_install "$PRISM_TWILIO_SPEC"; }
prism_twilio_alive() { pid_alive "$PRISM_TWILIO_PID" "$PRISM_TWILIO_SPEC"; }

prism_twilio_ready() {
  local sid=AC00000000000000000000000000000000
  prism_answers 201 -X POST -u "$sid:ready-check" \
    "http://127.0.0.1:$PRISM_TWILIO_PORT/2010-04-01/Accounts/$sid/Messages.json" \
    --data-urlencode 'To=+84900000000' --data-urlencode 'From=+15005550006' --data-urlencode 'Body=ready'
}

prism_twilio_start() { prism_start prism-twilio "$PRISM_TWILIO_PORT" "$PRISM_TWILIO_SPEC"; }
prism_twilio_stop() { stop_pid "$PRISM_TWILIO_PID" "$PRISM_TWILIO_SPEC" 15; }
