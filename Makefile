# Two entry points for a fresh machine:  make run   (install + default scenario to a figure)
#                                        make test  (install with test extras + run the tests)
VENV ?= .venv
PY := $(VENV)/bin/python
SCENARIO ?= scenarios/baseline.yaml

.PHONY: run test lint bench study study-quick docs clean-venv

$(VENV)/.installed: pyproject.toml
	@set -e; py=$$(scripts/find-python.sh); echo "using $$py"; \
	  [ -x $(PY) ] || $$py -m venv $(VENV); \
	  $(PY) -m pip install --quiet --upgrade pip; \
	  $(PY) -m pip install --quiet -e ".[test]"; \
	  touch $@

run: $(VENV)/.installed
	$(VENV)/bin/polarsim run $(SCENARIO) --replicates 10 --seed 1

test: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -n auto

# The paper study: runs what is missing (results are cached by input hash), then writes
# runs/paper/{figures,tables,report.md}. study-quick is the reduced design the tests use.
study: $(VENV)/.installed
	$(VENV)/bin/polarsim study experiments/paper/study.yaml

study-quick: $(VENV)/.installed
	$(VENV)/bin/polarsim study experiments/paper/study.yaml --quick

# The documentation site into runs/site (strict: a broken page fails), executing the
# tour notebook (docs/tour.py) against the installed package.
docs: $(VENV)/.installed
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_run.py

clean-venv:
	rm -rf $(VENV)
