"""Production serving: `make serve` (gunicorn with config/gunicorn.py, DJANGO_DEBUG=0) and the
worker count of config/gunicorn.py.

`make serve` is started for real, on a free port, against a temporary SQLite file, with its
static and media folders in a temporary folder (PODIUM_STATIC_ROOT, PODIUM_MEDIA_ROOT), so that
nothing of the run lands in the project. It needs no database fixture: it migrates its own file.
"""

import http.client
import os
import re
import runpy
import signal
import subprocess
import time
from pathlib import Path

import pytest
from gunicorn.config import ConfigError

from ..ports import unused_port

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "gunicorn.py"
SECRET = "t3st-Only-" + "Wq8zLm2Rv6Xn4Pb9Kd1Hs7Fj" * 2
IMMUTABLE = "max-age=315360000, public, immutable"  # WhiteNoise, on a name with a content hash


# config/gunicorn.py ----------------------------------------------------------------------------


def gunicorn_settings(monkeypatch, **environ):
    """The module-level names of config/gunicorn.py read under these variables only."""
    for name in list(os.environ):
        if name.startswith("GUNICORN_") or name == "WEB_CONCURRENCY":
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (4, 9), (16, 33)])
def test_workers_are_twice_the_cpus_plus_one(monkeypatch, cpus, workers):
    config = gunicorn_settings(monkeypatch)
    assert config["worker_count"]({}, cpus=cpus) == workers


def test_the_cpus_counted_are_those_this_process_may_use(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5})
    assert config["cpu_count"]() == 3
    assert config["worker_count"]({}) == 7


def test_the_environment_sets_the_workers_gunicorn_workers_first():
    namespace = runpy.run_path(str(CONFIG))
    count = namespace["worker_count"]
    assert count({"WEB_CONCURRENCY": "4"}, cpus=2) == 4
    assert count({"GUNICORN_WORKERS": "3"}, cpus=2) == 3
    assert count({"GUNICORN_WORKERS": "3", "WEB_CONCURRENCY": "4"}, cpus=2) == 3
    assert count({"GUNICORN_WORKERS": " ", "WEB_CONCURRENCY": ""}, cpus=2) == 5


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_worker_count_is_refused_with_its_name(value):
    count = runpy.run_path(str(CONFIG))["worker_count"]
    with pytest.raises(ConfigError) as refused:
        count({"GUNICORN_WORKERS": value}, cpus=2)
    assert (
        str(refused.value) == f"GUNICORN_WORKERS must be a whole number, 1 or more (got {value!r})."
    )


