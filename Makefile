# The two commands of the README:
#   make demo   install what is missing, build, generate the default shop, ingest it, write the reports
#   make test   install what is missing, run every test
# Other targets: setup, build, postgres-demo (the daily pipeline into a throwaway PostgreSQL cluster), model (rebuild the committed default model), accuracy (every model and the Python
# reference models on CDNOW and each generator profile, in one run: data/accuracy/accuracy.md), reports (rebuild the charts and the
# notebook), warehouse (the daily pipeline on the default data and its charts), attribution (the attribution
# pipeline and the engines compared), bench, bench-compare (ours against polars and LightGBM, one run), parquet-bench (10 M rows against DuckDB), warehouse-compare (load + marts against DuckDB), warehouse-daily (a day's load and incremental marts), scale, warehouse-bench, attribution-bench, serve-bench (forecast serve
# under wrk), reader-check (the Python model reader against forecast predict), docs (the ForecastKit DocC
# archive), spark-check (the printed SQL run in Spark local, against the toolkit; part of test), sql-scale (features and
# scores inside PostgreSQL and Spark at 1M customers beside forecast features/predict), clean.

SWIFT ?= swift
DATA ?= data
CUSTOMERS ?= 10000
SEED ?= 42
FORECAST = .build/release/forecast
SYSTEM_PACKAGES = liblapack-dev libopenblas-dev libsqlite3-dev zlib1g-dev python3 python3-venv postgresql openjdk-17-jre-headless

.PHONY: demo test readers postgres-demo postgres-bench setup build model blas-check accuracy reports warehouse attribution bench bench-compare parquet-bench warehouse-compare warehouse-daily scale warehouse-bench attribution-bench serve-bench reader-check docs clean

# The committed default model: a Poisson GLM trained on the default data as of 2019-11-30.
# SOURCE_DATE_EPOCH fixes the recorded creation time; the GLM's fit sums in a fixed order of its
# own (not the BLAS kernel's), so rebuilding gives the same bytes on any x86-64 CPU (make blas-check).
MODEL_EPOCH = 1575158400
TRAIN_DEFAULT = SOURCE_DATE_EPOCH=$(MODEL_EPOCH) OPENBLAS_NUM_THREADS=1 $(FORECAST) train \
	--data $(DATA)/shop/transactions.csv --layout transactions --as-of 2019-11-30 \
	--model glm --name default --version 1 --overwrite --store models

# The exported notebook and, from the same analyses, the charts (reports/*.svg, reports/index.html,
# the same files `forecast report --out reports` writes), from the default data. One BLAS thread
# fixes the summation order, so the committed files rebuild byte for byte.
REPORTS_DEFAULT = OPENBLAS_NUM_THREADS=1 $(FORECAST) notebook --data $(DATA)/shop/transactions.csv --layout transactions \
	--as-of 2019-12-31 --out Notebooks-export --charts reports

# The daily pipeline on the default data (warehouse in $(DATA)/warehouse.sqlite, exports with the marketing
# audience in $(DATA)/exports/2019-12-31/), then the warehouse charts and the checks' report, which are committed.
WAREHOUSE_DEFAULT = $(FORECAST) pipeline run --date 2019-12-31 --source $(DATA)/shop --db $(DATA)/warehouse.sqlite \
	--out $(DATA)/exports --include-pii --quiet && \
	$(FORECAST) warehouse charts --db $(DATA)/warehouse.sqlite --out reports/warehouse && \
	$(FORECAST) warehouse check --db $(DATA)/warehouse.sqlite > reports/warehouse/checks.txt

