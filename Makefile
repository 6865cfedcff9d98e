PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The whole launch on the bundled calendar snapshot, no credentials: hashtag and slot picked by
# the same checks as the wizard, content pack rendered, sequence scheduled into the ledger.
demo: $(STAMP)
	$(BIN)/launchkit init demo-chat --answers examples/answers.yaml

lint: $(STAMP)
	$(BIN)/ruff check launchkit tests bench
	$(BIN)/ruff format --check launchkit tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict launchkit

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