def test_defaults_log_to_stdout_and_stderr_and_bind_locally(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert (config["accesslog"], config["errorlog"]) == ("-", "-")
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == (60, 30, 5)
    assert config["threads"] == 1
    assert config["preload_app"] is False


def test_the_environment_sets_bind_and_timeouts(monkeypatch):
    config = gunicorn_settings(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000",
        GUNICORN_WORKERS="2",
        GUNICORN_TIMEOUT="120",
        GUNICORN_GRACEFUL_TIMEOUT="10",
        GUNICORN_KEEPALIVE="2",
        GUNICORN_THREADS="4",
    )
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["workers"] == 2
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == (120, 10, 2)
    assert config["threads"] == 4


# make serve ------------------------------------------------------------------------------------


def get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Served:
    """`make serve` running in its own process group; `stop()` ends it and reads its logs."""

    def __init__(self, process, port, folder):
        self.process, self.port, self.folder = process, port, folder
        self.stdout = self.stderr = None

    def stop(self):
        if self.stdout is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # make and gunicorn: one group, ours
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.stdout = (self.folder / "stdout.log").read_text()
        self.stderr = (self.folder / "stderr.log").read_text()


def start_serve(folder: Path, cwd: Path = ROOT, **extra) -> Served:
    """`make serve` in `cwd` on a free port with one worker, once it answers /healthz. Its
    database, static and media folders and logs are in `folder`."""
    port = unused_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "GUNICORN_", "PODIUM_", "REDIS_"))
        # Nor the flags of a `make test` this suite may run under.
        and name not in {"WEB_CONCURRENCY", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'podium.sqlite3'}",
        PODIUM_STATIC_ROOT=str(folder / "static"),
        PODIUM_MEDIA_ROOT=str(folder / "media"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        **extra,
    )
    with (folder / "stdout.log").open("wb") as out, (folder / "stderr.log").open("wb") as err:
        # -o: the virtual environment is taken as it is (no pip run, whatever its stamp says).
        process = subprocess.Popen(
            ["make", "-s", "-o", ".venv/.runtime", "serve"],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    server = Served(process, port, folder)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (folder / "stderr.log").read_text()
            try:
                if get(port, "/healthz")[0] == 200:
                    return server
            except OSError:
                pass
            assert time.monotonic() < deadline, "make serve did not answer within 120 s"
            time.sleep(0.25)
    except BaseException:
        server.stop()
        raise


@pytest.fixture
def served(tmp_path):
    server = start_serve(tmp_path, DJANGO_SECRET_KEY=SECRET)
    try:
        yield server
    finally:
        server.stop()


def test_make_serve_serves_pages_and_hashed_static_files(served):
    port, folder = served.port, served.folder

    status, headers, body = get(port, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    html = body.decode()
    stylesheet = re.search(
        r'<link rel="stylesheet" href="/static/(css/podium\.[0-9a-f]{12}\.css)"', html
    )
    assert stylesheet, html[:2000]
    hashed = stylesheet.group(1)

    status, headers, body = get(port, f"/static/{hashed}")
    assert status == 200
    assert headers["Content-Type"] == 'text/css; charset="utf-8"'  # WhiteNoise's quotes
    assert headers["Cache-Control"] == IMMUTABLE
    assert body == (folder / "static" / hashed).read_bytes()

    status, headers, gzipped = get(port, f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == IMMUTABLE
    assert gzipped == (folder / "static" / f"{hashed}.gz").read_bytes()

    # The name without its hash may change under the same URL: WhiteNoise's short max-age.
    status, headers, _ = get(port, "/static/css/podium.css")
    assert (status, headers["Cache-Control"]) == (200, "max-age=60, public")

    # Debug is off: a missing page is Podium's 404 page (templates/404.html), not Django's
    # debug page, which lists the URL patterns.
    status, _, body = get(port, "/no-such-page/")
    assert status == 404
    assert b"<h1>Page not found</h1>" in body
    assert b"Using the URLconf" not in body

    # The static files were collected into the temporary folder, not the project's.
    assert (folder / "static" / "staticfiles.json").is_file()

    # gunicorn's access log is on stdout, its own messages on stderr.
    served.stop()
    access = [line for line in served.stdout.splitlines() if '"GET / HTTP/1.1" 200' in line]
    assert len(access) == 1, served.stdout
    assert access[0].startswith("127.0.0.1 - - [")
    assert f'"GET /static/{hashed} HTTP/1.1" 200' in served.stdout
    assert '"GET / HTTP/1.1"' not in served.stderr
    assert f"Listening at: http://127.0.0.1:{port}" in served.stderr
    assert served.stderr.count("Booting worker with pid") == 1
    assert "Handling signal: term" in served.stderr


def test_make_serve_without_a_secret_key_generates_one_once(tmp_path):
    """In a copy of the project made of links (so that var/ is the copy's own, not the
    project's), two runs of `make serve` without DJANGO_SECRET_KEY: one key, kept."""
    project = tmp_path / "project"
    project.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {"var", "staticfiles", "db.sqlite3"}:
            (project / entry.name).symlink_to(entry)
    key_file = project / "var" / "secret_key"

    first = start_serve(tmp_path, cwd=project)
    assert get(first.port, "/")[0] == 200  # the settings accepted the key
    first.stop()
    key = key_file.read_text()
    assert re.fullmatch(r"[A-Za-z0-9_-]{67}\n", key)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first.stdout.count("Generated a secret key into var/secret_key.") == 1

    second = start_serve(tmp_path, cwd=project)
    second.stop()
    assert key_file.read_text() == key
    assert "Generated a secret key" not in second.stdout
