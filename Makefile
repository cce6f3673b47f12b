# Two commands on a fresh machine with Python 3.11 and make: `make crawl`, `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUTPUT_DIR ?= output

.PHONY: crawl test lint typecheck golden samples bench bench-quick clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# the run is indexed (OUTPUT_DIR/index.sqlite, the default of scrapy search and scrapy browse).
# What a newcomer needs: the progress line, the summary, where the feeds are (WARNING and
# above of the log); `make crawl ARGS="-s LOG_LEVEL=INFO"` brings the full log back.
crawl: $(STAMP)
	$(BIN)/scrapy crawl issues -s OUTPUT_DIR=$(OUTPUT_DIR) -s AGGREGATOR_INDEX=sqlite:///$(OUTPUT_DIR)/index.sqlite -s LOG_LEVEL=WARNING $(ARGS)
	@$(BIN)/python -m aggregator.feeds.counts $(OUTPUT_DIR)
	@echo "Browse it: $(BIN)/scrapy browse -s OUTPUT_DIR=$(OUTPUT_DIR)   (then open http://127.0.0.1:8001/)"

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict aggregator sitegen tests benchmarks deploy/scrapyd_deploy.py

# Print what the page classes extract from samples/ and what the dump shapes give, against
# tests/expected/; `make golden WRITE=1` rewrites them (review the diff).
golden: $(STAMP)
	$(BIN)/python -m tests.support.golden $(if $(WRITE),--write,)

# Regenerate the offline mirror samples/ (pages and MANIFEST.json) from sitegen/.
samples: $(STAMP)
	$(BIN)/python -m sitegen samples

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks.run

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick

clean:
	rm -rf $(VENV) output .pytest_cache .mypy_cache .ruff_cache
