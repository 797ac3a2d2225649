# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
LOCK   := requirements.lock
# Links printed by manage.py commands (e.g. the admin login) point at the served port.
export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test install install-test test-system lint lock clean screenshots serve release bench bench-scale wrk

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps re-install only when the declared or pinned dependencies change.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) install -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) install -c $(LOCK) -e ".[test]"
	touch $@ $(VENV)/.installed

# What the browser, HTML and shared-cache tests need from the system: Chromium (driven by
# Playwright) with fonts, Java and npm for the Nu HTML Checker, Varnish. As root (a fresh
# container, CI) apt-get installs what is missing, as `make wrk` does; otherwise this says what is
# missing, those tests are skipped, and the run ends with one line saying so.
test-system:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing="$$missing fonts-dejavu-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	dpkg -s varnish >/dev/null 2>&1 || missing="$$missing varnish"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "Not installed:$$missing. Their tests will be skipped; install them with: sudo make test-system"; \
	fi

# The Nu HTML Checker (vnu.jar) for the HTML validity test, run with the machine's Java, and
# Lighthouse for tests/test_lighthouse.py, run with the machine's Node and Chromium.
# --ignore-scripts: the jar is in the package; its optional Java download is not wanted.
# Without npm the stamp is not made (so it is tried again) and those tests are skipped.
node_modules/.installed: package.json package-lock.json | test-system
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the HTML validity and Lighthouse tests will be skipped (sudo make test-system)"; fi

install: $(VENV)/.installed
install-test: test-system $(VENV)/.installed-test node_modules/.installed

run: install  ## set up and serve the demo site at http://127.0.0.1:$(PORT)/
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py ensure_demo_prescriber
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test  ## the whole suite (DATABASE_URL selects PostgreSQL)
	$(BIN)/python -m pytest

# Refresh docs/screenshots/ (headless Chromium, the demo content, a throwaway test database).
screenshots: install-test
	SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/screenshots.py tests/screenshots_blocks.py

# Production: `make release` once per deploy (migrations), `make serve` on each app server.
# Needs SECRET_KEY and ALLOWED_HOSTS (and DATABASE_URL, REDIS_URL...: see docs/operations.md).
release: install
	DJANGO_SETTINGS_MODULE=website.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=website.settings.production $(BIN)/python manage.py clear_page_cache
	DJANGO_SETTINGS_MODULE=website.settings.production $(BIN)/python manage.py analyze_database

# Behind Varnish (docs/caching.md): `varnishd -F -a :80 -f deploy/varnish/formulary.vcl
# -s malloc,256m` in front, gunicorn on BIND=127.0.0.1:8000, and
# WAGTAILFRONTENDCACHE='{"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": "http://127.0.0.1:80"}}'
# so every content change bans Varnish's pages.
serve: install
	DJANGO_SETTINGS_MODULE=website.settings.production $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=website.settings.production $(BIN)/gunicorn -c gunicorn.conf.py website.wsgi

wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

bench: install wrk  ## gunicorn + wrk, one table (DATABASE_URL/REDIS_URL optional)
	$(BIN)/python bench/run.py

bench-scale: install  ## 10,000 products and 100,000 reviews versus the demo
	$(BIN)/python bench/scale.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-pin after changing dependencies in pyproject.toml.
lock: | $(BIN)/python
	$(PIP) install -e ".[test]"
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > $(LOCK)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules test-artifacts