# The attribution pipeline on a generated attribution database ($(DATA)/attribution.sqlite, $(CUSTOMERS) users):
# all four steps with our phase model, the comparison of every in-process engine and the checks, all committed.
ATTRIBUTION_DEFAULT = $(FORECAST) attribution generate --db $(DATA)/attribution.sqlite --users $(CUSTOMERS) --seed $(SEED) \
	--overwrite --quiet && \
	$(FORECAST) attribution run --db $(DATA)/attribution.sqlite --engine phase --out reports/attribution/channel_reporting.csv --quiet && \
	$(FORECAST) attribution compare --db $(DATA)/attribution.sqlite --out reports/attribution --no-timings && \
	$(FORECAST) attribution check --db $(DATA)/attribution.sqlite > reports/attribution/checks.txt

# Debian packages for BLAS/LAPACK and SQLite; installed only when missing (sudo when not root).
setup:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build -c release --product forecast

# Accuracy on every data set, ours beside the Python references in the same run (bench/accuracy.sh; about an hour
# on 2 cores, most of it CDNOW): data/accuracy/accuracy.md, copied to reports/accuracy.md and summarised in the README.
accuracy: build
	FORECAST=$(FORECAST) OUT=$(DATA)/accuracy bash bench/accuracy.sh
	cp $(DATA)/accuracy/accuracy.md reports/accuracy.md

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
	$(TRAIN_DEFAULT)
	$(FORECAST) evaluate --model default --store models --data $(DATA)/shop/transactions.csv --layout transactions \
	    --as-of 2019-12-31 > reports/evaluate-default.md
	$(FORECAST) predict --model default --store models --data $(DATA)/shop/transactions.csv --layout transactions \
	    --as-of 2019-12-31 --out $(DATA)/predictions-2020-01.csv
	$(REPORTS_DEFAULT)
	$(WAREHOUSE_DEFAULT)
	mkdir -p reports/attribution
	$(ATTRIBUTION_DEFAULT)
	@echo "demo done: data in $(DATA)/; reports/index.html (charts), reports/data-quality.md, reports/backtest-default.md,"
	@echo "  reports/evaluate-default.md; Notebooks-export/customer-dynamics.html and .md; model models/default/1/model.json;"
	@echo "  January 2020 forecasts in $(DATA)/predictions-2020-01.csv; warehouse $(DATA)/warehouse.sqlite, its exports in"
	@echo "  $(DATA)/exports/2019-12-31/ and its charts in reports/warehouse/; attribution database $(DATA)/attribution.sqlite,"
	@echo "  its channel reporting and the engines compared in reports/attribution/"

# Rebuilds models/default from the default data (generated when missing).
model: build
	@test -f $(DATA)/shop/transactions.csv || $(FORECAST) generate --out $(DATA)/shop --customers $(CUSTOMERS) --seed $(SEED)
	$(TRAIN_DEFAULT)

# The default model trained under each of OpenBLAS's x86-64 kernel families (as different CPUs would pick them)
# and on two threads: every model file must be the committed bytes. Not in CI: the test environment may pin
# OPENBLAS_CORETYPE for the machine's own sake.
BLAS_KERNELS = Prescott Nehalem Sandybridge Haswell Zen
blas-check: build
	@test -f $(DATA)/shop/transactions.csv || $(FORECAST) generate --out $(DATA)/shop --customers $(CUSTOMERS) --seed $(SEED)
	@for k in $(BLAS_KERNELS); do \
	  SOURCE_DATE_EPOCH=$(MODEL_EPOCH) OPENBLAS_CORETYPE=$$k OPENBLAS_NUM_THREADS=2 $(FORECAST) train \
	    --data $(DATA)/shop/transactions.csv --layout transactions --as-of 2019-11-30 --model glm --name default \
	    --version 1 --overwrite --store $(DATA)/blas-check/$$k >/dev/null 2>&1 || exit 1; \
	  if cmp -s $(DATA)/blas-check/$$k/default/1/model.json models/default/1/model.json; then echo "$$k: same bytes"; \
	  else echo "$$k: differs from models/default/1/model.json"; exit 1; fi; \
	done

