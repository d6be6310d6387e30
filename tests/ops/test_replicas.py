"""Read replicas (DATABASE_REPLICA_URLS): public reads go to a replica, everything else to the
primary ("default").

The replicas here are two more connections to the default test database (Django's TEST
{"MIRROR": "default"}, as settings.py gives every replica), so they see the same rows; each
query is counted on the connection that ran it. The tests are transactional: a replica is
another connection and sees only what was committed.
"""

import copy
import io
import itertools
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from conferences.models import Conference, Statement, Topic
from conferences.ops import caching, routers
from conferences.ops.replica_middleware import PublicReadMiddleware, is_public_read
from conferences.public.views import statement_detail

from ..admin.test_import import URL as IMPORT_URL
from ..admin.test_import import form_data, save_data
from ..ports import unused_port
from ..settings_probe import run_probe

ROOT = Path(__file__).resolve().parents[2]
REPLICAS = ["replica1", "replica2"]
DEAD = "replica_dead"  # a replica that never answers
ROUTER = "conferences.ops.routers.PrimaryReplicaRouter"

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", *REPLICAS, DEAD])


def dead_settings(default: dict) -> dict:
    """The primary's connection settings, pointed where no database answers: a port nothing
    listens on (PostgreSQL), a file in a folder that does not exist (SQLite)."""
    dead = copy.deepcopy(default)
    dead["TEST"]["MIRROR"] = "default"  # never created, flushed or torn down by the tests
    if dead["ENGINE"] == "django.db.backends.sqlite3":
        dead["NAME"] = "/nonexistent-podium-folder/replica.sqlite3"
    else:
        dead["HOST"], dead["PORT"] = "127.0.0.1", str(unused_port())
    return dead


@pytest.fixture(scope="module", autouse=True)
def replica_aliases(django_db_setup):
    """replica1 and replica2 as test mirrors of the default test database, for this module only
    (added before pytest-django checks the test's `databases`, removed after)."""
    default = connections["default"].settings_dict
    for alias in REPLICAS:
        settings_dict = copy.deepcopy(default)
        settings_dict["TEST"]["MIRROR"] = "default"
        connections.settings[alias] = settings_dict
    connections.settings[DEAD] = dead_settings(default)
    yield
    for alias in [*REPLICAS, DEAD]:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


@pytest.fixture(autouse=True)
def with_replicas(settings):
    settings.PODIUM_READ_REPLICAS = ["replica1"]
    settings.DATABASE_ROUTERS = [ROUTER]  # the router reads DATABASE_ROUTERS again when it changes


@pytest.fixture
def counted():
    """Run a call and count its queries on each alias: {"default": n, "replica1": n, …}. The
    page cache and the held archive versions are emptied first, so every call does its work."""

    def run(call):
        cache.clear()
        caching._versions.clear()
        captures = {alias: CaptureQueriesContext(connections[alias]) for alias in ["default"]}
        captures.update({alias: CaptureQueriesContext(connections[alias]) for alias in REPLICAS})
        for capture in captures.values():
            capture.__enter__()
        try:
            result = call()
            if getattr(result, "streaming", False):
                result.content_read = b"".join(result.streaming_content)
        finally:
            for capture in captures.values():
                capture.__exit__(None, None, None)
        return result, {alias: len(statements(capture)) for alias, capture in captures.items()}

    return run


def statements(capture) -> list[str]:
    """The queries captured, without transaction control (SQLite logs its BEGIN, PostgreSQL
    does not)."""
    control = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "COMMIT", "ROLLBACK")
    return [query["sql"] for query in capture if not query["sql"].startswith(control)]


def on(count: int, alias: str = "default") -> dict:
    return {"default": 0, "replica1": 0, "replica2": 0, alias: count}


def body(response) -> bytes:
    return getattr(response, "content_read", None) or response.content


