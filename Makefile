# Everything runs inside .venv; `make run` and `make test` set it up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install run index test lint bench load soak chromium clean edition translations

$(BIN)/letters: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/letters

index: install
	$(BIN)/letters index

run: index
	$(BIN)/letters serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's chromium (browser downloads are not possible here).
chromium:
	@if [ -x $(CHROMIUM) ]; then echo "chromium: $(CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

test: install chromium
	$(BIN)/python -m pytest

# All 5,019 Escher letters imported and compared with their TEI (about 2-4 minutes; the default
# test run takes every tenth letter).
edition: install
	LETTERS_FULL_EDITION=1 $(BIN)/python -m pytest -n 0 -q -s tests/test_escher_edition.py

lint: install
	$(BIN)/ruff check indexer webapp tests bench
	$(BIN)/ruff format --check indexer webapp tests bench
	$(BIN)/mypy indexer webapp

# Benchmark beside SQLite FTS5 on 20 Newsgroups as letters (about 10 minutes; not part of `test`).
bench: install
	$(BIN)/python -m bench

# Bounded load test on loopback: searches, facet clicks, letter pages, 10% hostile requests
# (not part of `test`).
load: install
	$(BIN)/python -m bench.load

# Ten minutes of mixed traffic while letters change and the index is rebuilt; fails on errors
# and on growth of the server's open files or memory (not part of `test`).
soak: install
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts

# The interface's catalogues (webapp/translations/<lang>/LC_MESSAGES): the strings of the
# templates and views extracted, each language's .po brought up to date (new strings come in
# untranslated, and tests/test_i18n_catalogues.py fails until they are translated), then compiled
# to the .mo files the app reads (committed, so a fresh clone needs no build step).
TRANSLATIONS := webapp/translations
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k plural_forms:1,2 -k counted:1,2 --no-location \
		--sort-output --project letters-archive -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)
