"""The filterable list of statements and the permalink of one statement."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseGone, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils import timezone

from ... import filters
from ...editorial import corrections, permalinks
from ...editorial.reports import reported_by
from ...filters import StatementFilter
from ...models import Conference, Statement
from ...models.lists import published_statements, with_roles
from ...ops import caching
from ...text.ids import PUBLIC_ID_LENGTH
from .. import exports
from ..citations import citations, json_ld_script_text, quote_metadata
from ..facets import facets_and_total, toggled

PAGE_SIZE = 25


def possible_id(public_id: str) -> bool:
    """Whether `public_id` could name a statement, live or retired: no id is longer, and
    PostgreSQL refuses a string with a NUL in it (a 500 on /s/%00/ before this check)."""
    return len(public_id) <= PUBLIC_ID_LENGTH and "\x00" not in public_id


def _page(request, queryset, errors: list[str], count=None):
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # known already (from the cache): no COUNT(*) query
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
        if number < 1 or number > paginator.num_pages:
            raise ValueError
    except ValueError:
        errors.append(
            f"There is no page “{raw}”: the results have {paginator.num_pages} "
            f"page{'s' if paginator.num_pages != 1 else ''}. Showing page 1."
        )
        number = 1
    return paginator.page(number)


def active_filters(statement_filter, params) -> list[tuple[str, str]]:
    """The filters that have no facet of their own, each with the link that removes it."""
    cleaned = statement_filter.form.cleaned_data
    active = []
    for name in ("conference", "organization"):
        if cleaned.get(name):
            active.append((str(cleaned[name]), toggled(params, name, params.get(name), False)))
    return active


@caching.cached_page
def statement_list(request):
    statement_filter = StatementFilter(request.GET, queryset=published_statements())
    filtered = statement_filter.qs
    errors: list[str] = []
    params = request.GET.copy()
    params.pop("page", None)
    # The total and the facets are counted once per version of the archive (see caching.py).
    version = caching.current_version(filtered.db)
    found, count = caching.get_or_compute(
        "counts", version, params, lambda: facets_and_total(filtered, params)
    )
    page = _page(request, filtered, errors, count)
    window = statement_filter.ranked_window
    if window is not None and 0 < page.end_index() <= filters.RANK_WINDOW:
        # Ranked by relevance within the window (the same rows in the same order as the full
        # ordering gives): its ids are ranked once per version of the archive and cached, and a
        # page then fetches its own rows by id.
        ranked = caching.get_or_compute(
            "ranked", version, params, lambda: list(window.values_list("pk", flat=True))
        )
        wanted = ranked[page.start_index() - 1 : page.end_index()]
        rows = {row.pk: row for row in filtered.order_by().filter(pk__in=wanted)}
        page.object_list = [rows[pk] for pk in wanted if pk in rows]
    context = {
        "filter": statement_filter,
        "form": statement_filter.form,
        "page": page,
        "statements": with_roles(page.object_list),
        "facets": found,
        "active": active_filters(statement_filter, params),
        "page_errors": errors,
        "query_string": params.urlencode(),
        "export_formats": list(exports.FORMATS),
        "searching": statement_filter.searching,
    }
    status = 400 if statement_filter.form.errors or errors else 200
    return render(request, "conferences/statement_list.html", context, status=status)


def not_published(request, public_id, follow=Statement.get_absolute_url, page=True):
    """What an id that names no published statement answers: a merged id leads (301) to
    `follow(statement that absorbed it)`; a deleted one is Gone (410), with a page saying what
    was cited when `page`; one whose conference was public and is no longer is Gone too, without
    its words; an id that was never public, or whose successor is not, is not found.
    """
    retired = permalinks.retired(public_id)
    if retired is None:
        withdrawn = Statement.objects.select_related("conference").filter(public_id=public_id)
        withdrawn = withdrawn.first()
        if withdrawn is None or not permalinks.was_public(withdrawn):
            raise Http404("No such statement.")
        # Readers may have cited it: say it was withdrawn rather than that it never existed,
        # without showing what was withdrawn.
        if not page:
            return HttpResponseGone(
                f"Statement {public_id} was withdrawn.", content_type="text/plain"
            )
        conference = withdrawn.conference
        context = {
            "public_id": public_id,
            # As readers last saw it: a conference back in review may carry a draft's title.
            "seen": permalinks.last_public_version(conference),
            "withdrawn_at": conference.status_changes.filter(to_status=Conference.Status.WITHDRAWN)
            .values_list("changed_at", flat=True)
            .last(),
        }
        return render(request, "conferences/statement_withdrawn.html", context, status=410)
    successor = retired.successor
    if successor is not None:
        if not permalinks.is_public(successor.conference):
            raise Http404("No such statement.")
        query = request.META.get("QUERY_STRING", "")  # a citation's ?v= goes along
        return HttpResponsePermanentRedirect(follow(successor) + (f"?{query}" if query else ""))
    if not page:
        return HttpResponseGone(f"Statement {public_id} was removed.", content_type="text/plain")
    context = {
        "retired": retired,
        "conference": Conference.objects.published().filter(pk=retired.conference_id_was).first(),
    }
    return render(request, "conferences/statement_gone.html", context, status=410)


def statement_redirect(request, public_id, rest):
    """Any cosmetic suffix after the id leads to the one canonical permalink."""
    if not possible_id(public_id):
        raise Http404("No such statement.")
    statement = Statement.objects.published().filter(public_id=public_id).first()
    if statement is None:
        return not_published(request, public_id)
    return redirect(statement, permanent=True)


@caching.cached_page
def statement_detail(request, public_id):
    if not possible_id(public_id):
        raise Http404("No such statement.")
    try:
        statement = (
            published_statements()
            .select_related("source", "source__outlet")
            .get(public_id=public_id)
        )
    except Statement.DoesNotExist:
        return not_published(request, public_id)
    conference = statement.conference
    role = statement.speaker.role_on(conference.date)
    url = request.build_absolute_uri(statement.get_absolute_url())
    neighbours = conference.statements.select_related("speaker").order_by("sequence")
    metadata = quote_metadata(statement, role, url)
    context = {
        "statement": statement,
        "conference": conference,
        "role": role,
        "topics": statement.topics.all(),
        "previous": neighbours.filter(sequence__lt=statement.sequence).last(),
        "next": neighbours.filter(sequence__gt=statement.sequence).first(),
        "citations": citations(statement, role, url, timezone.now().date()),
        "canonical_url": url,
        "meta": metadata,
        "json_ld": json_ld_script_text(metadata["json_ld"]),
        "reports": reported_by(statement),
        **corrections.permalink_context(statement, request.GET.get("v", "")),
    }
    return render(request, "conferences/statement_detail.html", context)
