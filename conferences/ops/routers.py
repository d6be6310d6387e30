"""Which database answers: the primary ("default") or a read replica (DATABASE_REPLICA_URLS).

Every write goes to the primary. A read goes to a replica only inside a request that
conferences/ops/replica_middleware.py marked as a public read (an anonymous GET or HEAD outside the
admin), and only while that request has written nothing and no transaction is open on the
primary: a request that wrote, and code inside `transaction.atomic`, read their own writes from
the primary. Everything outside such a request (the admin, the importer, management commands,
the tests by default) reads from the primary.

One request reads from one replica from start to end (picked in turn, per process): its queries
see one state of the archive, and the version that keys the page cache (conferences/ops/caching.py)
is read from the same replica as the page it keys, so that a page is never stored under a
version newer than the data it shows.

The replica is picked when the request first reads the archive, so a request that reads nothing
(/healthz, robots.txt, a page from the cache while the archive's version is still held) touches
no replica. A replica that does not answer is left out: before a request is given a replica,
that replica's connection is checked (opened if need be, health-checked once per request as
Django does before the first query), and one that fails is skipped by this process for
REPLICA_DOWN_FOR seconds, the next one in turn answering instead. With every replica down,
public reads go to the primary. A replica found down is logged (a warning of the logger
"conferences.ops.routers") each time a thread finds it down: once per period per sync worker.

Replication lag: a replica shows a change only once it has replayed it, usually well under a
second, longer under load or after a network cut. Until then an anonymous reader may still see
the archive as it was (a conference published a moment ago missing, a correction not yet shown),
and two replicas may briefly disagree; editors, signed in, read from the primary and see their
own changes at once. Only the archive's own tables (this app's models) are ever read from a
replica: sessions, users, permissions and login records always come from the primary.
"""

import itertools
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

REPLICA_APPS = {"conferences"}  # app labels whose reads may go to a replica
# Seconds a replica that failed to connect is left out by this process before it is tried again.
REPLICA_DOWN_FOR = 30.0
clock = time.monotonic  # tests move it on
logger = logging.getLogger(__name__)


@dataclass
class PublicRead:
    """One public request: the database it reads from (picked at its first read), and whether
    it has written since."""

    alias: str | None = None
    wrote: bool = False

    def reads_from(self) -> str:
        if self.alias is None:
            self.alias = pick_replica()
        return self.alias


_current: ContextVar[PublicRead | None] = ContextVar("podium_public_read", default=None)
_turns = itertools.count()  # next() on a count is atomic under the GIL: safe across threads
_down_until: dict[str, float] = {}  # replica alias -> clock() until which it is left out


def replicas() -> list[str]:
    """The replica aliases settings.py made from DATABASE_REPLICA_URLS (none when unset)."""
    return list(getattr(settings, "PODIUM_READ_REPLICAS", []))


def begin_public_read():
    """Mark the current request as a public read, which reads from a replica; returns the token
    for `end_public_read`, or None when no replica is configured."""
    if not replicas():
        return None
    return _current.set(PublicRead())


def pick_replica() -> str:
    """The next replica in turn that answers, or the primary when none does."""
    aliases = replicas()
    first = next(_turns)
    for offset in range(len(aliases)):
        alias = aliases[(first + offset) % len(aliases)]
        if answers(alias):
            return alias
    return DEFAULT_DB_ALIAS


def answers(alias: str) -> bool:
    """Whether the replica `alias` can serve a request now: not left out after a recent
    failure, and its connection open and healthy (Django's own health check, done at most once
    per request, so the request's first query does not repeat it)."""
    if _down_until.get(alias, 0.0) > clock():
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except OperationalError as error:
        _down_until[alias] = clock() + REPLICA_DOWN_FOR
        logger.warning(
            "Read replica %s did not answer (%s); public reads go elsewhere for %.0f s.",
            alias,
            str(error).strip(),
            REPLICA_DOWN_FOR,
        )
        return False
    return True


def resume_public_read(public: PublicRead):
    """Mark the current code as part of the request `public` again (a streaming answer's
    chunks); returns the token for `end_public_read`."""
    return _current.set(public)


def end_public_read(token) -> None:
    if token is not None:
        _current.reset(token)


def current_public_read() -> PublicRead | None:
    return _current.get()


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry, set by settings.py when DATABASE_REPLICA_URLS names replicas."""

    def db_for_read(self, model, **hints):
        public = _current.get()
        if (
            public is None
            or public.wrote
            or model._meta.app_label not in REPLICA_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block  # reading its own writes
        ):
            return DEFAULT_DB_ALIAS
        return public.reads_from()

    def db_for_write(self, model, **hints):
        public = _current.get()
        if public is not None:
            public.wrote = True  # from now on this request reads its own writes
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's data: a row from one relates to the other

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # replicas copy the primary's schema; they are read-only
