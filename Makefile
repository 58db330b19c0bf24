# Two commands: `make run` and `make test`. Both create or refresh .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

INDEX := assistant/core/knowledge.idx

.PHONY: run test lint check bench compare clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The built-in knowledge base, read and indexed once (see assistant/core/prebuilt.py); refreshed
# when the knowledge or the code that indexes it changes.
$(INDEX): $(STAMP) $(wildcard knowledge/*/*.md) $(wildcard assistant/core/*.py)
	$(BIN)/python -m assistant.core.prebuilt

# The words of the ICD-10-CM descriptions, for finding a code by the condition it names (the
# package build writes them too; see assistant/codes/icd_words.py).
ICD_WORDS := assistant/codes/icd10cm.words
$(ICD_WORDS): $(STAMP) assistant/codes/icd_words.py
	$(BIN)/python -m assistant.codes.icd_words

# The package's modules compiled to bytecode, again whenever one changes, so that a one-shot
# command (and every command the tests start) never compiles them: where PYTHONDONTWRITEBYTECODE
# is set, Python would otherwise do it on every run.
COMPILED := $(VENV)/.compiled
$(COMPILED): $(STAMP) $(shell find assistant -name '*.py')
	$(BIN)/python -m compileall -q assistant
	@touch $@

run: $(STAMP) $(INDEX) $(ICD_WORDS) $(COMPILED)
	$(BIN)/hcpcs-assistant

# The test suite runs on two processes (pytest-xdist), each test file on one of them, so that a
# file's shared set-up is built once; `pytest tests/test_x.py` still runs one file on its own.
# Pytest keeps the test modules it has rewritten (for its assertion messages) as bytecode, even
# where PYTHONDONTWRITEBYTECODE is set: rewriting them takes each process seconds.
test: $(STAMP) $(INDEX) $(ICD_WORDS) $(COMPILED)
	$(BIN)/hcpcs-assistant check
	$(BIN)/ruff check assistant tests scripts
	$(BIN)/ruff format --check assistant tests scripts
	$(BIN)/python -m mypy
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check assistant tests scripts
	$(BIN)/ruff format --check assistant tests scripts

bench: $(STAMP) $(INDEX) $(ICD_WORDS) $(COMPILED)
	$(BIN)/python scripts/bench.py

compare: $(STAMP) $(INDEX) $(ICD_WORDS) $(COMPILED)
	$(BIN)/python scripts/compare.py

clean:
	rm -rf $(VENV) build dist .pytest_cache $(INDEX) $(ICD_WORDS)
