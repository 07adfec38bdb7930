#!/usr/bin/env bash
# Schemathesis (from PyPI), the property-based API fuzzer the contract test runs against the
# platform from docs/openapi.json. Installed once into a virtualenv in the shared cache (a venv
# cannot be moved, so it is built in place and marked complete); idempotent and safe to run
# concurrently. Prints the command to use.
set -euo pipefail
SVC=schemathesis
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
VERSION=${TUOI_SCHEMATHESIS_VERSION:-4.32.5}
venv="$CACHE_DIR/schemathesis-$VERSION"

install_schemathesis() {
  [[ -f $venv/.installed ]] && return 0
  python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  rm -rf "$venv"
  log "installing schemathesis $VERSION into $(pretty_path "$venv")"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION" >&2
  touch "$venv/.installed"
}

with_lock schemathesis install_schemathesis
echo "$venv/bin/schemathesis"
