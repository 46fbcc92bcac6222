# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate seed lint bench chromium clean translations-extract translations-update translations-compile

PORT ?= 5000

run: export CRM_DEBUG ?= 1
run: install migrate seed ## Everything from nothing: venv, install, migrate, demo data, serve (PORT=5001 make run)
	CRM_BASE_URL="$${CRM_BASE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/crm run --host 127.0.0.1 --port $(PORT)

$(STAMP): setup.cfg setup.py pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its test tools

migrate: install ## Apply pending migrations
	$(BIN)/crm db upgrade

seed: install ## Load reference and demo data (idempotent) and print the demo logins
	$(BIN)/crm seed --demo

test: install chromium ## Run the whole suite (PostgreSQL too when CRM_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check crm tests bench

bench: install ## Print the benchmark figures
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

chromium: ## Install Debian's Chromium for the browser tests (as root with apt-get; otherwise says how)
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "== installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "/usr/bin/chromium is missing: run 'sudo make chromium', or the browser tests are skipped"; fi; }

# Translations (issue 13): the catalogues live in crm/translations/<lang>/LC_MESSAGES/messages.po; the
# compiled .mo files are committed beside them (tests/test_i18n_catalogues.py proves they are up to date).
TRANSLATIONS := crm/translations
PYBABEL := $(BIN)/pybabel

translations-extract: install ## Collect the messages of the code and templates into crm/translations/messages.pot
	mkdir -p $(TRANSLATIONS)
	$(PYBABEL) extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext --ignore-dirs ".* __pycache__" --no-location \
	  --sort-output --project crm --copyright-holder "Strong Cities CRM" --output-file $(TRANSLATIONS)/messages.pot crm templates

translations-update: translations-extract ## Merge new messages into every language's catalogue
	$(PYBABEL) update --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) --no-fuzzy-matching \
	  --ignore-obsolete --width 100

translations-compile: install ## Compile the catalogues to the .mo files the app reads (commit them)
	$(PYBABEL) compile --directory $(TRANSLATIONS) --statistics

clean:
	rm -rf $(VENV) instance .pytest_cache
