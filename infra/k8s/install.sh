#!/usr/bin/env bash
# Installs the platform the Tươi manifests run on, into the Kubernetes cluster of one kubeconfig
# context: Knative Serving (+ Kourier), Knative Eventing (+ the Kafka Broker, Source and Sink),
# the Strimzi and CloudNativePG operators, then the backing services in infra/k8s/ (Kafka,
# PostgreSQL + PgBouncer, Redis, Elasticsearch), and waits until all of it is ready.
#
#   bash infra/k8s/install.sh <kube-context>
#   bash infra/k8s/install.sh        # interactive only: confirms kubectl's current context first
#
# For operators, against a real cluster only: it is never run by tests or CI (it refuses when CI
# is set). Idempotent: re-running converges on the same state and applies version bumps made to
# the pins below. It does not create application Secrets or deploy the functions; see README.md.
#
# Pinned versions, and why these:
#   Knative 1.22 line: Serving 1.22.1, net-kourier 1.22.0, Eventing 1.22.2, eventing-kafka-broker
#     1.22.2. One Knative minor for every component (the projects release in lockstep per minor;
#     patch numbers differ per repository). 1.22 rather than 1.23: 1.23.0 was weeks old when this
#     was pinned, 1.22 already had patch releases. The versions are those bundled for 1.22 by the
#     Knative operator (cmd/operator/kodata), the Serving 1.22.1 assets are listed on the release.
#     Defaults this relies on, checked in the 1.22 sources: Serving allows emptyDir volumes
#     (kubernetes.podspec-volumes-emptydir: enabled) and container-level allowPrivilegeEscalation,
#     runAsGroup/runAsNonRoot and seccompProfile without kubernetes.podspec-securitycontext (the
#     generated Services set no pod-level securityContext). Eventing's delivery-timeout (BETA) is
#     on by default; it is set explicitly below because every Trigger uses delivery.timeout.
#   Strimzi 1.0.1: the kafka.strimzi.io/v1 API the manifests use (introduced in 0.49, the only
#     API from 1.0) and the release the schemas in node_modules/@kubernetes-models/
#     strimzi-kafka-operator@1.0.1 describe. Runs Kafka 4.1.x/4.2.0 only.
#   CloudNativePG 1.25.4: latest patch found of the requested 1.25 line. NOTE: 1.25 is past its
#     community end of life (1.27 itself went EOL in March 2026); plan the upgrade to a supported
#     minor (check .spec of postgres/cluster.yaml against its CRDs first).
set -euo pipefail

KNATIVE_SERVING_VERSION="1.22.1"
KNATIVE_KOURIER_VERSION="1.22.0"
KNATIVE_EVENTING_VERSION="1.22.2"
KNATIVE_KAFKA_VERSION="1.22.2"
STRIMZI_VERSION="1.0.1"
CNPG_VERSION="1.25.4"

# Default domain of Knative routes (the gateway's own URL becomes gateway.tuoi.<domain>). The
# public hosts (api.tuoi.vn, ...) are DomainMappings and do not depend on it.
KNATIVE_DOMAIN="${KNATIVE_DOMAIN:-knative.tuoi.internal}"

SERVING_URL="https://github.com/knative/serving/releases/download/knative-v${KNATIVE_SERVING_VERSION}"
KOURIER_URL="https://github.com/knative/net-kourier/releases/download/knative-v${KNATIVE_KOURIER_VERSION}"
EVENTING_URL="https://github.com/knative/eventing/releases/download/knative-v${KNATIVE_EVENTING_VERSION}"
KAFKA_URL="https://github.com/knative-extensions/eventing-kafka-broker/releases/download/knative-v${KNATIVE_KAFKA_VERSION}"
STRIMZI_URL="https://github.com/strimzi/strimzi-kafka-operator/releases/download/${STRIMZI_VERSION}/strimzi-cluster-operator-${STRIMZI_VERSION}.yaml"
CNPG_URL="https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-${CNPG_VERSION%.*}/releases/cnpg-${CNPG_VERSION}.yaml"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '\n==> %s\n' "$*" >&2; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

