# The two commands of the README:
#   make demo   install what is missing, build, generate the default shop, ingest it, write the reports
#   make test   install what is missing, run every test
# Other targets: setup, build, bench, clean.

SWIFT ?= swift
DATA ?= data
CUSTOMERS ?= 10000
SEED ?= 42
FORECAST = .build/release/forecast
SYSTEM_PACKAGES = liblapack-dev libopenblas-dev

.PHONY: demo test setup build bench clean

# Debian packages for BLAS/LAPACK; installed only when missing (sudo when not root).
setup:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build -c release --product forecast

# The main job on the built-in data. Fixed seed and --as-of date: the outputs are reproducible.
demo: build
	$(FORECAST) generate --out $(DATA)/shop --customers $(CUSTOMERS) --seed $(SEED)
	$(FORECAST) ingest --data $(DATA)/shop --layout shop --as-of 2019-12-31 --out $(DATA)/ingested
	$(FORECAST) ingest --data $(DATA)/shop/transactions.csv --layout transactions --as-of 2019-12-31 --out $(DATA)/ingested-flat
	mkdir -p reports
	cp $(DATA)/ingested/quality.md reports/data-quality.md
	cp $(DATA)/ingested/quality.json reports/data-quality.json
	$(FORECAST) backtest --data $(DATA)/shop/transactions.csv --layout transactions --as-of 2019-12-31 \
	    --cutoffs 2019-07-01..2019-12-01 --no-timings --out reports/backtest-default.md
	@echo "demo done: data in $(DATA)/; reports/data-quality.md and reports/backtest-default.md"

# Release build (the model fits are numerical loops that a debug build runs 20x slower),
# with -enable-testing for @testable imports, in its own folder so it does not rebuild the
# demo's binary.
test: setup
	$(SWIFT) test -c release -Xswiftc -enable-testing --scratch-path .build-test

# Ingestion throughput and memory on a generated log of about 10.5 million rows.
bench: build
	$(FORECAST) bench --work $(DATA)/bench --json reports/bench-ingest.json

clean:
	rm -rf .build .build-test $(DATA)
