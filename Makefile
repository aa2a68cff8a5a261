# Everything bootstraps .venv itself: `make serve` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INI ?= development.ini
JOBS ?= 2
# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install serve test e2e screenshots chromium lint i18n catalogs migrate seed bench bench-writes bench-mail clean

# The example third-party plugins install as their own distributions, as a deployer's would.
EXAMPLES := examples/phonebank examples/covoiturage

$(STAMP): setup.cfg pyproject.toml $(EXAMPLES:%=%/setup.cfg)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet $(EXAMPLES:%=-e %)
	touch $(STAMP)

# Installed and every catalogue compiled (core, bundled plugins, examples): pages are
# translated after `make install` alone.
install: catalogs

# Compiled catalogues are built from the .po files at every run, so they are never stale.
catalogs: $(STAMP)
	$(BIN)/cortege i18n compile .
	for example in $(EXAMPLES); do $(BIN)/cortege i18n compile $$example/$$(basename $$example); done

migrate: catalogs
	mkdir -p var
	$(BIN)/cortege db upgrade $(INI)

seed: migrate
	$(BIN)/cortege seed $(INI) --if-empty

# The site and a worker beside it (mail, reminders and every other job), stopped together.
serve: seed
	$(BIN)/cortege serve $(INI)

# Installed only when missing.
$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

chromium: $(CHROMIUM)

# The whole suite, browser tests (tests/e2e) included.
test: catalogs $(CHROMIUM)
	CORTEGE_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n $(JOBS) $(PYTEST_ARGS)

# The browser tests alone; screenshots land in test-artifacts/e2e/.
e2e: catalogs $(CHROMIUM)
	CORTEGE_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n $(JOBS) tests/e2e $(PYTEST_ARGS)

# The main pages, desktop and phone, in French, with the demo content: docs/screenshots/.
screenshots: catalogs $(CHROMIUM)
	CORTEGE_CHROMIUM=$(CHROMIUM) $(BIN)/python -m tests.e2e.screenshots

lint: $(STAMP)
	$(BIN)/ruff check core plugins themes tests examples

# Extract messages and merge them into every catalogue (English is filled from the source).
i18n: $(STAMP)
	$(BIN)/cortege i18n update .

bench: catalogs
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-writes: catalogs
	$(BIN)/python -m bench.writes $(BENCH_ARGS)

bench-mail: catalogs
	$(BIN)/python -m bench.mail $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info
