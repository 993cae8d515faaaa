# Southend Safeguarding Partnership website. See README.md.
# Every target sets up what it needs: a fresh machine with Python 3.11+ is enough.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test validate prune harvest lint clean bench

# The venv is rebuilt when pyproject.toml changes.
$(VENV)/.site: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PYTHON) scripts/requirements.py | $(PY) -m pip install -q --disable-pip-version-check -r /dev/stdin
	touch $@

$(VENV)/.test: $(VENV)/.site
	$(PYTHON) scripts/requirements.py test | $(PY) -m pip install -q --disable-pip-version-check -r /dev/stdin
	touch $@

serve: $(VENV)/.site
	$(PY) -m mkdocs serve --dev-addr $(HOST)

build: $(VENV)/.site
	$(PY) -m mkdocs build --strict

validate: $(VENV)/.site
	$(PY) scripts/validate.py

prune: $(VENV)/.site
	$(PY) scripts/prune.py

lint: $(VENV)/.test
	$(PY) -m ruff check macros scripts tests

test: $(VENV)/.test
	bash scripts/ensure-chromium.sh
	$(PY) -m ruff check macros scripts tests
	$(PY) -m pytest

bench: $(VENV)/.test
	bash scripts/ensure-chromium.sh
	$(PY) scripts/bench.py

clean:
	rm -rf site .pytest_cache
