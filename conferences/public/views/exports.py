"""/statements/export.csv, .json and .ndjson: any /statements/ filter, streamed."""

from django.db import connections
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ...filters import StatementFilter
from ...models import Statement
from .. import exports


@require_GET
def statement_export(request, format):
    """The statements the page would list for this query string (every page of them), in the
    page's order. The `page` parameter is ignored: an export has no pages."""
    statement_filter = StatementFilter(request.GET, queryset=Statement.objects.published())
    if not statement_filter.is_valid():
        errors = statement_filter.error_messages()
        if format == "csv":
            lines = [f"{field}: {text}" for field, messages in errors.items() for text in messages]
            return HttpResponse(
                "Some of the filters could not be used:\n" + "\n".join(lines) + "\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return JsonResponse({"errors": errors}, status=400)
    queryset = exports.export_queryset(
        statement_filter.qs, connections[Statement.objects.db].vendor
    )
    rows = exports.export_rows(queryset, request.build_absolute_uri("/"))
    # Connected here, in the view (the rows are read as the body is sent): a database that is down
    # is then a 503 (conferences/ops/middleware.py), not a 200 cut short after its first line.
    connections[Statement.objects.db].ensure_connection()
    response = StreamingHttpResponse(
        exports.WRITERS[format](rows), content_type=exports.FORMATS[format]
    )
    name = exports.filename(format, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
