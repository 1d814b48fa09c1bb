# `make demo` and `make test` each work on a fresh machine: they build the virtualenv
# (CPU torch first, so nothing pulls a multi-GB CUDA build), install the Debian packages the
# project needs (Apertium and its Spanish-English pair, for offline translation), then run.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES ?= apertium apertium-eng-spa
# For tests only, and optional: without it the browser test is skipped with its reason.
APT_TEST_PACKAGES ?= chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install system-deps test-deps bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; fi

test-deps:
	@missing=""; for p in $(APT_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  ( $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null ) \
	  || echo "could not install$$missing: the tests that need it will be skipped"; fi

demo: $(STAMP) system-deps
	$(VENV)/bin/polybrief brief seeds/
	$(VENV)/bin/polybrief brief seeds/ --lang es -o outputs/briefing.es.md
	@echo "the same briefing in Spanish (Apertium, after selection): outputs/briefing.es.md"
	$(VENV)/bin/polybrief cluster docs/examples/feed/ -o outputs/events.jsonl
	$(VENV)/bin/polybrief brief outputs/events.jsonl -o outputs/events.md
	@echo "a mixed-language feed grouped into events and briefed: outputs/events.md"
	$(VENV)/bin/polybrief run configs/seeds.yaml --export-to outputs/export/seeds
	$(VENV)/bin/polybrief run configs/es-en-sample.yaml --export-to outputs/export/es-en-sample
	$(VENV)/bin/polybrief leaderboard --file outputs/leaderboard.jsonl

test: $(STAMP) system-deps
	@$(MAKE) --no-print-directory test-deps
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/briefing_quality.py
	$(PY) benchmarks/briefing_speed.py
	$(PY) benchmarks/clustering.py
	$(PY) benchmarks/trust_signals.py

clean:
	rm -rf $(VENV) build *.egg-info outputs
