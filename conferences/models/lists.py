"""What every list of statements shows, on the pages, in the feeds and in the API: published
statements with their speaker (and roles), conference and host, each given the speaker's role
on the day and, under a search, its highlighted snippet."""

from django.db.models import Prefetch

from .archive import Statement
from .people import Role
from .search import headline_html


def published_statements():
    """Published statements with what a list shows: speaker (with roles), conference."""
    roles = Prefetch("speaker__roles", queryset=Role.objects.select_related("organization"))
    return (
        Statement.objects.published()
        .select_related("speaker", "conference", "conference__host")
        .prefetch_related(roles)
    )


def with_roles(statements) -> list:
    """Attach the speaker's role on the day of each statement (from prefetched roles)."""
    rows = list(statements)
    for statement in rows:
        statement.role = statement.speaker.role_on(statement.conference.date)
        headline = getattr(statement, "search_headline", None)
        statement.snippet = headline_html(headline) if headline else None
    return rows
