# Two commands: `make run` and `make test`. Both create or refresh .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check bench compare clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/hcpcs-assistant

test: $(STAMP)
	$(BIN)/hcpcs-assistant check
	$(BIN)/ruff check assistant tests scripts
	$(BIN)/ruff format --check assistant tests scripts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check assistant tests scripts
	$(BIN)/ruff format --check assistant tests scripts

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

compare: $(STAMP)
	$(BIN)/python scripts/compare.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
