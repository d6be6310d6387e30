# Podium's task file. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test superuser lint format migrate demo bench-importer bench load clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Podium needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files make re-runs quick: pip runs again only when a requirements file changes.
$(VENV)/.runtime: $(PY) requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo --if-empty

run: demo
	@echo "Podium at http://$(HOST):$(PORT)/  (admin login: run 'make superuser' first)"
	$(PY) manage.py runserver $(HOST):$(PORT)

superuser: migrate
	$(PY) manage.py createsuperuser

test: $(VENV)/.dev
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench-importer: $(VENV)/.runtime
	$(PY) benchmarks/importer.py

# Datasette, the comparison of `make bench`, in its own environment: it needs gunicorn < 24.
DATASETTE_VENV := .venv-datasette
$(DATASETTE_VENV)/.installed: benchmarks/requirements-datasette.txt
	$(PYTHON) -m venv $(DATASETTE_VENV)
	$(DATASETTE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DATASETTE_VENV)/bin/python -m pip install --quiet -r benchmarks/requirements-datasette.txt
	@touch $@

# Podium against Datasette and a trivial view, measured with wrk (see benchmarks/README.md).
# BENCH_DATABASE_URL, BENCH_STATEMENTS, BENCH_SECONDS… are read from the environment.
bench: $(VENV)/.runtime $(DATASETTE_VENV)/.installed
	$(PY) benchmarks/bench.py

# 64 clients for 60 s on a mix of real URLs, then again with PostgreSQL restarted halfway (it
# restarts the whole cluster serving LOAD_DATABASE_URL; LOAD_RESTART=0 skips that run). See
# benchmarks/README.md; LOAD_DATABASE_URL, LOAD_STATEMENTS, LOAD_SECONDS… from the environment.
load: $(VENV)/.runtime
	$(PY) benchmarks/load.py

clean:
	rm -rf $(VENV) $(DATASETTE_VENV) staticfiles .pytest_cache .ruff_cache
