#!/usr/bin/env bash
# Builds the one Tươi image from Containerfile with whichever engine is installed (docker,
# podman or buildah), tags it IMAGE:TAG and pushes it when PUSH=1. IMAGE defaults to the
# registry the manifests name; TAG defaults to the commit (dirty trees get a -dirty suffix).
#   scripts/build-image.sh                     # build registry.tuoi.internal/tuoi/functions:<sha>
#   IMAGE=reg.example/tuoi TAG=v1 PUSH=1 scripts/build-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-registry.tuoi.internal/tuoi/functions}
TAG=${TAG:-$(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- || echo -dirty)}
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  engine=(docker build)
  push=(docker push)
elif command -v podman >/dev/null; then
  engine=(podman build --format docker)
  push=(podman push)
elif command -v buildah >/dev/null; then
  engine=(buildah bud --format docker)
  push=(buildah push)
else
  echo "No image builder: install Docker, Podman or Buildah, or build in CI with kaniko (docs/operations.md)." >&2
  exit 69
fi
"${engine[@]}" -f Containerfile -t "$IMAGE:$TAG" .
echo "built $IMAGE:$TAG"
if [[ ${PUSH:-0} == 1 ]]; then "${push[@]}" "$IMAGE:$TAG"; fi
