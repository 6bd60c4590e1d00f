# jixiao — every target installs what it needs into .venv first.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
CORE    := $(VENV)/.stamp-core
ALL     := $(VENV)/.stamp-all
OUT     ?= out

.PHONY: demo test test-fast eval model bench notebooks report corpus lint clean docs

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# core install: no torch, no sentence-transformers (the default path never needs them)
$(CORE): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# everything, as CI tests it; torch CPU first so pip does not pull a CUDA build
$(ALL): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[all]'
	touch $@ $(CORE)

demo: $(CORE)
	$(BIN)/jixiao review examples/ --format text
	$(BIN)/jixiao review examples/ --format html -o $(OUT)/review.html
	$(BIN)/jixiao review examples/ --format xlsx -o $(OUT)/review.xlsx
	@echo "reports written to $(OUT)/review.html and $(OUT)/review.xlsx"

test: $(ALL)
	$(BIN)/python -m pytest -q

test-fast: $(ALL)
	$(BIN)/python -m pytest -q -m "not slow"

corpus: $(CORE)
	$(BIN)/jixiao corpus build

model: $(ALL)
	$(BIN)/python models/build_static.py

eval: $(ALL)
	$(BIN)/python -m jixiao.nlp.evaluate
	$(BIN)/python -m jixiao.nlp.gold
	$(BIN)/python -m jixiao.suggest.evaluate

bench: $(ALL)
	$(BIN)/python bench/run.py

notebooks: $(ALL)
	$(BIN)/python -m jixiao.research.notebooks

report: $(ALL)
	$(BIN)/jixiao corpus report -o $(OUT)/corpus-report

docs: $(CORE)
	$(BIN)/python -m jixiao.review.docs

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
