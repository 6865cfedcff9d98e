PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench browser screenshot clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The whole launch on the bundled calendar snapshot, no credentials: hashtag and slot picked by
# the same checks as the wizard, content pack rendered, sequence scheduled into the ledger
# (--force: a second run replaces the demo's chat.yaml).
demo: $(STAMP)
	$(BIN)/launchkit init demo-chat --answers examples/answers.yaml --force

lint: $(STAMP)
	$(BIN)/ruff check launchkit tests bench
	$(BIN)/ruff format --check launchkit tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict launchkit

unit: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 -q

# Debian's chromium for the page tests (tests/browser.py drives it through Playwright). Only
# root can install it; elsewhere the browser tests are skipped with one line saying so.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq chromium >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
	      echo "could not install chromium: browser tests will be skipped"; \
	  else \
	    echo "chromium is not installed and cannot be (needs root and apt-get): browser tests will be skipped"; \
	  fi; }

# Refresh docs/calendar-site.png, the README's picture of the calendar site.
screenshot: $(STAMP) browser
	LAUNCHKIT_UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest -q tests/test_site_browser.py -k screenshot

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
