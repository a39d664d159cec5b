# storyline: every target installs what it needs; nothing is assumed on the machine but
# python3 (>= 3.11) and, for the browser tests, apt-get (Debian's chromium).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db

.PHONY: install install-spark install-s3 demo test test-fast lint bench bench-spark train-ner browser eval clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# pyspark (the optional extra storyline[spark]) and, when no Java 17+ is there, Debian's
# default Java runtime (pyspark 4 needs 17 or newer)
install-spark: $(VENV)/.spark-stamp

$(VENV)/.spark-stamp: pyproject.toml $(STAMP)
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1); \
	if [ -z "$$v" ] || [ "$$v" -lt 17 ]; then \
	  echo "installing Debian's Java runtime for Spark (found: $${v:-none})"; \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    default-jre-headless) >/tmp/storyline-apt-java.log 2>&1 || { \
	    tail -20 /tmp/storyline-apt-java.log; exit 1; }; fi
	$(BIN)/python -m pip install -q -e '.[dev,spark]'
	@touch $@

# s3a:// paths for backfill: Hadoop's S3A connector (hadoop-aws 3.3.1) and the AWS SDK bundle it
# was built against, which pyspark does not ship. Maven is not reachable from our machines, so
# they come from PyPI's sagemaker-pyspark 1.4.5 sdist (Apache-2.0; ~180 MB), of which only these
# two jars are kept, checked by hash; plus moto's S3 server for the test (the s3 extra)
S3A := $(VENV)/share/storyline/s3a
S3A_SRC := sagemaker_pyspark-1.4.5/deps/jars
install-s3: $(VENV)/.s3-stamp

$(VENV)/.s3-stamp: $(VENV)/.spark-stamp
	$(BIN)/python -m pip install -q -e '.[dev,spark,s3]'
	@rm -rf $(VENV)/s3a-download && mkdir -p $(VENV)/s3a-download $(S3A)
	$(BIN)/python -m pip download -q --no-deps sagemaker-pyspark==1.4.5 -d $(VENV)/s3a-download
	tar xzf $(VENV)/s3a-download/sagemaker_pyspark-1.4.5.tar.gz -C $(S3A) --strip-components=3 \
	  $(S3A_SRC)/hadoop-aws-3.3.1.jar $(S3A_SRC)/aws-java-sdk-bundle-1.11.901.jar
	cd $(S3A) && printf '%s  %s\n' \
	  6be50ad8a8b445d2802381b085b2a3ede5c29d353450a6a21f16b2fefa962b6e hadoop-aws-3.3.1.jar \
	  b87175b32a16544cc1b37cf40390eb375833e62bed67f8ce6cde4b7ad6429ead aws-java-sdk-bundle-1.11.901.jar \
	  | sha256sum -c --quiet
	@rm -rf $(VENV)/s3a-download
	@touch $@

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) \
	    >/tmp/storyline-apt.log 2>&1 || { tail -20 /tmp/storyline-apt.log; exit 1; }; }
	@test -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf || { \
	  echo "installing an emoji font for the browser tests (Arabic: DejaVu, with chromium)"; \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    fonts-noto-color-emoji) >/tmp/storyline-apt.log 2>&1 || { \
	    tail -20 /tmp/storyline-apt.log; exit 1; }; }

demo: install
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline --db $(DEMO_DB) ingest demo/corpus
	$(BIN)/storyline --db $(DEMO_DB) stats
	$(BIN)/storyline --db $(DEMO_DB) stories
	@echo "\nNext: $(BIN)/storyline --db $(DEMO_DB) show STORY_ID   or   $(BIN)/storyline --db $(DEMO_DB) serve"

test: install browser
	@$(MAKE) --no-print-directory install-spark || echo "Spark extra or Java not installable: the Spark tests will skip"
	@$(MAKE) --no-print-directory install-s3 || echo "S3 connector not installable: the s3a test will skip"
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=15

test-fast: install
	$(BIN)/python -m pytest -q -m "not browser and not slow"

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

# a longer, seeded Hypothesis campaign over every reader and analyze() (CI runs the same
# properties with 25 examples each); FUZZ_EXAMPLES per property, FUZZ_SEED to vary
FUZZ_EXAMPLES ?= 2000
FUZZ_SEED ?= 17
fuzz: install
	STORYLINE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
	  tests/reliability/test_fuzz.py --hypothesis-seed=$(FUZZ_SEED) --hypothesis-show-statistics

bench: install
	$(BIN)/python -m storyline.bench

bench-spark: install-spark
	$(BIN)/python -m storyline.bench spark

eval: install
	$(BIN)/storyline eval all

train-ner: install
	$(BIN)/python -m pip install -q -e '.[train]'
	$(BIN)/python scripts/train_clusters.py
	$(BIN)/python scripts/train_ner.py --lang de --sets smartdata --streets --sources news,rss \
	  --fill-misc --augment 2 --iterations 200
	$(BIN)/python scripts/train_ner.py --lang en --no-gazetteer --augment 0 --iterations 60

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