# Rebuilds the committed charts and notebook from the default data (generated when missing).
reports: build
	@test -f $(DATA)/shop/transactions.csv || $(FORECAST) generate --out $(DATA)/shop --customers $(CUSTOMERS) --seed $(SEED)
	$(REPORTS_DEFAULT)

# Rebuilds the warehouse, its exports and the committed warehouse charts from the default data.
warehouse: build
	@test -f $(DATA)/shop/orders.csv || $(FORECAST) generate --out $(DATA)/shop --customers $(CUSTOMERS) --seed $(SEED)
	$(WAREHOUSE_DEFAULT)

# Rebuilds the attribution database and the committed attribution reports.
attribution: build
	mkdir -p reports/attribution
	$(ATTRIBUTION_DEFAULT)

# Release build (the model fits are numerical loops that a debug build runs 20x slower),
# with -enable-testing for @testable imports, in its own folder so it does not rebuild the
# demo's binary.
# The Python readers the Parquet tests read files back with (pyarrow, polars, DuckDB), in .venv-readers.
readers:
	@test -x .venv-readers/bin/python || { python3 -m venv .venv-readers && .venv-readers/bin/pip install -q pyarrow polars duckdb; }

# The tests run with a throwaway PostgreSQL cluster (deploy/postgres-cluster.sh: initdb in a temporary folder, 127.0.0.1
# on a free port, stopped and deleted afterwards even when a test fails); FORECAST_REQUIRE_POSTGRES=1 makes a missing
# server a failure rather than skipped tests.
# Then spark-check with the test build's binary (about 2 minutes, Spark's start and pyspark's install included).
test: setup readers
	FORECAST_REQUIRE_POSTGRES=1 bash deploy/postgres-cluster.sh run -- \
	    $(SWIFT) test -c release -Xswiftc -enable-testing --scratch-path .build-test
	$(MAKE) spark-check FORECAST=.build-test/release/forecast

# pyspark (it ships Spark; Debian's Java 17 runs it) in .venv-spark.
spark-venv:
	@test -x .venv-spark/bin/python || { python3 -m venv .venv-spark && .venv-spark/bin/pip install -q pyspark; }

# The SQL of `forecast sql` run in Spark local mode (bench/spark_sql.py) on a generated shop of 2,000 customers, held to
# the toolkit: features, glm and gbm scores (over given and Spark-computed features), the training panel (and
# `train --panel` on Spark's CSV output), and the marts over the star schema of a SQLite warehouse. Exits 1 on any
# difference beyond 1e-9.
SPARK_CHECK = $(DATA)/spark-check
spark-check: setup spark-venv
	@test -x $(FORECAST) || $(MAKE) build
	rm -rf $(SPARK_CHECK) && mkdir -p $(SPARK_CHECK)/work
	$(FORECAST) generate --out $(SPARK_CHECK) --customers 2000 --products 40 --clean -q
	for m in glm gbm; do $(FORECAST) train --data $(SPARK_CHECK)/transactions.csv --layout transactions --as-of 2019-06-30 \
	    --model $$m --name $$m --store $(SPARK_CHECK)/models > /dev/null 2>&1 || exit 1; done
	$(FORECAST) warehouse load --source $(SPARK_CHECK) --db $(SPARK_CHECK)/work/w.sqlite > /dev/null
	$(FORECAST) warehouse marts --db $(SPARK_CHECK)/work/w.sqlite > /dev/null
	.venv-spark/bin/python bench/spark_sql.py --forecast $(FORECAST) --shop $(SPARK_CHECK) --store $(SPARK_CHECK)/models \
	    --cutoff 2019-07-01 --work $(SPARK_CHECK)/work --panel-origins 2019-05-01..2019-06-01 --warehouse $(SPARK_CHECK)/work/w.sqlite \
	    2> $(SPARK_CHECK)/spark.log || { tail -40 $(SPARK_CHECK)/spark.log; exit 1; }

