# Heder: `make dev` runs the app with demo data; `make test` runs every test.
GO ?= go

.PHONY: dev test setup setup-browser assets build migrate lint clean bench-rush bench-ranking bench-replicas bench-lighthouse

## dev: run Heder locally with a throw-away database, demo data and the development login
dev: setup assets
	$(GO) run ./cmd/heder dev

## test: all tests against a real PostgreSQL (browser tests where Chromium is installed)
# internal/app's browser journeys take 9 minutes on two quiet cores and took
# 28 on a loaded machine, far past go test's default limit of 10 minutes per
# package.
test: setup-browser assets
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 45m ./...

## bench-rush: the deadline-rush load test (500 submitters in 60 s; about 2–3 minutes); see bench/README.md
bench-rush: assets
	$(GO) run ./bench/rush $(RUSH_FLAGS)

## bench-ranking: the chair's ranking page under load (500 nominations, 16 connections; under a minute); see bench/README.md
bench-ranking: assets
	$(GO) run ./bench/ranking $(RANKING_FLAGS)

## bench-replicas: the public page and score saves against one and three `heder serve` replicas (under two minutes); see bench/README.md
bench-replicas: assets
	$(GO) run ./bench/replicas $(REPLICAS_FLAGS)

## bench-lighthouse: Lighthouse's four scores on the public pages, failing below 100 (95 for performance; about 8 minutes); see bench/README.md
bench-lighthouse: setup-browser assets
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/heder-lighthouse ./cmd/heder
	node bench/lighthouse.mjs bin/heder-lighthouse $(LIGHTHOUSE_FLAGS)

## setup: install PostgreSQL and Node.js from Debian's packages where they are missing
setup:
	./scripts/setup.sh

## setup-browser: as setup, and Chromium for the browser tests
setup-browser:
	./scripts/setup.sh --browser

## assets: copy Designsystemet, the Inter font and axe-core from npm into web/static/vendor
assets:
	./scripts/assets.sh

## build: the heder binary in bin/
build: assets
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/heder ./cmd/heder

clean:
	rm -rf bin web/static/vendor node_modules
