# Two commands matter: `make serve` and `make test`. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The embedded MongoDB-wire server (mongoeco) needs Python 3.13: it gets a venv of its own.
PYTHON313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) python3.13)
MONGO_VENV := .venv-mongo
MONGO_STAMP := $(MONGO_VENV)/.installed

.PHONY: serve test bench install system-deps

serve: $(STAMP) $(MONGO_STAMP)
	$(PY) -m serve run

test: $(STAMP) $(MONGO_STAMP) system-deps
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m serve bench

install: $(STAMP) $(MONGO_STAMP)

# torch first, pinned, so pip takes the CPU build on this kind of machine instead of a CUDA one.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $(STAMP)

$(MONGO_STAMP):
	test -x $(MONGO_VENV)/bin/python || $(PYTHON313) -m venv $(MONGO_VENV)
	$(MONGO_VENV)/bin/python -m pip install -q 'mongoeco[wire]==4.11.0'
	touch $(MONGO_STAMP)

# Real services for the tests: redis-server, Chromium for the browser test, Prometheus (and promtool) for the monitoring tests.
system-deps:
	@if ! command -v redis-server >/dev/null || ! command -v chromium >/dev/null || ! command -v promtool >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server chromium prometheus >/dev/null; \
	  else echo "install redis-server, chromium and prometheus (Debian: apt-get install redis-server chromium prometheus)"; exit 1; fi; \
	fi
