# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The settings default to DEBUG off, so that a production host that forgets the variable fails closed; the
# development targets turn it on explicitly (an environment that sets DEBUG wins).
run demo migrate test worker compile lint: export DEBUG ?= true

.PHONY: install compile run migrate demo serve test lint bench-import worker browser clean

install: $(STAMP)

# Re-installs only when pyproject.toml changes; `make install` is idempotent.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The scanning modules compiled with mypyc into build/mypyc (~1 min; a no-op when the build is current).
# They are used only while their sources are unchanged: an edit falls back to the .py files at once.
compile: install
	$(BIN)/python -m scanners._build

migrate: compile
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py scan --shop mingcha-tmall --promotion d11-2026

run: demo
	@echo ""
	@echo "  Serving the dashboard on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (Playwright drives it; no browser download ever), and the CJK font
# the OCR tests draw their listing pictures with (and the pages' screenshots show Chinese in).
browser:
	test -x /usr/bin/chromium -a -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei; }

test: compile browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

worker: compile
	$(BIN)/celery -A readiness worker --loglevel=INFO

bench-import: install
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) build db.sqlite3 staticfiles .pytest_cache artifacts
