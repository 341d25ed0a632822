# vendorcompare: `make run` starts the app, `make test` runs every test.
GO       ?= go
BIN      ?= bin
ARGS     ?=
FUZZTIME ?= 10s
BENCH    ?= .

# ASSETS are the prerequisites that put the front-end files in place before
# the app is built, run or tested. The UI adds its npm `vendor` step here
# (ASSETS += vendor), and every target below picks it up.
ASSETS := vendor

.PHONY: run test build bench fuzz vet clean vendor load load-quick scale

## vendor: install the npm packages (package-lock.json) when node_modules is
## missing or older than the lock, then copy the chart library and its
## licence into static/vendor/, which the binary embeds
vendor: node_modules/.package-lock.json
	npm run --silent vendor

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## run: build and start the web app on 127.0.0.1:8080 (pass flags with ARGS="-addr :9090")
run: $(ASSETS)
	$(GO) run ./cmd/vendorcompare serve $(ARGS)

## test: vet and run every test
test: $(ASSETS)
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

## build: a static binary in ./bin
build: $(ASSETS)
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/ ./cmd/vendorcompare

## bench: every benchmark, with allocations (BENCH=regexp to choose)
bench: $(ASSETS)
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem ./...

## fuzz: each fuzz target for FUZZTIME (default 10s)
fuzz: $(ASSETS)
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
