"""A database that does not answer (a restart, a failover, a dropped connection) is a 503 with a
clear page, not a 500.

Late in MIDDLEWARE (before axes only, which asks to be last): its process_exception sees what a
view, or the rendering of its template, raised; the page it returns still gets the other
middleware's headers (CSP, X-Frame-Options…). The page is templates/503.html, rendered without a
request: no context processor, nothing that needs the database. A POST that failed so (an
editor's save) gets its fields back in that page, in a form that sends them again, so that nothing
typed is lost; CSRF protection has already checked that the post came from Podium's own form, so
only its sender sees it. The JSON API answers JSON.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

MESSAGE = "Podium's database is not answering; please try again in a minute."
RETRY_AFTER = "60"  # seconds, for clients and crawlers
LONG_VALUE = 200  # characters from which a posted value is shown in a text box, not hidden


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "The database did not answer %s %s: %s",
            request.method,
            request.path,
            str(exception).strip().split("\n", 1)[0],
        )
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            response = JsonResponse({"detail": MESSAGE}, status=503)
        else:
            page = render_to_string(
                "503.html",
                {
                    "message": MESSAGE,
                    "action": request.get_full_path(),
                    "fields": posted_fields(request),
                },
            )
            response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = RETRY_AFTER
        response["Cache-Control"] = "no-store"  # it holds what was posted; and it will pass
        return response


def posted_fields(request) -> list[dict]:
    """What a POST sent, to be sent again: long or multi-line values in text boxes (the pasted
    text), the rest hidden (choices, the CSRF token); passwords are left out."""
    if request.method != "POST":
        return []
    fields = []
    for name, values in request.POST.lists():
        if "password" in name.lower():
            continue
        for value in values:
            shown = name != "csrfmiddlewaretoken" and ("\n" in value or len(value) >= LONG_VALUE)
            fields.append({"name": name, "value": value, "shown": shown})
    return fields
