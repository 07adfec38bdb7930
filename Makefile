# Tươi: the two set-up commands are `make dev` (whole platform on embedded defaults) and
# `make test` (every test, against real services it starts itself).
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_MODULES := node_modules/.package-lock.json
SERVICES_ENV := set -a && . infra/services.env && set +a

.PHONY: help install build dev check typecheck lint format test test-unit test-integration \
        services-up services-down services-status migrate docs reindex dlq dlq-replay bench clean \
        rotate-keys auth-client dlq-kafka manifests manifests-check deploy image capacity

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(NODE_MODULES) ## Install npm dependencies (npm ci) when the lock file changed

build: install ## Compile TypeScript to dist/ and build the shop's browser assets
	npx tsc -p tsconfig.build.json
	node dist/scripts/build-storefront.js

dev: build ## Run every function, the gateway (:8080) and the event router on embedded PostgreSQL
	node dist/scripts/dev.js

check: typecheck lint test-unit ## Types + lint + unit tests

typecheck: install
	npx tsc -p tsconfig.json --noEmit

lint: install ## ESLint and Prettier check
	npx eslint . && npx prettier --check .

format: install
	npx prettier --write .

test: build services-up ## Every test: unit + integration against real PostgreSQL, Kafka, Redis, ES, Firestore, stripe-mock, Prism, simulators
	@mkdir -p reports && rm -f reports/jest.json
	$(SERVICES_ENV) && rc=0 && npx jest --ci --json --outputFile=reports/jest.json || rc=$$?; \
	  node scripts/test-summary.mjs reports/jest.json; exit $$rc

test-unit: install ## Unit tests only (no services needed)
	npx jest --ci --selectProjects unit

test-integration: build services-up ## Integration tests only
	$(SERVICES_ENV) && npx jest --ci --selectProjects integration

services-up: ## Install (if missing) and start the real services on 127.0.0.1
	bash infra/services.sh up

services-down: ## Stop the real services
	bash infra/services.sh down

services-status: ## Show which real services run
	bash infra/services.sh status

migrate: build ## Apply migrations to DATABASE_URL
	node dist/scripts/migrate.js

docs: build ## Regenerate docs/api.md, the OpenAPI and AsyncAPI documents (docs/*.json) from the code, and lint them
	node dist/scripts/api-docs.js
	LOG_LEVEL=error node dist/scripts/openapi.js
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --format=summary

capacity: build ## Recompute docs/capacity.md (pods, partitions, connections, ES, Redis) from docs/benchmarks.md
	node dist/scripts/capacity.js

reindex: build ## Rebuild the search index from the catalog without downtime (dev gateway, or CATALOG_URL)
	node dist/scripts/reindex.js

rotate-keys: build ## Publish a new access-token signing key (signs after LEAD seconds, default 60)
	node dist/scripts/auth.js rotate-keys --lead=$(or $(LEAD),60)

auth-client: build ## Create a service client or renew its secret: make auth-client ID=checkout SCOPES="inventory:reserve"
	node dist/scripts/auth.js client put $(ID) $(SCOPES)

manifests: build ## Render knative/ (base + dev/prod overlays) from the function registry
	node dist/scripts/manifests/cli.js write

manifests-check: build ## Fail if knative/ is stale or any manifest breaks its CRD/Kubernetes schema
	node dist/scripts/manifests/cli.js check

deploy: build ## Apply an environment with kubectl: make deploy ENV=dev [TAG=<image tag>] (PLAN=1 prints the steps)
	node dist/scripts/deploy.js $(or $(ENV),dev) $(TAG) $(if $(PLAN),--plan)

image: ## Build the one container image (Docker, Podman or Buildah): IMAGE=… TAG=… PUSH=1
	bash scripts/build-image.sh

dlq: build ## List the local router's dead letters (DATABASE_URL or the embedded dev database)
	node dist/scripts/dlq.js list

dlq-kafka: build ## List the dead-letter topic's events (KAFKA_BROKERS, DLQ_TOPIC; on a cluster see docs/operations.md)
	node dist/scripts/dlq.js kafka-list

dlq-replay: build ## Replay dead letters: all, or IDS=1,2
	node dist/scripts/dlq.js replay "$(IDS)"

bench: build services-up ## Run the benchmarks in scripts/bench and print their figures
	$(SERVICES_ENV) && node dist/scripts/bench/http-host.js && node dist/scripts/bench/event-path.js \
	  && node dist/scripts/bench/search.js && node dist/scripts/bench/catalog.js \
	  && node dist/scripts/bench/inventory.js && node dist/scripts/bench/auth.js && node dist/scripts/bench/pricing.js \
	  && node dist/scripts/bench/pricing-http.js && node dist/scripts/bench/cart.js && node dist/scripts/bench/delivery.js \
	  && node dist/scripts/bench/payment.js && node dist/scripts/bench/checkout.js && node dist/scripts/bench/notification.js && node dist/scripts/bench/storefront.js

clean: ## Remove build output (keeps dev data in .dev/)
	rm -rf dist