@pytest.mark.parametrize(
    "url",
    [
        "/statements/",
        "/statements/?q=fishing&topic=fisheries",
        "PERMALINK",
        "/api/v1/statements/",
        "/api/v1/speakers/alva-quintero/",
        "/statements/export.csv",
        "/speakers/alva-quintero/",
    ],
)
def test_a_public_read_makes_every_query_on_the_replica(client, archive, counted, settings, url):
    if url == "PERMALINK":
        url = archive["statements"]["fishing"].get_absolute_url()
    settings.PODIUM_READ_REPLICAS = []  # first without a replica: the same work on the primary
    before, primary_only = counted(lambda: client.get(url))
    settings.PODIUM_READ_REPLICAS = ["replica1"]
    after, with_replica = counted(lambda: client.get(url))
    assert before.status_code == after.status_code == 200
    assert primary_only["default"] > 0
    assert primary_only == on(primary_only["default"], "default")
    assert with_replica == on(primary_only["default"], "replica1")
    assert body(after) == body(before)


def test_head_is_a_public_read(client, archive, counted):
    response, queries = counted(lambda: client.head("/statements/"))
    assert response.status_code == 200
    assert queries["default"] == 0
    assert queries["replica1"] > 0


def test_requests_take_the_replicas_in_turn(client, archive, counted, settings):
    settings.PODIUM_READ_REPLICAS = REPLICAS
    used = []
    for _ in range(4):
        _, queries = counted(lambda: client.get("/statements/"))
        assert queries["default"] == 0
        used.append([alias for alias in REPLICAS if queries[alias]])
    assert sorted(map(tuple, used[:2])) == [("replica1",), ("replica2",)]
    assert used[2:] == used[:2]


@pytest.fixture
def dead_replica(monkeypatch, settings):
    """DEAD first in the turn, the caching clock held still, and every attempt to connect to
    DEAD counted. Yields the list of attempts' times."""
    monkeypatch.setattr(routers, "_turns", itertools.count())
    monkeypatch.setattr(routers, "_down_until", {})
    now = [500.0]
    monkeypatch.setattr(routers, "clock", lambda: now[0])
    attempts = []
    connection = connections[DEAD]
    real_connect = connection.connect

    def counting_connect():
        attempts.append(now[0])
        return real_connect()

    monkeypatch.setattr(connection, "connect", counting_connect)
    yield attempts, now


def test_a_replica_that_does_not_answer_is_left_out_and_the_next_one_reads(
    client, archive, counted, settings, dead_replica, caplog
):
    attempts, now = dead_replica
    settings.PODIUM_READ_REPLICAS = [DEAD, "replica1"]
    url = archive["statements"]["fishing"].get_absolute_url()
    for _ in range(4):  # the turn starts at DEAD on the 1st and the 3rd
        response, queries = counted(lambda: client.get(url))
        assert response.status_code == 200
        assert "The fishing quotas protect the coast." in response.content.decode()
        assert queries["default"] == queries["replica2"] == 0
        assert queries["replica1"] > 0
    # Tried once; then left out without another attempt while REPLICA_DOWN_FOR runs.
    assert attempts == [500.0]
    assert [r.getMessage() for r in caplog.records if r.name == "conferences.ops.routers"] == [
        f"Read replica {DEAD} did not answer ({connection_error(caplog)}); public reads go "
        "elsewhere for 30 s."
    ]
    now[0] += routers.REPLICA_DOWN_FOR + 1  # the period is over: DEAD is tried again, once
    for _ in range(2):
        response, queries = counted(lambda: client.get(url))
        assert response.status_code == 200
        assert queries["replica1"] > 0
    assert attempts == [500.0, 531.0]


def connection_error(caplog) -> str:
    """The driver's own words for the failed connection, as logged."""
    message = next(r for r in caplog.records if r.name == "conferences.ops.routers").args[1]
    assert ("unable to open database file" in message) or ("Connection refused" in message)
    return message


def test_with_every_replica_down_the_primary_serves_public_reads(
    client, archive, counted, settings, dead_replica
):
    attempts, _ = dead_replica
    settings.PODIUM_READ_REPLICAS = [DEAD]
    for _ in range(2):
        response, queries = counted(lambda: client.get("/statements/?q=fishing"))
        assert response.status_code == 200
        assert "quotas protect the coast." in response.content.decode()
        assert queries == on(queries["default"], "default")
        assert queries["default"] > 0
    assert len(attempts) == 1


def test_a_request_that_reads_nothing_touches_no_replica(client, settings, dead_replica, caplog):
    """A load balancer's probe of /healthz must not wait on a replica (or log one as down)."""
    attempts, _ = dead_replica
    settings.PODIUM_READ_REPLICAS = [DEAD]
    for url in ("/healthz", "/robots.txt"):
        response = client.get(url)
        assert response.status_code == 200
    assert client.get("/healthz").content == b"ok"
    assert attempts == []
    assert [r for r in caplog.records if r.name == "conferences.ops.routers"] == []


