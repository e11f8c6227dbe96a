# llmscope: `make demo` builds and runs on the bundled examples, `make test` runs the tests.
# Both install the Debian packages llmscope links against when they are missing.

SWIFT ?= swift
# libcurl4: the HTTP client under Foundation's URLSession (ClickHouse stores).
DEBIAN_PACKAGES = libsqlite3-dev libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev libcurl4
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO = .build/demo

.PHONY: deps test-deps build demo test bench clean

# Installs the Debian packages named in $(1) that are missing.
install = @missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

deps:
	$(call install,$(DEBIAN_PACKAGES))

# Tests also open the pages in a real browser, and run the ClickHouse store against the real
# ClickHouse engine (PyPI's chdb, in a virtualenv under .build) behind Tests/ClickHouse/chdb_http.py.
CHDB_VENV = .build/chdb
test-deps: deps
	$(call install,chromium python3 python3-venv)
	@$(CHDB_VENV)/bin/python -c "import chdb" 2>/dev/null || { \
	  echo "installing chdb into $(CHDB_VENV)"; \
	  /usr/bin/python3 -m venv $(CHDB_VENV) && $(CHDB_VENV)/bin/pip install -q chdb==4.4.0; }

build: deps
	$(SWIFT) build -c release --product llmscope

demo: build
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	.build/release/llmscope ingest --store $(DEMO)/llmscope.db Examples/data
	.build/release/llmscope summary --store $(DEMO)/llmscope.db
	.build/release/llmscope build --store $(DEMO)/llmscope.db --out $(DEMO)/site \
	  --templates Examples/templates --now 2026-12-03T00:00:00Z --title "llmscope demo"
	@echo "open: file://$(CURDIR)/$(DEMO)/site/index.html"

# The tests are built optimized (-O, still testable): a longer build, a suite four times faster.
test: test-deps
	$(SWIFT) build --build-tests -Xswiftc -O
	$(SWIFT) test --skip-build

bench: deps
	$(call install,hugo)
	$(SWIFT) build -c release --product llmscope
	$(SWIFT) build -c release --product llmscope-bench
	.build/release/llmscope-bench $(BENCH_ARGS)

clean:
	rm -rf .build
