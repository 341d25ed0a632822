# vendorcompare: `make run` starts the app, `make test` runs every test.
# None of the targets needs Node: the chart library is committed in
# static/vendor/; `make vendor` (npm) is only for upgrading it.
GO       ?= go
BIN      ?= bin
ARGS     ?=
FUZZTIME ?= 10s
BENCH    ?= .

.PHONY: run test build bench fuzz vet clean vendor load load-quick scale

## vendor: upgrade only (needs Node and npm): install the npm packages of
## package-lock.json, copy the chart library and its licences into
## static/vendor/ and write its manifest.json; commit static/vendor/ after
vendor: node_modules/.package-lock.json
	npm run --silent vendor

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## run: build and start the web app on 127.0.0.1:8080 (pass flags with ARGS="-addr :9090")
run:
	$(GO) run ./cmd/vendorcompare serve $(ARGS)

## test: vet and run every test
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

## build: a static binary in ./bin
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/ ./cmd/vendorcompare

## bench: every benchmark, with allocations (BENCH=regexp to choose)
bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem ./...

## fuzz: each fuzz target for FUZZTIME (default 10s)
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		list=$$($(GO) test -list '^Fuzz' "$$pkg"); \
		for target in $$(printf '%s\n' "$$list" | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run='^$$' -fuzz="^$$target\$$" -fuzztime=$(FUZZTIME) "$$pkg"; \
		done; \
	done

## load: the load run on the real server (cmd/loadtest: 64 connections,
## 10 s per target); exits 1 when a target is missed (LOADARGS="-d 30s")
LOADARGS ?=
load: build
	$(GO) run ./cmd/loadtest -bin $(BIN)/vendorcompare $(LOADARGS)

## load-quick: the same in a few seconds (2 s per target, 8 connections),
## report only; CI runs it so that the script keeps working
load-quick: build
	$(GO) run ./cmd/loadtest -quick -bin $(BIN)/vendorcompare $(LOADARGS)

## scale: 10,000 evaluations and 100,000 quotes generated, every list page
## and API listing timed (median under 20 ms); exits 1 when one is missed
scale: build
	$(GO) run ./cmd/loadtest -scale -bin $(BIN)/vendorcompare $(LOADARGS)

vet:
	$(GO) vet ./...

clean:
	rm -rf $(BIN)
