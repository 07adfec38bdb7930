# shellcheck shell=bash
# prism-sendgrid: a Prism mock of the vendor's OpenAPI document. services.sh sources one file per
# service name; the functions of both Prism services live in prism.sh.
# shellcheck source=prism.sh
source "$INFRA_DIR/svc/prism.sh"
