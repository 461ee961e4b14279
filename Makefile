# shiftward: `make run` reviews local changes, `make test` runs every test.
GO       ?= go
BIN      := bin/shiftward
REPO     ?= .
BASE     ?=
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/shiftward/shiftward/app.Version=$(VERSION)
# Tests that need Redis read this; `make test` starts a local server when none answers.
SHIFTWARD_TEST_REDIS_URL ?= redis://127.0.0.1:6379
export SHIFTWARD_TEST_REDIS_URL

# The linter, pinned; `go run pkg@version` builds it apart from this module.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Helm, pinned, built from source into bin/ by `make helm`; the chart's tests
# (deploy/helm) run it, and skip when neither this nor a helm on PATH is there.
HELM_VERSION := v4.3.2
HELM         := $(CURDIR)/bin/helm
SHIFTWARD_TEST_HELM ?= $(HELM)
export SHIFTWARD_TEST_HELM

.PHONY: build run serve test bench redis vet lint clean rules helm manifests

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/shiftward

## run: review REPO's changes (default: this checkout) against BASE (default:
## merge-base with the default branch); no credentials or Redis needed.
run: build
	@./$(BIN) scan $(if $(BASE),--base $(BASE)) $(REPO); code=$$?; \
	  echo "(shiftward scan exit code: $$code; 1: findings at or above the failing severity, 2: not everything could be scanned, 3: both)"; \
	  if [ $$((code & 2)) -ne 0 ]; then exit $$code; fi

## serve: the webhook server with whatever SHIFTWARD_* configuration is set.
serve: build
	./$(BIN) serve

vet:
	$(GO) vet ./...

## lint: staticcheck's default checks, but ST1005 (error strings here may
## start with a file or product name: "Pipfile.lock: ...", "Terraform: ...").
lint:
	$(GO) run $(STATICCHECK) -checks 'inherit,-ST1005' ./...

test: redis vet lint helm
	$(GO) test -race -count=1 ./...

## helm: bin/helm at HELM_VERSION (go install; skipped when bin/helm was
## built from that version: `helm version` says only v4.3 when built so).
helm:
	@if ! $(GO) version -m $(HELM) 2>/dev/null | grep -Eq '^[[:space:]]+mod[[:space:]]+helm.sh/helm/v4[[:space:]]+$(HELM_VERSION)[[:space:]]'; then \
	  echo "installing helm $(HELM_VERSION) into bin/ (built from source: several minutes the first time)"; \
	  GOBIN=$(CURDIR)/bin $(GO) install helm.sh/helm/v4/cmd/helm@$(HELM_VERSION); \
	fi

## manifests: deploy/kubernetes/shiftward.yaml, the chart rendered with its
## default values under the header in deploy/helm/manifests-header.txt.
manifests: helm
	@{ cat deploy/helm/manifests-header.txt && $(HELM) template shiftward deploy/helm/shiftward; } > deploy/kubernetes/shiftward.yaml.tmp \
	  || { rm -f deploy/kubernetes/shiftward.yaml.tmp; exit 1; }
	@mv deploy/kubernetes/shiftward.yaml.tmp deploy/kubernetes/shiftward.yaml
	@echo "wrote deploy/kubernetes/shiftward.yaml"

## rules: regenerate the rule catalogue (scanners/RULES.md) from what the
## scanners list; a test fails when it is stale.
rules:
	$(GO) run ./cmd/shiftward rules --format markdown > scanners/RULES.md

## redis: make sure a Redis answers at SHIFTWARD_TEST_REDIS_URL (installing
## and starting a throwaway local redis-server when none does).
redis:
	@sh deploy/ensure-redis.sh "$(SHIFTWARD_TEST_REDIS_URL)"

## bench: every speed and memory figure, each beside its goal or reference.
bench: redis
	@echo "== in-process scan of a typical PR, and webhook -> check run completed (fake GitHub, Redis)"
	$(GO) test -run '^$$' -bench . -benchtime 50x ./app/
	@echo "== webhook acknowledge latency"
	$(GO) run ./cmd/shiftward-bench webhook -rate 500 -duration 6s
	@echo "== dependency scan of a PR touching a 2,000-entry package-lock.json, OSV round trips counted (fake OSV)"
	$(GO) test -run '^$$' -bench 'PackageLock2000' -benchmem -benchtime 20x ./app/osv/
	@echo "== IaC scan of a change touching 200 manifests (Dockerfile, Kubernetes, Terraform)"
	$(GO) test -run '^$$' -bench 'ScanChange200' -benchmem -benchtime 20x ./scanners/iac/
	@echo "== pipeline scan of a change touching 200 workflow / CI files"
	$(GO) test -run '^$$' -bench 'Change200Files' -benchmem -benchtime 20x ./scanners/pipelines/
	@echo "== code scan throughput (lines/s) and memory"
	$(GO) test -run '^$$' -bench 'ScanGo|ScanPython|ScanJava|ScanTypeScript' -benchmem -benchtime 3x ./scanners/code/
	@echo "== secret scan throughput vs gitleaks 8.30.1, git mode (shiftward scan --base vs gitleaks git --log-opts base..head)"
	$(GO) run ./cmd/shiftward-bench secrets
	@echo "== webhook server memory under a flood of unauthenticated 24 MiB posts (goal: peak RSS < 256 MiB)"
	$(GO) run ./cmd/shiftward-bench flood -attackers 32 -duration 6s
	@echo "== hostile files: each scanned or reported not scanned (goal: < 10 s and < 512 MiB each)"
	$(GO) run ./cmd/shiftward-bench hostile

clean:
	rm -rf bin .bench

## image: the container image (deploy/Dockerfile), tagged $(IMAGE):$(VERSION)
## and $(IMAGE):latest, built with the first of docker, podman, nerdctl and
## buildah found (ENGINE=podman to choose). The Dockerfile's cache mount
## needs BuildKit (docker's buildx), which DOCKER_BUILDKIT asks for.
IMAGE  ?= shiftward
ENGINE ?= $(firstword $(foreach e,docker podman nerdctl buildah,$(if $(shell command -v $(e) 2>/dev/null),$(e))))
.PHONY: image compose
image:
	@if [ -z "$(ENGINE)" ]; then echo "make image: no container engine found: install docker, podman, nerdctl or buildah (or set ENGINE=...)" >&2; exit 1; fi
	DOCKER_BUILDKIT=1 $(ENGINE) build -f deploy/Dockerfile --build-arg VERSION=$(VERSION) -t $(IMAGE):$(VERSION) -t $(IMAGE):latest .

## compose: build the image and start serve, worker and Redis
## (deploy/compose.yaml) with docker compose, else podman compose.
COMPOSE ?= $(if $(shell command -v docker 2>/dev/null),docker compose,$(if $(shell command -v podman 2>/dev/null),podman compose))
compose:
	@if [ ! -f deploy/shiftward.env ]; then echo "make compose: deploy/shiftward.env is missing: cp deploy/shiftward.env.example deploy/shiftward.env, then fill it in (README, Install with compose)" >&2; exit 1; fi
	@if [ ! -f deploy/github-app.json ]; then echo "make compose: deploy/github-app.json is missing: write it with shiftward setup github --url https://<your host> --out deploy/github-app.json, then sudo chown 65532:65532 deploy/github-app.json (GitLab only: touch deploy/github-app.json)" >&2; exit 1; fi
	@if [ -z "$(COMPOSE)" ]; then echo "make compose: neither docker nor podman is installed (or set COMPOSE=...)" >&2; exit 1; fi
	SHIFTWARD_VERSION=$(VERSION) $(COMPOSE) -f deploy/compose.yaml up -d --build
