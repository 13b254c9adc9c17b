# orgsim — two commands do all set-up: `make simulate SCENARIO=baseline` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SCENARIO ?= baseline
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
ARGS ?=

.PHONY: simulate test test-fast bench lint install clean

# The venv is rebuilt when pyproject.toml changes.
$(BIN)/orgsim: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(BIN)/orgsim

install: $(BIN)/orgsim

simulate: install
	$(BIN)/orgsim run $(SCENARIO) --jobs $(JOBS) $(ARGS)

# One pytest worker per CPU (pytest-xdist), each test file on one worker so a module's fixtures
# are simulated once; the suite is mostly one process waiting on another otherwise.
test: install
	@tools/ensure-chromium
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile $(ARGS)

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow" $(ARGS)

bench: install
	$(BIN)/python benchmarks/bench.py $(ARGS)

lint: install
	$(BIN)/ruff check simulate tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
