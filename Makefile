# Podium's task file. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test superuser lint format migrate demo bench-importer bench load cluster clean

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

# Production on this machine: gunicorn (config/gunicorn.py) with DJANGO_DEBUG=0, after migrating
# and collecting the static files (WhiteNoise serves them). Plain http on $(HOST):$(PORT) unless the
# caller sets DJANGO_SECURE_SSL_REDIRECT, DJANGO_SECURE_COOKIES, DJANGO_ALLOWED_HOSTS or
# GUNICORN_BIND. DJANGO_SECRET_KEY: the caller's, else one generated once into var/secret_key;
# the nodes of a cluster must all be given the same key, or a login on one is invalid on the rest.
serve: $(VENV)/.runtime
	@set -e; \
	if [ -z "$$DJANGO_SECRET_KEY" ]; then \
		if [ ! -s var/secret_key ]; then \
			mkdir -p var; \
			(umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key); \
			echo "Generated a secret key into var/secret_key."; \
		fi; \
		DJANGO_SECRET_KEY=$$(cat var/secret_key); \
	fi; \
	export DJANGO_SECRET_KEY DJANGO_DEBUG=0 \
		DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
		DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" \
		DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}"; \
	$(PY) manage.py migrate --noinput -v0; \
	$(PY) manage.py collectstatic --noinput -v0; \
	echo "Podium (production settings) at http://$$GUNICORN_BIND/"; \
	exec $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

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

# Two gunicorn nodes behind nginx on 127.0.0.1 (8001, 8002, nginx on 8080): an editor's import
# through nginx, a publish seen across nodes, a node killed under load (see benchmarks/cluster.py;
# CLUSTER_DATABASE_URL and CLUSTER_REDIS_URL from the environment). Installs nginx if missing.
cluster: $(VENV)/.runtime
	$(PY) benchmarks/cluster.py

clean:
	rm -rf $(VENV) $(DATASETTE_VENV) staticfiles .pytest_cache .ruff_cache
