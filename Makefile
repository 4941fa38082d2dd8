# Skirmish: `make run` plays, `make test` checks everything. Both work on a fresh
# Debian machine with Go; `make test` installs the Debian packages its browser and
# Xvfb tests need when it runs as root.

GO        ?= go
WEB       ?= build/web
FUZZTIME  ?= 3s
# Packages that hold Fuzz targets (found by their test files); each target
# runs for FUZZTIME.
FUZZPKGS  ?= $(sort $(dir $(shell grep -rl --include='*_test.go' '^func Fuzz' .)))

.PHONY: run web test deps vet unit fuzz bench clean

run: web
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
