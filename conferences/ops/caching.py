"""What the public pages keep in Django's cache: the statement list's counts (the total and the
facets) and its ranked ids, and whole public pages.

Counting a million statements takes a second or more per facet, and rendering a page costs more
than serving it from memory, so both are cached. Every key holds a version of the archive read in
one cheap query (each part comes from an index): the newest history record of every archive
table (django-simple-history writes one for every save and delete of an organisation, speaker,
alias, role, topic, conference, source, statement and statement topic, importer included), the
latest change to a conference and to a statement (for bulk paths that write no history), the
highest statement id, and the number of retired ids, corrections and reports. Publishing, an edit
or a rename therefore changes every key at once; nothing is ever deleted, old entries expire.

A process reads the version at most once every VERSION_TTL seconds: a save in this process makes
it read again at once (`forget_version`, connected in apps.py), and other processes and nodes see
the change within VERSION_TTL. The cache is Django's default one: local memory per process, or
Redis when REDIS_URL is set (config/settings.py). A `QuerySet.update()` that bypasses both history
and `updated_at` goes unseen until TIMEOUT.

When the database does not answer (a restart, a failover), a page already in the cache is served
under the last version this process read, for STALE_FOR seconds after that read at most, marked
`X-Podium-Cache: stale`; any other page answers 503 (conferences/ops/middleware.py).

PODIUM_PAGE_CACHE off (config/settings.py) turns all of this off: every page, count and ranking is
computed for each request, nothing is read from or written to the cache, and the version, which
would key nothing, is not read either.
"""

import functools
import hashlib
import time
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections, router, transaction
from django.http import HttpResponse

from ..models import Conference, Correction, RetiredStatement, Statement, StatementReport

TIMEOUT = 10 * 60  # seconds; a backstop only, the version changes the key on every publish
VERSION_TTL = 0.5  # seconds a process trusts the version it read last
# Seconds after its last read of the version that a process still serves cached pages under it
# while the database does not answer: a restart takes seconds; a longer outage ends in the 503
# page rather than in ever older pages.
STALE_FOR = 5 * 60
STALE_HEADER = "X-Podium-Cache"
PREFIX = "podium:list"
PAGE_PREFIX = "podium:page"
UNCACHED = "uncached"  # the version while the page cache is off: it keys nothing


class Held(NamedTuple):
    """The version a process read last, kept past VERSION_TTL for page_version's fallback."""

    good_until: float  # monotonic seconds
    version: str
    read_at: float
    stale: bool  # the database failed since: until good_until, page_version does not ask it


_versions: dict[str, Held] = {}  # database alias -> Held; forget_version empties it
# The clock VERSION_TTL and STALE_FOR are measured on; tests hold it still (tests/conftest.py), so
# that whether a request reads the version again never depends on how fast the machine is.
clock = time.monotonic