# Features and scoring inside PostgreSQL and Spark local for SQL_CUSTOMERS generated customers, beside forecast features
# and forecast predict, each compared with the toolkit's results: reports/sql-scale-*-$(SQL_CUSTOMERS).md.
SQL_CUSTOMERS ?= 1000000
SQL_SCALE = $(DATA)/sql-scale-$(SQL_CUSTOMERS)
sql-scale: build spark-venv
	@test -f $(SQL_SCALE)/transactions.csv || $(FORECAST) generate --out $(SQL_SCALE) --customers $(SQL_CUSTOMERS) --clean -q
	for m in glm gbm; do test -f $(SQL_SCALE)/models/$$m/1/model.json || $(FORECAST) train --data $(SQL_SCALE)/transactions.csv \
	    --layout transactions --as-of 2019-11-30 --origins 6 --model $$m --name $$m --store $(SQL_SCALE)/models || exit 1; done
	.venv-spark/bin/python bench/spark_sql.py --bench --forecast $(FORECAST) --shop $(SQL_SCALE) --store $(SQL_SCALE)/models \
	    --cutoff 2019-12-01 --work $(SQL_SCALE)/spark --driver-memory 12g --report reports/sql-scale-spark-$(SQL_CUSTOMERS).md \
	    2> $(SQL_SCALE)/spark.log
	bash deploy/postgres-cluster.sh run -- python3 bench/postgres_sql.py --forecast $(FORECAST) --shop $(SQL_SCALE) \
	    --store $(SQL_SCALE)/models --cutoff 2019-12-01 --work $(SQL_SCALE)/postgres --report reports/sql-scale-postgres-$(SQL_CUSTOMERS).md

# The daily pipeline into PostgreSQL: a throwaway cluster started as for the tests, a database `shop` with the roles of
# `warehouse roles`, the pipeline on the default data ($(DATA)/shop), its checks; exports in $(DATA)/exports-postgres/.
# The cluster is stopped and deleted at the end.
postgres-demo: build
	@test -f $(DATA)/shop/orders.csv || $(FORECAST) generate --out $(DATA)/shop --customers $(CUSTOMERS) --seed $(SEED)
	bash deploy/postgres-cluster.sh run -- bash -c 'set -e; export PGPASSWORD="$$FORECAST_TEST_POSTGRES_PASSWORD"; \
	  db="$${FORECAST_TEST_POSTGRES_URL%/*}/shop"; psql -X -q "$$FORECAST_TEST_POSTGRES_URL" -c "CREATE DATABASE shop"; \
	  $(FORECAST) warehouse roles --db "$$db"; \
	  $(FORECAST) pipeline run --date 2019-12-31 --source $(DATA)/shop --db "$$db" --out $(DATA)/exports-postgres --include-pii --quiet; \
	  $(FORECAST) warehouse check --db "$$db" | tail -1'

# Ingestion throughput and memory on a generated log of about 10.5 million rows.
bench: build
	$(FORECAST) bench --work $(DATA)/bench --json reports/bench-ingest.json

# The scale benchmark: ingest + features + GLM and GBM (100 trees x 31 leaves) on a generated
# log of 1,000,000 customers, each `forecast train` in its own process under /usr/bin/time.
scale: build
	@test -f $(DATA)/scale/transactions.csv || $(FORECAST) generate --out $(DATA)/scale --customers 1000000 --seed 7 --clean -q
	for m in glm gbm; do \
	  /usr/bin/time -f "$$m: %e s wall, %M KB peak" $(FORECAST) train --data $(DATA)/scale/transactions.csv \
	    --layout transactions --as-of 2019-11-30 --origins 1 --model $$m --trees 100 --leaves 31 --learning-rate 0.1 \
	    --no-early-stopping --name scale-$$m --store $(DATA)/scale/models --overwrite --version 1; \
	done

