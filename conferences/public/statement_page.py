"""What a statement's permalink (/s/<public_id>/) shows, read in three queries.

The first query brings the statement with its conference, host, speaker, source and outlet, the
ids and speakers of the statements before and after it in the conference, and whether it has
corrections or reports; the second, the speaker's roles (with their organisations), of which the
one held that day is shown; the third, its topics.
Corrections and reports, which few statements have, are read only when there are some.

Only the columns the page shows are loaded: a source's pasted text (tens of kilobytes, the whole
transcript) is never read here. tests/public/test_page_queries.py holds the count.
"""

from typing import NamedTuple

from django.db.models import BooleanField, CharField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from ..editorial import corrections
from ..editorial.reports import reported_by
from ..models import Correction, Speaker, Statement, StatementReport
from ..models.people import pick_role
from .citations import citations, json_ld_script_text, quote_metadata

# What the page, its citations and its metadata read; anything else would cost a query when
# first touched (the query count test says so).
FIELDS = (
    "public_id",
    "text",
    "kind",
    "fidelity",
    "content_hash",
    "conference__title",
    "conference__slug",
    "conference__date",
    "conference__place",
    "conference__country",
    "conference__kind",
    "conference__host__name",
    "speaker__name",
    "speaker__slug",
    "speaker__country",
    "source__kind",
    "source__title",
    "source__url",
    "source__via",
    "source__published_on",
    "source__fetched_at",
    "source__snapshot_sha256",
    "source__outlet__name",
)


class Neighbour(NamedTuple):
    """The statement just before or after, as the page links to it."""

    url: str
    speaker: str


def _neighbour(following: bool, speaker: bool = False) -> RawSQL:
    """The public id (or, `speaker`, the speaker's name) of the statement before (or,
    `following`, after) this one in its conference.

    A correlated subquery written in SQL: composing the same four as ORM Subqueries took the ORM
    over a millisecond a page, far longer than the database takes to answer them (each is one
    step along the unique index on conference and sequence). Names come from _meta only."""
    statement = Statement._meta.db_table
    compare, order = (">", "ASC") if following else ("<", "DESC")
    sql = (
        f"SELECT n.{'speaker_id' if speaker else 'public_id'} FROM {statement} n "  # noqa: S608
        f"WHERE n.conference_id = {statement}.conference_id "
        f"AND n.sequence {compare} {statement}.sequence ORDER BY n.sequence {order} LIMIT 1"
    )
    if speaker:
        sql = f"SELECT name FROM {Speaker._meta.db_table} WHERE id = ({sql})"  # noqa: S608
    return RawSQL(sql, [], output_field=CharField())  # noqa: S611 (no input in it)


def _has(model) -> RawSQL:
    """Whether any `model` row (a correction, a report) points at the statement."""
    statement = Statement._meta.db_table
    sql = f"EXISTS (SELECT 1 FROM {model._meta.db_table} WHERE statement_id = {statement}.id)"  # noqa: S608
    return RawSQL(sql, [], output_field=BooleanField())  # noqa: S611 (no input in it)


def published(public_id: str) -> Statement | None:
    """The published statement `public_id` with what its page shows (see the module docstring),
    or None."""
    found = (
        Statement.objects.published()
        .select_related("speaker", "conference__host", "source__outlet")
        .only(*FIELDS)
        .annotate(
            previous_id=_neighbour(following=False),
            previous_speaker=_neighbour(following=False, speaker=True),
            next_id=_neighbour(following=True),
            next_speaker=_neighbour(following=True, speaker=True),
            has_corrections=_has(Correction),
            has_reports=_has(StatementReport),
        )
        .filter(public_id=public_id)
    )
    try:
        return found.get()
    except Statement.DoesNotExist:
        return None


def _link(public_id: str | None, speaker: str | None) -> Neighbour | None:
    if public_id is None:
        return None
    return Neighbour(reverse("conferences:statement", kwargs={"public_id": public_id}), speaker)


def context(request, statement: Statement) -> dict:
    """The template's context for `statement`, as `published` loaded it."""
    conference = statement.conference
    role = pick_role(statement.speaker.roles.select_related("organization"), conference.date)
    url = request.build_absolute_uri(statement.get_absolute_url())
    metadata = quote_metadata(statement, role, url)
    return {
        "statement": statement,
        "conference": conference,
        "role": role,
        "topics": list(statement.topics.all()),
        "previous": _link(statement.previous_id, statement.previous_speaker),
        "next": _link(statement.next_id, statement.next_speaker),
        "citations": citations(statement, role, url, timezone.now().date()),
        "canonical_url": url,
        "conference_url": conference.get_absolute_url(),
        "card_url": request.build_absolute_uri(
            reverse("conferences:card", kwargs={"public_id": statement.public_id})
        ),
        "meta": metadata,
        "json_ld": json_ld_script_text(metadata["json_ld"]),
        "reports": reported_by(statement) if statement.has_reports else [],
        **corrections.permalink_context(
            statement, request.GET.get("v", ""), corrected=statement.has_corrections
        ),
    }
