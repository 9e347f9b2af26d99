# Everything a fresh machine with python3 and make needs: `make run`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: install run test lint bench regression-refresh validation-report clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/commsim run scenarios/baseline.toml --reps 3

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_city_year.py
	$(BIN)/python benchmarks/bench_sweep.py

regression-refresh: $(STAMP)
	$(BIN)/python tests/regression.py --refresh

clean:
	rm -rf $(VENV) .pytest_cache

validation-report: $(STAMP)
	$(BIN)/python -m tests.validation.report
