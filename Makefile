# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `run` installs what the service needs; `test` adds the test tools (Playwright, the peer models).
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# The browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test venv bench clean bytecode

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

venv: $(TEST_STAMP)

# Our modules compiled ahead: with PYTHONDONTWRITEBYTECODE set (as on this machine and in the image)
# every process compiled them again as it started, about a second of CPU for each worker, server
# and command. Only changed files are compiled again.
bytecode: $(RUN_STAMP)
	$(BIN)/python -m compileall -q moderation classifiers workers

run: $(RUN_STAMP) bytecode
	$(BIN)/moderation up

# Three processes, each with its own embedded PostgreSQL and Redis: many tests wait on real workers
# and servers, so with two the cores sat idle about half the run. The longest tests are collected
# first (tests/conftest.py) and handed out two at a time, so they spread over the three processes
# and the run ends on short ones.
test: $(TEST_STAMP) $(CHROMIUM) bytecode
	$(BIN)/python -m pytest -q -n 3 --maxschedchunk 2

bench: $(TEST_STAMP)
	$(BIN)/python bench/classifier.py
	$(BIN)/python bench/threats.py
	$(BIN)/python bench/plain_words_rules.py
	$(BIN)/python bench/e2e.py
	$(BIN)/python bench/perspective.py
	$(BIN)/python bench/queue_pages.py
	$(BIN)/python bench/retrain.py

clean:
	rm -rf $(VENV) var
