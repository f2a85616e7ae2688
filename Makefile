# Two entry points (see README): `make run` and `make test`. Every other target is
# set-up they pull in: a virtual environment at .venv, browser assets from npm copied
# to static/vendor, and (for tests, when run as root) Debian's chromium and fonts.

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-noto-cjk gmt-dcw

.PHONY: run test setup lint system-packages data

run: setup
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT)

test: setup system-packages
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

setup: $(VENV)/.installed static/vendor/.installed

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

static/vendor/.installed: node_modules/.installed layers/assets.py $(wildcard layers/js/*.js) $(VENV)/.installed
	$(PY) -m layers.assets
	touch $@

# Chromium drives the browser tests; the Noto fonts draw Burmese and Chinese in static
# snapshots; gmt-dcw lets the tests rebuild the boundary data from its source.
system-packages:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Not root: install these Debian packages for the full suite:$$missing"; \
	  fi; \
	fi

# Rebuild the shipped boundary data from its registry sources (see geo/data/SOURCES.md).
data: setup system-packages
	$(PY) geo/data/build_boundaries.py
	$(PY) geo/data/build_crossings.py