# The core path against the Python stack in one run (bench/compare.py): parsing against polars, the booster against
# LightGBM on the same rows and settings, the whole `forecast train --model gbm` against polars features + LightGBM, and
# the features alone; 3 interleaved repeats on the 1,000,000-customer log of `make scale` (about 3 minutes). Needs
# ../shared/anchors (ANCHORS=...) and its requirements in .venv-anchors (created when missing).
ANCHORS ?= ../shared/anchors
bench-compare: build
	@test -f $(DATA)/scale/transactions.csv || $(FORECAST) generate --out $(DATA)/scale --customers 1000000 --seed 7 --clean -q
	@test -x .venv-anchors/bin/python || { python3 -m venv .venv-anchors && .venv-anchors/bin/pip install -q -r $(ANCHORS)/requirements.txt; }
	.venv-anchors/bin/python bench/compare.py --data $(DATA)/scale/transactions.csv --forecast $(FORECAST) \
	    --anchors $(ANCHORS) --out $(DATA)/bench-compare
	cp $(DATA)/bench-compare/compare.md reports/bench-compare.md

# Parquet at 10 million rows (bench/parquet_bench.py): forecast ingest --log-format parquet against DuckDB's COPY ... TO
# ... (FORMAT parquet) of the same table, and our file read back by pyarrow, polars and DuckDB with cross-checks.
parquet-bench: build readers
	@test -f $(DATA)/bench/transactions.csv || $(FORECAST) bench --work $(DATA)/bench --steps read
	.venv-readers/bin/python bench/parquet_bench.py --csv $(DATA)/bench/transactions.csv --forecast $(FORECAST) --out $(DATA)/parquet-bench
	cp $(DATA)/parquet-bench/parquet-bench.md reports/parquet-bench.md

# The warehouse against DuckDB in one run (bench/warehouse_duckdb.py): load + marts of a generated shop (SHOP_CUSTOMERS,
# default 200,000; 1000000 for the issue's scale) beside DuckDB building the same tables from the same CSVs.
SHOP_CUSTOMERS ?= 200000
warehouse-compare: build readers
	@test -f $(DATA)/warehouse-$(SHOP_CUSTOMERS)/orders.csv || $(FORECAST) generate --out $(DATA)/warehouse-$(SHOP_CUSTOMERS) \
	    --customers $(SHOP_CUSTOMERS) --seed 3 --clean -q
	.venv-readers/bin/python bench/warehouse_duckdb.py --shop $(DATA)/warehouse-$(SHOP_CUSTOMERS) --forecast $(FORECAST) \
	    --out $(DATA)/warehouse-compare-$(SHOP_CUSTOMERS)
	cp $(DATA)/warehouse-compare-$(SHOP_CUSTOMERS)/warehouse-compare.md reports/warehouse-compare-$(SHOP_CUSTOMERS).md

# The daily run (bench/warehouse_daily.py): the same shop's history loaded and its marts built, then its last day
# (new orders and 50 late cancellations) loaded and the marts updated from the change log, beside the same day with
# `warehouse marts --full` on a copy; the two warehouses must be identical, row for row.
warehouse-daily: build
	@test -f $(DATA)/warehouse-$(SHOP_CUSTOMERS)/orders.csv || $(FORECAST) generate --out $(DATA)/warehouse-$(SHOP_CUSTOMERS) \
	    --customers $(SHOP_CUSTOMERS) --seed 3 --clean -q
	python3 bench/warehouse_daily.py --shop $(DATA)/warehouse-$(SHOP_CUSTOMERS) --forecast $(FORECAST) \
	    --out $(DATA)/warehouse-daily-$(SHOP_CUSTOMERS)
	cp $(DATA)/warehouse-daily-$(SHOP_CUSTOMERS)/warehouse-daily.md reports/warehouse-daily-$(SHOP_CUSTOMERS).md

