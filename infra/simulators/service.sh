# shellcheck shell=bash
# Provider simulators as services (see infra/simulators/README.md). Every
# infra/simulators/<provider>/server.mjs is service `sim-<provider>`: started as `node server.mjs`
# with PORT=$SIM_<PROVIDER>_PORT from infra/services.env, ready once the port accepts connections,
# logged to .services/logs/sim-<provider>.log. Sourced by infra/services.sh, never executed.

SIMULATORS_DIR="${TUOI_SIMULATORS_DIR:-$INFRA_DIR/simulators}"

# simulator_names: the providers that have a simulator, one per line.
simulator_names() {
  local f name
  for f in "$SIMULATORS_DIR"/*/server.mjs; do
    [[ -f "$f" ]] || continue
    name="$(basename "$(dirname "$f")")"
    [[ "$name" =~ ^[a-z][a-z0-9-]*$ ]] ||
      die "simulator folder '$name' must be lower-case letters, digits and dashes"
    printf '%s\n' "$name"
  done
}

# simulator_var NAME SUFFIX: SIM_<NAME>_<SUFFIX>, e.g. SIM_MOMO_PORT.
simulator_var() {
  local n="${1//-/_}"
  printf 'SIM_%s_%s' "${n^^}" "$2"
}

simulator_port() {
  local var
  var="ENV_$(simulator_var "$1" PORT)"
  [[ -n "${!var:-}" ]] ||
    die "simulator $1 needs $(simulator_var "$1" PORT)=<port> in infra/services.env"
  printf '%s' "${!var}"
}

simulator_entry() { printf '%s/%s/server.mjs' "$SIMULATORS_DIR" "$1"; }
simulator_pid() { printf '%s/sim-%s/server.pid' "$SERVICES_DIR" "$1"; }
simulator_log() { printf '%s/sim-%s.log' "$LOG_DIR" "$1"; }

simulator_init() { :; }
simulator_addr() { printf '127.0.0.1:%s' "$(simulator_port "$1")"; }
simulator_timeout() { echo 20; }
simulator_apt_needs() { :; }
simulator_install() { command -v node >/dev/null || die "node is required for provider simulators"; }
simulator_alive() { pid_alive "$(simulator_pid "$1")" "$(simulator_entry "$1")"; }
simulator_ready() { port_open "$(simulator_port "$1")"; }
simulator_stop() { stop_pid "$(simulator_pid "$1")" "$(simulator_entry "$1")" 10; }

simulator_start() {
  local port
  port="$(simulator_port "$1")"
  mkdir -p "$SERVICES_DIR/sim-$1"
  log "starting on 127.0.0.1:$port"
  spawn "$(simulator_pid "$1")" "$(simulator_log "$1")" env PORT="$port" node "$(simulator_entry "$1")"
}

# The per-service functions services.sh calls (sim_<name>_<op>), one set per simulator.
for _sim in $(simulator_names); do
  for _op in init addr timeout apt_needs install alive ready start stop; do
    eval "sim_${_sim//-/_}_${_op}() { simulator_${_op} '${_sim}' \"\$@\"; }"
  done
done
unset _sim _op
