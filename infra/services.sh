#!/usr/bin/env bash
# Backing services for integration tests and CI, all on 127.0.0.1 (ports in infra/services.env).
#
#   infra/services.sh up     [service...]   install if missing, start, wait until ready
#   infra/services.sh down   [service...]   stop (idempotent)
#   infra/services.sh status [service...]   one line each; exit 1 if any is not up
#   infra/services.sh reset  [service...]   down, then delete the service's data
#   infra/services.sh simulators            start every provider simulator; print SIM_<NAME>_URL=...
#
# Services: postgres redis kafka elasticsearch stripe-mock firestore prism-sendgrid prism-twilio,
# and sim-<provider> for each infra/simulators/<provider>/server.mjs (none given = all).
# Env: TUOI_CACHE_DIR (downloads, default ~/.cache/tuoi), TUOI_SERVICES_DIR (data, pids, logs,
# default <repo>/.services), TUOI_KAFKA_VERSION, TUOI_ES_VERSION, TUOI_STRIPE_MOCK_VERSION,
# TUOI_SIMULATORS_DIR (default infra/simulators; tests point it elsewhere).
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ALL_SERVICES=(postgres redis kafka elasticsearch stripe-mock firestore prism-sendgrid prism-twilio)
for _svc in "${ALL_SERVICES[@]}"; do
  # shellcheck source=/dev/null
  source "$INFRA_DIR/svc/$_svc.sh"
done
unset _svc
# shellcheck source=simulators/service.sh
source "$INFRA_DIR/simulators/service.sh"
mapfile -t -O "${#ALL_SERVICES[@]}" ALL_SERVICES < <(simulator_names | sed 's/^/sim-/')

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# svc_call SERVICE OP [ARGS...]: runs <service>_<op> (stripe-mock -> stripe_mock_<op>).
svc_call() {
  local svc="$1" op="$2"
  shift 2
  "${svc//-/_}_$op" "$@"
}

svc_has() { declare -F "${1//-/_}_$2" >/dev/null; }

svc_state() {
  if svc_call "$1" alive; then
    if svc_call "$1" ready; then echo up; else echo starting; fi
  else
    echo down
  fi
}

status_line() {
  printf '%-14s %-9s %-16s log: %s\n' "$1" "$2" "$(svc_call "$1" addr)" \
    "$(pretty_path "$LOG_DIR/$1.log")"
}

# Whole lifecycle of one service; runs in a background subshell per service during `up`.
svc_up() {
  local svc="$1" port
  export SVC="$svc"
  if svc_call "$svc" alive; then
    if svc_call "$svc" ready; then
      log "already running"
    else
      log "running but not ready yet; waiting"
      wait_ready "$(svc_call "$svc" timeout)" "${svc//-/_}_ready" "${svc//-/_}_alive" \
        "$LOG_DIR/$svc.log"
    fi
  else
    port="$(svc_call "$svc" addr)"
    port="${port##*:}"
    if port_open "$port"; then
      die "127.0.0.1:$port is taken by a process this script did not start; stop it first"
    fi
    svc_call "$svc" install
    svc_call "$svc" start
    wait_ready "$(svc_call "$svc" timeout)" "${svc//-/_}_ready" "${svc//-/_}_alive" \
      "$LOG_DIR/$svc.log"
  fi
  if svc_has "$svc" provision; then svc_call "$svc" provision; fi
}

lock_services_dir() {
  exec 8>"$SERVICES_DIR/.lock"
  flock -w 900 8 || die "another infra/services.sh up/down is running (lock $SERVICES_DIR/.lock)"
}

cmd_up() {
  local started=$SECONDS svc rc=0
  local -a needs=() pids=() failed=()
  lock_services_dir

  # One apt-get update + install for everything missing, before the parallel part.
  for svc in "$@"; do
    svc_call "$svc" alive && continue
    mapfile -t -O "${#needs[@]}" needs < <(svc_call "$svc" apt_needs)
  done
  if ((${#needs[@]} > 0)); then
    mapfile -t needs < <(printf '%s\n' "${needs[@]}" | sort -u)
    apt_install "${needs[@]}"
  fi

  # Install, start and wait for all services at once: the slow ones (Kafka, Elasticsearch,
  # the stripe-mock build) overlap. Maven downloads are serialised by a lock.
  for svc in "$@"; do
    (svc_up "$svc") &
    pids+=($!)
  done
  local i
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      failed+=("$(printf '%s\n' "$@" | sed -n "$((i + 1))p")")
    fi
  done

  for svc in "$@"; do
    if [[ " ${failed[*]-} " == *" $svc "* ]]; then
      status_line "$svc" FAILED
      rc=1
    else
      status_line "$svc" up
    fi
  done
  echo "services up in $((SECONDS - started))s (env: infra/services.env)"
  return "$rc"
}

cmd_down() {
  local svc
  local -a pids=()
  lock_services_dir
  for svc in "$@"; do
    (
      export SVC="$svc"
      svc_call "$svc" stop
    ) &
    pids+=($!)
  done
  local rc=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  for svc in "$@"; do
    if svc_call "$svc" alive; then
      status_line "$svc" RUNNING
      rc=1
    else
      status_line "$svc" down
    fi
  done
  return "$rc"
}

cmd_status() {
  local svc state rc=0
  for svc in "$@"; do
    state="$(svc_state "$svc")"
    status_line "$svc" "$state"
    [[ "$state" == up ]] || rc=1
  done
  return "$rc"
}

cmd_reset() {
  cmd_down "$@"
  local svc
  for svc in "$@"; do
    log "deleting $(pretty_path "$SERVICES_DIR/$svc") and its logs"
    rm -rf "${SERVICES_DIR:?}/$svc" "$LOG_DIR/$svc.log"
  done
}

# Starts every provider simulator (none: nothing) and prints SIM_<NAME>_URL=... lines on stdout,
# which make dev (scripts/dev.ts) hands to the functions.
cmd_simulators() {
  local name
  local -a sims=()
  mapfile -t sims < <(simulator_names)
  ((${#sims[@]} > 0)) || return 0
  cmd_up "${sims[@]/#/sim-}" >&2
  for name in "${sims[@]}"; do
    printf '%s=http://%s\n' "$(simulator_var "$name" URL)" "$(simulator_addr "$name")"
  done
}

main() {
  (($# >= 1)) || usage
  local cmd="$1" svc
  shift
  case "$cmd" in
    up | down | status | reset | simulators) ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
  (($# > 0)) || set -- "${ALL_SERVICES[@]}"
  for svc in "$@"; do
    # No `printf | grep -q` here: grep quits at the first match, printf may die of SIGPIPE, and
    # with pipefail a known service would then be reported unknown.
    [[ " ${ALL_SERVICES[*]} " == *" $svc "* ]] ||
      die "unknown service '$svc' (known: ${ALL_SERVICES[*]})"
  done
  load_env
  for svc in "${ALL_SERVICES[@]}"; do svc_call "$svc" init; done
  "cmd_$cmd" "$@"
}

main "$@"
