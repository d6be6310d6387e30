"""The statement list's counts (the total and the facets) kept in Django's cache.

Counting a million statements takes a second or more per facet, and the unfiltered list is the
most visited page of all, so its counts are cached. The key holds a version of the archive read in
one cheap query (every part comes from an index): the latest change to a conference (publishing,
withdrawing and editing save it), the latest change to a statement, the highest statement id and
the number of retired ids (a deleted or merged statement leaves one). Publishing therefore changes
every key at once; nothing needs to be deleted, and old entries simply expire.

Bulk `QuerySet.update()` calls bypass `updated_at`; the timeout bounds how long such a change can
go unseen. The cache is Django's default one: local memory per process, or Redis when REDIS_URL is
set (config/settings.py).
"""

import hashlib

from django.core.cache import cache
from django.db import connections

from .models import Conference, RetiredStatement, Statement

TIMEOUT = 10 * 60  # seconds; a backstop only, the version changes the key on every publish
PREFIX = "podium:list"


def archive_version(using: str = "default") -> str:
    """A short string that changes whenever what the public list counts can have changed."""
    conference = Conference._meta.db_table
    statement = Statement._meta.db_table
    retired = RetiredStatement._meta.db_table
    sql = (
        f"SELECT (SELECT MAX(updated_at) FROM {conference}), "  # noqa: S608 (table names only)
        f"(SELECT MAX(updated_at) FROM {statement}), (SELECT MAX(id) FROM {statement}), "
        f"(SELECT COUNT(*) FROM {retired})"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:16]


def params_key(params) -> str:
    """The query string in a canonical order, without the page (the facets' links keep the
    rest, sort included)."""
    items = sorted(
        (name, value) for name, values in params.lists() if name != "page" for value in values
    )
    return hashlib.sha256(repr(items).encode()).hexdigest()[:24]


def get_or_compute(name: str, version: str, params, compute):
    """`compute()`'s value, from the cache when this version of the archive has it already."""
    key = f"{PREFIX}:{name}:{version}:{params_key(params)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
