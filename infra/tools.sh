#!/usr/bin/env bash
# Command-line tools the tests use besides the services: kustomize, to check that each
# knative/overlays/<env> renders exactly what the generator renders. kubectl carries kustomize;
# without kubectl, kustomize is built from the Go module proxy into .services/bin (idempotent).
# Prints the kustomize command to use.
set -euo pipefail
cd "$(dirname "$0")/.."
KUSTOMIZE_VERSION=${TUOI_KUSTOMIZE_VERSION:-v5.5.0}
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
  echo "kubectl kustomize"
  exit 0
fi
bin="$PWD/.services/bin"
if [[ ! -x $bin/kustomize ]]; then
  mkdir -p "$bin"
  echo "installing kustomize $KUSTOMIZE_VERSION with go install" >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
fi
echo "$bin/kustomize build"
