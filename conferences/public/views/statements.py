"""The filterable list of statements and the permalink of one statement."""

from django.core.paginator import Paginator
from django.db import router
from django.http import Http404, HttpResponseGone, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render

from ...editorial import permalinks
from ...filters import StatementFilter
from ...models import Conference, Statement
from ...models.lists import published_statements, with_roles
from ...ops import caching
from ...text.ids import PUBLIC_ID_LENGTH
from .. import exports, listing, statement_page
from ..facets import from_counts, toggled

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


def _page_number(request) -> int:
    """The page asked for, or 1 (what _page checks against the total and reports)."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


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
    """The filterable list. StatementFilter validates the query string; the rows and the counts
    come from the list's own table (conferences/public/listing.py)."""
    statement_filter = StatementFilter(request.GET, queryset=published_statements())
    statement_filter.form.is_valid()
    cleaned = statement_filter.form.cleaned_data  # the valid filters; the others are reported
    using = router.db_for_read(Statement)
    errors: list[str] = []
    params = request.GET.copy()
    params.pop("page", None)
    found = listing.where(cleaned, using)
    query = (cleaned.get("q") or "").strip()
    sort = cleaned.get("sort") or ("relevance" if query else "newest")
    # The total and the facets are counted once per version of the archive (see caching.py).
    version = caching.current_version(using)

    asked = _page_number(request)
    ranked_now = {}

    def count():
        # Under a search by relevance the same query ranks the page asked for (kept aside: the
        # cache holds the counts only).
        wanted = ((asked - 1) * PAGE_SIZE, PAGE_SIZE) if sort == "relevance" else None
        counted, total = listing.counts(found, using, page=wanted)
        if "page" in counted:
            ranked_now[asked] = counted.pop("page")
        return from_counts(counted, params), total

    found_facets, total = caching.get_or_compute("counts", version, params, count)
    page = _page(request, range(total), errors, total)
    ids = ranked_now.get(page.number)
    if ids is None:
        offset = page.start_index() - 1 if total else 0
        ids = listing.page_ids(found, sort, offset, PAGE_SIZE, using, total)
    page.object_list = listing.statements(ids, query)
    context = {
        "filter": statement_filter,
        "form": statement_filter.form,
        "page": page,
        "statements": with_roles(page.object_list),
        "facets": found_facets,
        "active": active_filters(statement_filter, params),
        "page_errors": errors,
        "query_string": params.urlencode(),
        "export_formats": list(exports.FORMATS),
        "searching": bool(query),
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
    if not Statement.objects.published().filter(public_id=public_id).exists():
        return not_published(request, public_id)
    return redirect("conferences:statement", public_id=public_id, permanent=True)


@caching.cached_page
def statement_detail(request, public_id):
    if not possible_id(public_id):
        raise Http404("No such statement.")
    statement = statement_page.published(public_id)
    if statement is None:
        return not_published(request, public_id)
    context = statement_page.context(request, statement)
    return render(request, "conferences/statement_detail.html", context)
