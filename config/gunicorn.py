"""Gunicorn's settings for Podium in production: `gunicorn -c config/gunicorn.py config.wsgi`.

`make serve` runs it after migrating and collecting the static files. Every value can be changed
from the environment, so one file serves a laptop and every node of a cluster:

- GUNICORN_BIND: the address, default 127.0.0.1:8000 (nginx in front talks to it).
- GUNICORN_WORKERS, else WEB_CONCURRENCY: the number of worker processes; default 2 × the CPUs
  this process may run on + 1 (a sync worker waits on the database about as long as it computes).
- GUNICORN_THREADS: threads per worker, default 1 (sync workers); more switches to gthread.
- GUNICORN_TIMEOUT (60 s), GUNICORN_GRACEFUL_TIMEOUT (30 s), GUNICORN_KEEPALIVE (5 s).

Logs: the access log (one line per request) on stdout, gunicorn's own messages on stderr, where
the process manager collects them; Django logs to stdout as well (config/settings.py).

preload_app stays off. Preloading would import Django once in the master and share its memory
with the workers, but a `kill -HUP` (reload) would then keep serving the old code, and anything
opened while importing (a database connection, a Redis pool) would be shared by forked workers.
Podium's workers start in about a second each, and they open their connections lazily.
"""

import os

from gunicorn.config import ConfigError

DEFAULT_BIND = "127.0.0.1:8000"


def cpu_count() -> int:
    """The CPUs this process may run on (a container's or taskset's limit), at least 1."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def positive(name: str, value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number, 1 or more (got {value!r}).")
    return int(value)


def worker_count(environ=os.environ, cpus: int | None = None) -> int:
    """GUNICORN_WORKERS, else WEB_CONCURRENCY, else 2 × CPUs + 1."""
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY"):
        value = environ.get(name, "").strip()
        if value:
            return positive(name, value)
    return 2 * (cpu_count() if cpus is None else cpus) + 1


def env_int(name: str, default: int, environ=os.environ) -> int:
    value = environ.get(name, "").strip()
    return positive(name, value) if value else default


bind = [os.environ.get("GUNICORN_BIND", "").strip() or DEFAULT_BIND]
workers = worker_count()
threads = env_int("GUNICORN_THREADS", 1)

# A worker silent for this long is killed and replaced: long enough for the largest export or a
# facet count on a million statements, short enough that a stuck worker comes back.
timeout = env_int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (a deploy, scaling in), requests under way get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle keep-alive connection from nginx stays open (threaded workers only).
keepalive = env_int("GUNICORN_KEEPALIVE", 5)

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's usual line, plus the time taken (ms) and the client as nginx names it.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
    'forwarded-for="%({x-forwarded-for}i)s"'
)

preload_app = False

# Gunicorn 24 and later open a control socket at one fixed path in the home folder, which every
# gunicorn of the same user on the machine would share (several nodes on one host, `make bench`).
# Off; older versions ignore the name.
control_socket_disable = True