def _history_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every history table of the archive."""
    tables = []
    for model in apps.get_app_config("conferences").get_models():
        if model._meta.db_table.startswith("conferences_historical"):
            tables.append((model._meta.db_table, model._meta.pk.column))
    return sorted(tables)


def archive_version(using: str = "default") -> str:
    """A short string that changes whenever what a public page shows can have changed."""
    conference = Conference._meta.db_table
    statement = Statement._meta.db_table
    retired = RetiredStatement._meta.db_table
    # Table and column names come from _meta only: nothing here is user input.
    parts = [
        f"(SELECT MAX(updated_at) FROM {conference})",  # noqa: S608
        f"(SELECT MAX(updated_at) FROM {statement})",  # noqa: S608
        f"(SELECT MAX(id) FROM {statement})",  # noqa: S608
        f"(SELECT COUNT(*) FROM {retired})",  # noqa: S608
        # Corrections and reports keep no history of their own; a count sees deletions too.
        *(
            f"(SELECT COUNT(*) FROM {model._meta.db_table})"  # noqa: S608
            for model in (Correction, StatementReport)
        ),
        *(f"(SELECT MAX({pk}) FROM {table})" for table, pk in _history_tables()),  # noqa: S608
    ]
    sql = "SELECT " + ", ".join(parts)
    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:16]


def enabled() -> bool:
    """Whether pages, counts and rankings are kept (PODIUM_PAGE_CACHE), read at each call so
    that a test may switch it."""
    return settings.PODIUM_PAGE_CACHE


def current_version(using: str = "default") -> str:
    """`archive_version`, read again only when VERSION_TTL has passed or this process saved;
    UNCACHED, without a query, while the page cache is off."""
    if not enabled():
        return UNCACHED
    now = clock()
    held = _versions.get(using)
    if held is not None and held.good_until > now and not held.stale:
        return held.version
    version = archive_version(using)
    _versions[using] = Held(now + VERSION_TTL, version, now, stale=False)
    return version


def page_version(using: str = "default") -> tuple[str, bool]:
    """The version whole pages are keyed under, and whether it is only the last one known.

    While the database does not answer, that is the version read last (STALE_FOR seconds ago at
    most), so that pages already in the cache are still served; the database is then asked again
    once per VERSION_TTL only, so that when connecting hangs rather than fails, one request per
    VERSION_TTL waits for it, not every one."""
    now = clock()
    held = _versions.get(using)
    if held is not None and held.stale and held.good_until > now:
        return held.version, True
    try:
        return current_version(using), False
    except (OperationalError, InterfaceError):
        if held is None or now - held.read_at > STALE_FOR:
            raise
        _versions[using] = held._replace(good_until=now + VERSION_TTL, stale=True)
        return held.version, True


def forget_version(sender=None, **kwargs) -> None:
    """A receiver of post_save, post_delete and m2m_changed: after a change to the archive, this
    process reads the version again (now, and once more when the transaction commits, so that a
    version read in between is not trusted)."""
    if sender is not None and sender._meta.app_label != "conferences":
        return
    _versions.clear()
    transaction.on_commit(_versions.clear, robust=True)


def params_key(params) -> str:
    """The query string in a canonical order, without the page (the facets' links keep the
    rest, sort included)."""
    items = sorted(
        (name, value) for name, values in params.lists() if name != "page" for value in values
    )
    return hashlib.sha256(repr(items).encode()).hexdigest()[:24]


def get_or_compute(name: str, version: str, params, compute):
    """`compute()`'s value, from the cache when this version of the archive has it already;
    computed every time while the page cache is off."""
    if not enabled():
        return compute()
    key = f"{PREFIX}:{name}:{version}:{params_key(params)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def page_key(request, version: str) -> str:
    """One page as one visitor asks for it: scheme, host, path and query string as sent (the
    pages print absolute links, so the host is part of the page)."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"{PAGE_PREFIX}:{version}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def cached_page(view):
    """Serve a public GET page from the cache while the archive's version is unchanged.

    Only complete 200 answers that set no cookie are kept, as (content type, body): the
    middleware adds its headers to a cached page as to a fresh one. The pages wrapped must show
    the same to everyone (no user, no CSRF token, no session): the public site does. While the
    database does not answer, a page in the cache is served marked stale (see page_version)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not enabled():
            return view(request, *args, **kwargs)
        # The version comes from the database the page's own reads come from (a replica for a
        # public read, conferences/ops/routers.py), never from the primary while the page is read
        # from a replica: a replica behind the primary would then store its older page under
        # the primary's newer version, where it would stay (the version having moved on
        # already) until TIMEOUT. Read from one replica, a page is at least as new as its
        # version. The list view's counts do the same
        # (current_version(filtered.db)).
        version, stale = page_version(router.db_for_read(Statement))
        key = page_key(request, version)
        kept = cache.get(key)
        if kept is not None:
            content_type, content = kept
            response = HttpResponse(content, content_type=content_type)
            if stale:
                response[STALE_HEADER] = "stale"
            return response
        response = view(request, *args, **kwargs)
        if (
            not stale  # the database answered the view but not the version: key unknown
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            cache.set(key, (response["Content-Type"], response.content), TIMEOUT)
        return response

    return wrapper