[[ -z "${CI:-}" ]] || die "CI is set: this script changes a real cluster and never runs in CI or tests"
[[ $# -le 1 ]] || die "usage: bash infra/k8s/install.sh [<kube-context>]"
for tool in kubectl curl sed; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
CONTEXT="${1:-}"
if [[ -z "$CONTEXT" ]]; then
  # No context named: only a person at a terminal may proceed, by typing the current one.
  [[ -t 0 ]] || die "usage: bash infra/k8s/install.sh <kube-context> (required when not interactive)"
  CONTEXT="$(kubectl config current-context 2>/dev/null || true)"
  [[ -n "$CONTEXT" ]] || die "no current kubeconfig context"
  printf 'This installs operators and data services into context %s.\nType the context name to continue: ' "$CONTEXT" >&2
  read -r answer
  [[ "$answer" == "$CONTEXT" ]] || die "aborted"
fi
kubectl config get-contexts "$CONTEXT" >/dev/null 2>&1 || die "no kubeconfig context named $CONTEXT"

# Every kubectl call goes to that context explicitly, whatever kubectl's current context becomes.
k() { kubectl --context "$CONTEXT" "$@"; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Downloads a release file once (so a network error fails here, not halfway through an apply).
fetch() {
  local url="$1" out
  out="$WORK/$(printf '%s' "$url" | sed 's#[^A-Za-z0-9._-]#_#g')"
  curl -fsSL --retry 3 --retry-delay 5 -o "$out" "$url" || die "download failed: $url"
  printf '%s' "$out"
}

# Server-side apply: the Strimzi and CloudNativePG CRDs are too large for the last-applied
# annotation of client-side apply, and one apply mode for everything keeps re-runs consistent.
# --force-conflicts: the pinned manifests win over earlier hand edits of the same fields.
apply() { k apply --server-side --force-conflicts --field-manager=tuoi-install "$@"; }
# Downloads and applies a release file (retried: see retry).
apply_url() {
  local file
  file="$(fetch "$1")"
  retry apply -f "$file"
}
# Our settings in the components' ConfigMaps ($1: the YAML), under their own field manager:
# re-applying a release manifest never removes them, and they never remove the release's keys.
# Knative validates its config-* ConfigMaps with a webhook, so this runs once that is up.
apply_config() {
  printf '%s\n' "$1" | k apply --server-side --force-conflicts --field-manager=tuoi-install-config -f -
}

# Retries a command (webhooks can refuse requests for a few seconds after their pods turn ready).
retry() {
  local n
  for n in 1 2 3 4 5 6; do
    "$@" && return 0
    echo "retrying in 10s ($n/6): $*" >&2
    sleep 10
  done
  "$@"
}

# Waits until an object exists (kubectl wait fails at once on objects an operator has not
# created yet).
wait_exists() {
  local ns="$1" ref="$2" timeout="${3:-300}" waited=0
  until k -n "$ns" get "$ref" >/dev/null 2>&1; do
    ((waited < timeout)) || die "$ns/$ref did not appear within ${timeout}s"
    sleep 5
    waited=$((waited + 5))
  done
}

log "Using context $CONTEXT ($(k config view --minify -o jsonpath='{.clusters[0].cluster.server}'))"
k version >/dev/null || die "cannot reach the API server of $CONTEXT"

log "Namespaces kafka and data"
apply -f "$HERE/namespaces.yaml"

# --- Knative Serving ----------------------------------------------------------------------
log "Knative Serving ${KNATIVE_SERVING_VERSION}"
apply_url "$SERVING_URL/serving-crds.yaml"
k wait --for=condition=Established --timeout=120s crd -l knative.dev/crd-install=true
apply_url "$SERVING_URL/serving-core.yaml"

log "net-kourier ${KNATIVE_KOURIER_VERSION} (ingress)"
apply_url "$KOURIER_URL/kourier.yaml"
k -n knative-serving wait deployment --all --for=condition=Available --timeout=10m
k -n kourier-system wait deployment --all --for=condition=Available --timeout=10m

# Kourier as the ingress; ClusterDomainClaims created automatically so a DomainMapping
# (api.tuoi.vn -> gateway) works without a cluster admin creating the claim by hand.
retry apply_config "apiVersion: v1
kind: ConfigMap
metadata:
  name: config-network
  namespace: knative-serving
data:
  ingress-class: kourier.ingress.networking.knative.dev
  autocreate-cluster-domain-claims: \"true\""
retry apply_config "apiVersion: v1
kind: ConfigMap
metadata:
  name: config-domain
  namespace: knative-serving
data:
  ${KNATIVE_DOMAIN}: \"\""

# --- Knative Eventing ---------------------------------------------------------------------
log "Knative Eventing ${KNATIVE_EVENTING_VERSION}"
apply_url "$EVENTING_URL/eventing-crds.yaml"
k wait --for=condition=Established --timeout=120s crd -l knative.dev/crd-install=true
apply_url "$EVENTING_URL/eventing-core.yaml"
k -n knative-eventing wait deployment --all --for=condition=Available --timeout=10m
# authentication-oidc (alpha in 1.22): Triggers and sources send a service-account token for their
# target's audience; the Broker and KafkaSink enforce EventPolicies (knative/base/security), and each
# function checks its deliveries' tokens itself (EVENTS_OIDC_*). Without it no token is sent and every
# function answers the broker's deliveries with 401. default-authorization-mode stays
# allow-same-namespace for resources without a policy.
retry apply_config "apiVersion: v1
kind: ConfigMap
metadata:
  name: config-features
  namespace: knative-eventing
data:
  delivery-timeout: enabled
  authentication-oidc: enabled"

log "Knative Kafka Broker, Source and Sink ${KNATIVE_KAFKA_VERSION}"
# The controller (with the CRDs and the webhook) first, then the data planes.
apply_url "$KAFKA_URL/eventing-kafka-controller.yaml"
k wait --for=condition=Established --timeout=120s crd -l knative.dev/crd-install=true
k -n knative-eventing wait deployment --all --for=condition=Available --timeout=10m
for file in eventing-kafka-broker.yaml eventing-kafka-source.yaml eventing-kafka-sink.yaml; do
  apply_url "$KAFKA_URL/$file"
done
k -n knative-eventing wait deployment --all --for=condition=Available --timeout=10m

# --- Strimzi ------------------------------------------------------------------------------
log "Strimzi cluster operator ${STRIMZI_VERSION} (namespace kafka, watching kafka)"
# The release file binds its ServiceAccount in the placeholder namespace `myproject`.
strimzi_release="$(fetch "$STRIMZI_URL")"
strimzi="$WORK/strimzi-cluster-operator.yaml"
sed 's/namespace: myproject/namespace: kafka/' "$strimzi_release" >"$strimzi"
! grep -q 'myproject' "$strimzi" || die "the Strimzi install file still mentions myproject: check the namespace rewrite"
retry apply -n kafka -f "$strimzi"
# Operands (Kafka, controllers, entity operator) get the `restricted` Pod Security profile.
# Set outside the manifest, under kubectl's own field manager, so re-applies keep it.
k -n kafka set env deployment/strimzi-cluster-operator STRIMZI_POD_SECURITY_PROVIDER_CLASS=restricted
k -n kafka rollout status deployment/strimzi-cluster-operator --timeout=10m

# --- CloudNativePG ------------------------------------------------------------------------
log "CloudNativePG ${CNPG_VERSION} (namespace cnpg-system)"
apply_url "$CNPG_URL"
k -n cnpg-system rollout status deployment/cnpg-controller-manager --timeout=10m

# --- Backing services ---------------------------------------------------------------------
log "Kafka, PostgreSQL, Redis, Elasticsearch"
retry apply -f "$HERE/kafka/kafka.yaml"
retry apply -f "$HERE/postgres/cluster.yaml"
apply -f "$HERE/redis/redis.yaml"
apply -f "$HERE/elasticsearch/elasticsearch.yaml"

log "Waiting for readiness (first start takes several minutes)"
k -n data rollout status statefulset/redis --timeout=10m
k -n data wait cluster.postgresql.cnpg.io/tuoi-pg --for=condition=Ready --timeout=20m
wait_exists data deployment/tuoi-pg-pooler-rw
k -n data rollout status deployment/tuoi-pg-pooler-rw --timeout=10m
k -n data rollout status statefulset/elasticsearch --timeout=15m
k -n kafka wait kafka/tuoi --for=condition=Ready --timeout=20m

log "Done. Next: create the application Secrets (infra/k8s/README.md), then make deploy ENV=<env>."
