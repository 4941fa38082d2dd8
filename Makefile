# Skirmish: `make run` plays, `make test` checks everything. Both work on a fresh
# Debian machine with Go; `make test` installs the Debian packages its browser and
# Xvfb tests need when it runs as root.

GO        ?= go
WEB       ?= build/web
# A count, not a duration: go1.26's fuzz coordinator can fail a target with
# a bare "context deadline exceeded" when a -fuzztime duration runs out while
# a worker is mid-call (golang/go#75804, fixed in go1.27). 30000 runs take one
# to a few seconds per target here.
FUZZTIME  ?= 30000x
# Packages that hold Fuzz targets (found by their test files); each target
# runs for FUZZTIME.
FUZZPKGS  ?= $(sort $(dir $(shell grep -rl --include='*_test.go' '^func Fuzz' .)))

.PHONY: run web test deps vet unit fuzz bench clean

# The server logs its listen address (":8080"), which is not a URL to click;
# say which one to open before it starts (on another -addr, use that port).
run: web
	@echo "skirmish: open http://127.0.0.1:8080/ in a browser"
	$(GO) run ./server -web $(WEB)

web:
	bash scripts/build-web.sh $(WEB)

deps:
	bash scripts/install-test-deps.sh

vet:
	test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo 'gofmt: files above need formatting'; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./client/... ./netcode/... ./game/... ./assets/...

unit:
	$(GO) test -race -count=1 ./...

fuzz:
	@for pkg in $(FUZZPKGS); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

test: deps vet web unit fuzz

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./game/ ./netcode/ ./server/engine/

clean:
	rm -rf build bench/out