# The warehouse in PostgreSQL (bench/warehouse_postgres.py): load + marts of a generated shop (SHOP_CUSTOMERS) into a
# throwaway cluster with durable settings, beside the SQLite warehouse and `psql \copy` of the same files (the floor).
postgres-bench: build
	@test -f $(DATA)/warehouse-$(SHOP_CUSTOMERS)/orders.csv || $(FORECAST) generate --out $(DATA)/warehouse-$(SHOP_CUSTOMERS) \
	    --customers $(SHOP_CUSTOMERS) --seed 3 --clean -q
	python3 bench/warehouse_postgres.py --shop $(DATA)/warehouse-$(SHOP_CUSTOMERS) --forecast $(FORECAST) \
	    --out $(DATA)/warehouse-postgres-$(SHOP_CUSTOMERS)
	cp $(DATA)/warehouse-postgres-$(SHOP_CUSTOMERS)/warehouse-postgres.md reports/warehouse-postgres-$(SHOP_CUSTOMERS).md

# The warehouse at scale: load 1,000,000 generated customers (6.6 million orders, 10 million lines) into a new
# database, build the marts, and time the monthly-by-category query from the roll-up and from the facts.
warehouse-bench: build
	@test -f $(DATA)/scale/orders.csv || $(FORECAST) generate --out $(DATA)/scale --customers 1000000 --seed 7 --clean -q
	rm -f $(DATA)/scale/warehouse.sqlite
	/usr/bin/time -f "load: %e s wall, %M KB peak" $(FORECAST) warehouse load --source $(DATA)/scale --db $(DATA)/scale/warehouse.sqlite \
	    --as-of 2019-12-31 --quiet
	ls -l $(DATA)/scale/warehouse.sqlite
	/usr/bin/time -f "marts: %e s wall, %M KB peak" $(FORECAST) warehouse marts --db $(DATA)/scale/warehouse.sqlite --quiet
	$(FORECAST) warehouse bench --db $(DATA)/scale/warehouse.sqlite

# Every in-process engine's attribute step (read journeys, engine, write) on about 1,000,000 journey sessions
# (340,000 generated users, 2.1 million sessions).
attribution-bench: build
	$(FORECAST) attribution generate --db $(DATA)/scale/attribution.sqlite --users 340000 --seed 7 --overwrite
	/usr/bin/time -f "journeys: %e s wall, %M KB peak" $(FORECAST) attribution journeys --db $(DATA)/scale/attribution.sqlite
	/usr/bin/time -f "bench: %e s wall, %M KB peak" $(FORECAST) attribution bench --db $(DATA)/scale/attribution.sqlite

# forecast serve on the default model and data under wrk (Debian's package, installed when missing): requests per
# second and p50/p99 latency for one customer and for batches of 1,000. Needs the default data (make demo).
serve-bench: build
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk curl; }
	DATA=$(DATA) FORECAST=$(FORECAST) bash Tests/serve-bench/run.sh

# The Python reference reader (docs/examples) against forecast predict, for the committed default model on the
# default data (make demo): every customer's expected count and P(0) within 1e-9, and the same interval.
reader-check: build
	$(FORECAST) features --data $(DATA)/shop/transactions.csv --layout transactions --cutoff 2020-01-01 --out $(DATA)/features-2020-01.csv
	$(FORECAST) predict --model default --store models --data $(DATA)/shop/transactions.csv --layout transactions \
	    --as-of 2019-12-31 --out $(DATA)/predictions-2020-01.csv
	python3 docs/examples/forecast_model_reader.py models/default/1/model.json $(DATA)/features-2020-01.csv \
	    --cutoff 2020-01-01 --compare $(DATA)/predictions-2020-01.csv

# The ForecastKit documentation (DocC catalog + symbol graph) in .build/ForecastKit.doccarchive, warnings as errors.
docs: build
	$(SWIFT) build -c release --product forecastkit-example
	bash docs/build-docc.sh

clean:
	rm -rf .build .build-test $(DATA)
