# Everything a fresh machine with python3 and make needs: `make run`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: install explore run worlds test test-fast test-newest lint typecheck calibration bench bench-simpy bench-scale regression-refresh validation-report clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,explore]"
	touch $(STAMP)

install: $(STAMP)

FLAGSHIP ?= results/flagship
# The shipped plausible worlds of the baseline (`make worlds`).
WORLDS = scenarios/ensembles/baseline

# The explore page in a browser (the [explore] extra, which `make install` brings too): the
# baseline on a small synthetic city; prints its address. EXPLORE_ARGS, e.g. "--port 9000".
explore: $(STAMP)
	$(BIN)/commsim explore $(EXPLORE_ARGS)

# The flagship: the baseline against every reform, paired replicates; then the same comparison
# in each shipped plausible world (`make worlds`), two replicates per world, into
# results/flagship/robust: does each effect hold across the assumptions the calibration bands
# leave open? Then charts and zh/en briefs whose findings say in how many worlds they hold.
# The reforms are the scenario files that set flagship_order, in that order
# (`commsim scenarios --flagship`), so a new flagship scenario needs no edit here.
run: $(STAMP)
	reforms=$$($(BIN)/commsim scenarios --flagship) || exit 1; \
	compared="scenarios/baseline.toml $$(printf 'scenarios/%s.toml ' $$reforms)"; \
	$(BIN)/commsim compare $$compared --reps 3 --seed 1 --out $(FLAGSHIP) --overwrite || exit 1; \
	$(BIN)/commsim compare $$compared --ensemble $(WORLDS) --reps 2 --seed 1 \
	    --out $(FLAGSHIP)/robust --overwrite
	for lang in en zh; do \
	    $(BIN)/commsim plot $(FLAGSHIP) --lang $$lang --out $(FLAGSHIP)/charts || exit 1; \
	    $(BIN)/commsim brief $(FLAGSHIP) --robust $(FLAGSHIP)/robust --lang $$lang \
	        --out $(FLAGSHIP)/brief_$$lang.pdf || exit 1; \
	done
	@echo "briefs: $(FLAGSHIP)/brief_en.pdf and brief_zh.pdf (editable .md beside them); charts: $(FLAGSHIP)/charts/"

# The baseline's plausible worlds shipped in scenarios/ensembles/baseline (package data), which
# `make run` compares the reforms across (docs/model.md 8, "Plausible worlds"): exactly
#   commsim ensemble scenarios/baseline.toml --n 40 --rounds 3 --min-kept 20 --seed 7 --workers 2
# about a minute on 2 cores. It runs in results/ensembles/baseline, whose round_N sweep folders
# stay there (not shipped); the kept worlds, provenance and chart are copied over. Rerun it and
# commit the folder when tests/test_shipped_worlds.py says the model no longer reproduces them.
WORLDS_RUN = results/ensembles/baseline

worlds: $(STAMP)
	$(BIN)/commsim ensemble scenarios/baseline.toml --n 40 --rounds 3 --min-kept 20 --seed 7 \
	    --workers 2 --quiet --out $(WORLDS_RUN) --overwrite
	mkdir -p $(WORLDS)
	for name in worlds.parquet worlds.csv ensemble.json ranges.png; do \
	    cp $(WORLDS_RUN)/$$name $(WORLDS)/$$name || exit 1; \
	done

test: $(STAMP)
	$(BIN)/python -m pytest

# The edit loop: everything but the tests marked slow (many simulated city-years). `make test`
# and CI still run the whole suite.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

# The suite again on the newest other supported Python (.ci/newest-python), in its own venv,
# so a break on a newer interpreter or Mesa cannot land silently.
test-newest:
	@python=$$(.ci/newest-python); \
	if [ -z "$$python" ]; then \
	    echo "note: no other supported Python (3.11-3.13) found; second matrix leg skipped"; \
	else \
	    version=$$($$python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	    echo "== test suite on Python $$version ($$python) =="; \
	    $(MAKE) test PYTHON=$$python VENV=.venv-$$version || exit 1; \
	fi

# Pattern-oriented calibration (analysis/patterns.py): refit the free keys to the fitted bands,
# say whether the baseline's defaults are reproduced, then check every band on the fit.
calibration: $(STAMP)
	$(BIN)/python -m analysis.patterns fit --workers 2
	$(BIN)/python -m analysis.patterns check results/calibration/baseline_calibrated.toml

lint: $(STAMP)
	$(BIN)/ruff check .

# mypy over sim/ and analysis/ as [tool.mypy] in pyproject.toml sets it up.
typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_city_year.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_startup.py

# commsim against a SimPy model of the same community (issue 12): speed in community-years
# per second, and the docking table that shows both do the same work.
bench-simpy: $(STAMP)
	$(BIN)/python benchmarks/bench_simpy.py

# Time and peak memory against the number of communities (36-3,620, one year) and the number
# of years (1-10, 362 communities), each case in a fresh process (issue 12, "Scale"); writes
# benchmarks/results/scale.csv and scale.png. A few minutes: kept out of `make bench`.
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py

regression-refresh: $(STAMP)
	$(BIN)/python -m tests.regression --refresh

clean:
	rm -rf $(VENV) .venv-3.* .pytest_cache

validation-report: $(STAMP)
	$(BIN)/python -m tests.validation.report