def test_the_page_cache_version_is_read_where_the_page_is_read(client, archive, admin_client):
    """The version that keys a page comes from the replica the page was read from (a replica
    behind the primary never stores its page under the primary's newer version); a signed-in
    editor's page, read from the primary, is keyed by the primary's version."""
    caching._versions.clear()
    assert client.get("/statements/").status_code == 200
    assert set(caching._versions) == {"replica1"}
    caching._versions.clear()
    cache.clear()
    assert admin_client.get("/statements/").status_code == 200
    assert set(caching._versions) == {"default"}


def test_a_signed_in_editor_reads_public_pages_from_the_primary(admin_client, archive, counted):
    response, queries = counted(lambda: admin_client.get("/statements/"))
    assert response.status_code == 200
    assert queries["replica1"] == 0
    assert queries["default"] > 0


def test_an_admin_page_reads_from_the_primary(admin_client, archive, counted):
    response, queries = counted(lambda: admin_client.get("/admin/conferences/statement/"))
    assert response.status_code == 200
    assert "Trade with Eastmark grows every year." in response.content.decode()
    assert queries["replica1"] == 0
    assert queries["default"] > 0


def test_a_login_post_reads_and_writes_on_the_primary(client, django_user_model, counted):
    django_user_model.objects.create_superuser("chief", password="not-a-real-password-42")
    response, queries = counted(
        lambda: client.post(
            "/admin/login/?next=/admin/",
            {"username": "chief", "password": "not-a-real-password-42", "next": "/admin/"},
        )
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert queries["replica1"] == 0
    assert queries["default"] > 0


def test_a_post_to_a_public_page_reads_from_the_primary(client, archive, counted):
    """Only GET and HEAD are public reads: a POST reads what it may have just written."""
    response, queries = counted(lambda: client.post("/statements/", {}))
    assert response.status_code == 200
    assert queries["replica1"] == 0
    assert queries["default"] > 0


def test_an_import_saved_in_the_admin_reads_and_writes_on_the_primary(admin_client, counted):
    html = admin_client.post(IMPORT_URL, form_data()).content.decode()
    response, queries = counted(lambda: admin_client.post(IMPORT_URL, save_data(html)))
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/conferences/conference/{conference.pk}/change/"
    assert conference.statements.count() == 3
    assert queries["replica1"] == 0
    assert queries["default"] > 0


def public_request(path):
    return RequestFactory().get(path)


def test_a_public_request_that_wrote_reads_from_the_primary(archive, counted):
    statement = archive["statements"]["fishing"]

    def writes_then_reads(request):
        Topic.objects.create(name="Harbours", slug="harbours")
        return statement_detail(request, statement.public_id)

    request = public_request(statement.get_absolute_url())
    response, queries = counted(lambda: PublicReadMiddleware(writes_then_reads)(request))
    assert response.status_code == 200
    assert "The fishing quotas protect the coast." in response.content.decode()
    assert queries["replica1"] == 0
    assert queries["default"] > 1  # the insert, then every read of the page

    def only_reads(request):
        return statement_detail(request, statement.public_id)

    request = public_request(statement.get_absolute_url())
    response, queries = counted(lambda: PublicReadMiddleware(only_reads)(request))
    assert response.status_code == 200
    assert queries["default"] == 0
    assert queries["replica1"] > 0


def test_reads_inside_a_transaction_on_the_primary_stay_there(archive, counted):
    def reads_in_a_transaction(request):
        with transaction.atomic():
            return HttpResponse(len(Statement.objects.published().values_list("text")))

    response, queries = counted(
        lambda: PublicReadMiddleware(reads_in_a_transaction)(public_request("/"))
    )
    assert response.content == b"5"
    assert queries == on(1, "default")

    def reads(request):
        return HttpResponse(len(Statement.objects.published().values_list("text")))

    response, queries = counted(lambda: PublicReadMiddleware(reads)(public_request("/")))
    assert response.content == b"5"
    assert queries == on(1, "replica1")


def test_sessions_and_users_are_never_read_from_a_replica(archive):
    from django.contrib.auth.models import User

    token = routers.begin_public_read()
    try:
        assert router.db_for_read(Statement) == "replica1"
        assert router.db_for_read(User) == "default"
    finally:
        routers.end_public_read(token)
    assert router.db_for_read(Statement) == "default"  # the mark ends with the request


def test_management_commands_read_from_the_primary(archive, counted, tmp_path):
    out = tmp_path / "statements.csv"
    _, queries = counted(
        lambda: call_command(
            "export_statements", "--output", str(out), "--quiet", stdout=io.StringIO()
        )
    )
    assert out.read_text().count("\n") == 6  # the header and the five published statements
    assert queries["replica1"] == 0
    assert queries["default"] > 0


def test_writes_and_migrations_stay_on_the_primary():
    routing = routers.PrimaryReplicaRouter()
    token = routers.begin_public_read()
    try:
        assert routing.db_for_write(Statement) == "default"
        assert routing.db_for_read(Statement) == "default"  # this request wrote
    finally:
        routers.end_public_read(token)
    assert routing.allow_migrate("default", "conferences") is True
    assert routing.allow_migrate("replica1", "conferences") is False
    assert routing.allow_relation(Statement(), Topic()) is True


@pytest.mark.parametrize(
    ("method", "path", "cookies", "expected"),
    [
        ("get", "/statements/", {}, True),
        ("head", "/api/v1/statements/", {}, True),
        ("post", "/statements/", {}, False),
        ("get", "/admin/conferences/statement/", {}, False),
        ("get", "/admin/login/", {}, False),
        ("get", "/statements/", {"sessionid": "x"}, False),
    ],
)
def test_which_requests_are_public_reads(method, path, cookies, expected):
    factory = RequestFactory()
    for name, value in cookies.items():
        factory.cookies[name] = value
    assert is_public_read(getattr(factory, method)(path)) is expected


def test_a_custom_admin_url_is_not_a_public_read(settings):
    settings.PODIUM_ADMIN_URL = "editors-desk/"
    assert is_public_read(RequestFactory().get("/editors-desk/")) is False
    assert is_public_read(RequestFactory().get("/admin/")) is True  # a public 404 now


PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(sorted(settings.DATABASES), settings.PODIUM_READ_REPLICAS, settings.DATABASE_ROUTERS); "
    "[print(alias, db['HOST'], db['NAME'], db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], "
    "db['OPTIONS'], db['TEST']['MIRROR']) for alias, db in sorted(settings.DATABASES.items())]"
)


