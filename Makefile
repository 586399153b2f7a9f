# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= extractions.db

.PHONY: install run test eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench,dask]'
	touch $(STAMP)

install: $(STAMP)

## run: process samples/ into $(DB) and print a summary
run: $(STAMP)
	$(BIN)/extractor run samples/articles --db $(DB)
	$(BIN)/extractor eval samples/gold.jsonl --db $(DB)

## test: install and run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q

## eval: precision/recall/F1 on samples/ and on the real dev set (when ../shared is present), beside the gate's floors
eval: $(STAMP)
	$(BIN)/extractor run samples/articles --db $(DB) --quiet
	$(BIN)/extractor eval samples/gold.jsonl --db $(DB)
	$(BIN)/python benchmarks/eval_real.py
	$(BIN)/python benchmarks/eval_gate.py

## bench: throughput and peak memory of each stage
bench: $(STAMP)
	$(BIN)/python benchmarks/run_bench.py

clean:
	rm -rf $(VENV) $(DB) *.egg-info
