# Two entry points for a fresh machine:  make run   (install + default scenario to a figure)
#                                        make test  (install with test extras + run the tests)
VENV ?= .venv
PY := $(VENV)/bin/python
SCENARIO ?= scenarios/baseline.yaml

.PHONY: run test lint bench clean-venv

$(VENV)/.installed: pyproject.toml
	@set -e; py=$$(scripts/find-python.sh); echo "using $$py"; \
	  [ -x $(PY) ] || $$py -m venv $(VENV); \
	  $(PY) -m pip install --quiet --upgrade pip; \
	  $(PY) -m pip install --quiet -e ".[test]"; \
	  touch $@

run: $(VENV)/.installed
	$(VENV)/bin/polarsim run $(SCENARIO) --replicates 10 --seed 1

test: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_run.py

clean-venv:
	rm -rf $(VENV)