def settings_with(**env):
    return run_probe(PROBE, **env)


def test_replica_urls_become_aliases_with_the_primarys_options():
    run = settings_with(
        DATABASE_URL="postgres://podium@db-primary:5432/podium",
        DATABASE_REPLICA_URLS=" postgres://reader@db-r1/podium ,postgres://reader@db-r2:5433/podium",
        DATABASE_CONN_MAX_AGE="120",
    )
    assert run.returncode == 0, run.stderr
    options = (
        "{'connect_timeout': 5, 'tcp_user_timeout': 10000, "
        "'options': '-c jit=off -c work_mem=32MB'}"
    )
    assert run.stdout.splitlines() == [
        "['default', 'replica1', 'replica2'] ['replica1', 'replica2'] "
        "['conferences.ops.routers.PrimaryReplicaRouter']",
        f"default db-primary podium 120 True {options} None",
        f"replica1 db-r1 podium 120 True {options} default",
        f"replica2 db-r2 podium 120 True {options} default",
    ]


def test_without_replica_urls_nothing_changes():
    run = settings_with(DATABASE_URL="postgres://podium@db-primary:5432/podium")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "['default'] [] []"


def test_a_replica_of_another_kind_of_database_is_refused():
    run = settings_with(
        DATABASE_URL="postgres://podium@db-primary:5432/podium",
        DATABASE_REPLICA_URLS="sqlite:////tmp/copy.sqlite3",
    )
    assert run.returncode == 1
    assert (
        "ImproperlyConfigured: DATABASE_REPLICA_URLS: replica 1 is not a copy of DATABASE_URL's "
        "database (engine django.db.backends.sqlite3, the primary's is "
        "django.db.backends.postgresql)."
    ) in run.stderr
