"""The archived copy of a source: the page its text was fetched from, as it was fetched."""

from csp.decorators import csp_exempt
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from ...models import Conference
from ...models.archive import SourceSnapshot

# The copy is someone else's page served from Podium's origin: nothing in it may run or load.
# `sandbox` gives it an opaque origin with no scripts, forms, plugins or pop-ups; `default-src
# 'none'` stops every request it would make (scripts, styles, images and fonts from anywhere,
# frames); its own inline styles and data: images still show, so the page stays readable.
SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@csp_exempt()  # the site's policy (config/settings.py) must not replace or join this one
@require_safe
def source_snapshot(request, pk):
    """The bytes as fetched, with the type they were served as, and nothing added (no banner):
    they hash to the SHA-256 the statement page prints. Sources of published conferences only:
    a draft's, or a withdrawn conference's, is not found."""
    snapshot = get_object_or_404(
        SourceSnapshot.objects.filter(Conference.published_q("source__conference"))
        .select_related("source")
        .only("content", "source__snapshot_content_type"),
        source_id=pk,
    )
    response = HttpResponse(
        bytes(snapshot.content), content_type=snapshot.source.snapshot_content_type
    )
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["X-Robots-Tag"] = "noindex"  # the ministry's page is the one to find, not our copy
    return response
