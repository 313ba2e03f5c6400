# Two commands do everything: `make demo` runs the system on its embedded default, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
SYSTEM_PACKAGES := chromium poppler-utils gettext zbar-tools

.PHONY: demo test system-packages benchmarks clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV) ..."
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

## Browser tests need Debian's Chromium; document signatures are checked with poppler's pdfsig.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdfsig >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "WARNING: missing$$missing and cannot install them here (needs root and apt-get);"; \
	    echo "         the tests that need them will be skipped and say so."; \
	  fi; \
	fi

demo: $(STAMP)
	@env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND DJANGO_ENV=demo \
	  DATABASE_URL=sqlite:///$(CURDIR)/var/demo.sqlite3 $(PY) manage.py rundemo

test: $(STAMP) system-packages
	@$(PY) tests/run.py

benchmarks: $(STAMP)
	@echo "Each benchmark runs on its own; see docs/benchmarks.md for the commands."

clean:
	rm -rf var/demo.sqlite3 var/test-*.sqlite3 .pytest_cache
