"""Error pages and the log line of every 5xx, with DEBUG off (as pytest-django runs Django).

This module is also the URLconf of its tests: Podium's own URLs plus views that fail on purpose.
"""

import io
import json
import logging
import re
import sys

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from config.urls import urlpatterns as podium_urlpatterns

SECRET = "card 4111 in the connection string"


def boom(request):
    raise ValueError(f"the archive exploded: {SECRET}")


def forbidden(request):
    raise PermissionDenied(f"internal rule 7: {SECRET}")


def suspicious(request):
    raise SuspiciousOperation(f"tampered: {SECRET}")


def unavailable(request):
    return HttpResponse("down for maintenance", status=503)


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("unavailable/", unavailable),
    *podium_urlpatterns,
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

STYLESHEET = '<link rel="stylesheet" href="/static/css/podium.css">'
NOINDEX = '<meta name="robots" content="noindex">'


@pytest.fixture
def anyone():
    """A client that gets the error page instead of the view's exception."""
    return Client(raise_request_exception=False)


def html_of(response):
    return response.content.decode()


def assert_nothing_leaks(html):
    for leak in (SECRET, "Traceback", "ValueError", "PermissionDenied", "SuspiciousOperation"):
        assert leak not in html


def test_a_failing_view_answers_500_with_the_standalone_page_and_no_details(
    anyone, django_assert_num_queries
):
    with django_assert_num_queries(0):  # the page itself needs no database
        response = anyone.get("/boom/")
    html = html_of(response)
    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert [t.name for t in response.templates] == ["500.html", "standalone.html"]
    assert "<title>Server error · Podium</title>" in html
    assert "<h1>Server error</h1>" in html
    assert (
        "<p>Something went wrong on Podium's side and this page could not be shown. The error "
        "has been recorded for the people who run Podium. Please try again in a few minutes.</p>"
    ) in html
    assert STYLESHEET in html
    assert NOINDEX in html
    assert html.startswith("<!doctype html>\n")
    assert "script-src 'self'" in response["Content-Security-Policy"].split("; ")
    assert_nothing_leaks(html)


def test_an_unknown_address_answers_404_with_the_site_page(anyone):
    response = anyone.get("/no-such-page/")
    html = html_of(response)
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    assert "<title>Page not found · Podium</title>" in html
    assert "<h1>Page not found</h1>" in html
    assert (
        "<p>There is no page at <code>/no-such-page/</code>. The address may be mistyped, or "
        "what it named is not published.</p>"
    ) in html
    assert f'<li><a href="{reverse("conferences:speakers")}">Speakers</a></li>' in html
    assert "script-src 'self'" in response["Content-Security-Policy"].split("; ")
    assert STYLESHEET in html
    assert NOINDEX in html


def test_a_404_raised_by_a_view_does_not_show_its_message(anyone):
    response = anyone.get("/conferences/2024/13/40/no-such-briefing/")
    html = html_of(response)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert "No such date" not in html


def test_a_refused_view_answers_403_without_the_reason(anyone):
    response = anyone.get("/forbidden/")
    html = html_of(response)
    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403.html", "base.html"]
    assert "<h1>Forbidden</h1>" in html
    assert (
        "<p>You may not open this page or make this change. If you are an editor, ask whoever "
        "runs Podium for the right, or log in with an account that has it.</p>"
    ) in html
    assert_nothing_leaks(html)


def test_a_suspicious_request_answers_400_with_the_site_page(anyone):
    response = anyone.get("/suspicious/")
    html = html_of(response)
    assert response.status_code == 400
    assert [t.name for t in response.templates][:2] == ["400.html", "base.html"]
    assert "<h1>Bad request</h1>" in html
    assert (
        "<p>Podium could not understand this request, so it did nothing with it. If you "
        "followed a link or typed the address, check it; if you sent a form, go back and send "
        "it again.</p>"
    ) in html
    assert_nothing_leaks(html)


def test_an_unknown_host_answers_400_with_the_site_page(anyone):
    response = anyone.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in html_of(response)


CSRF_INTRO = (
    "<p>Podium accepts a form only from one of its own pages, a protection against forged "
    "requests. This form failed that check, so nothing was saved.</p>"
)
KEEP_TYPING = (
    "<p>To keep what you typed: go back, copy it, reload the page, paste it and send the form "
    "again.</p>"
)


def test_a_post_without_the_csrf_cookie_gets_the_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "x"})
    html = html_of(response)
    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403_csrf.html", "base.html"]
    assert "<title>The form could not be sent · Podium</title>" in html
    assert "<h1>The form could not be sent</h1>" in html
    assert CSRF_INTRO in html
    assert (
        "<p>Your browser did not send Podium's security cookie. Allow cookies for this site, "
        "then open the form again.</p>"
    ) in html
    assert KEEP_TYPING in html


def test_a_post_with_a_stale_csrf_token_gets_the_csrf_page():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("admin:login"))  # sets the CSRF cookie
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "x", "csrfmiddlewaretoken": "x" * 64},
    )
    html = html_of(response)
    assert response.status_code == 403
    assert CSRF_INTRO in html
    assert (
        "<p>The page with the form was probably too old, for example after logging in again "
        "in another tab.</p>"
    ) in html
    assert "security cookie" not in html
    assert KEEP_TYPING in html


def test_an_https_post_without_origin_or_referer_gets_the_referer_advice():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("admin:login"), secure=True)
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "x", "csrfmiddlewaretoken": token},
        secure=True,
    )
    html = html_of(response)
    assert response.status_code == 403
    assert CSRF_INTRO in html
    assert (
        "<p>Your browser did not say which page the form came from (the Referer header). If a "
        "setting or an extension removes it, allow it for this site.</p>"
    ) in html
    assert "probably too old" not in html


# The log ---------------------------------------------------------------------------------------


def handler_named(logger, name):
    (handler,) = [handler for handler in logger.handlers if handler.name == name]
    return handler


@pytest.fixture
def log_lines():
    """What django.request's handler (config/logs.py's JSON) and the root handler (plain text)
    write, each into a buffer instead of stdout, during the test."""
    json_handler = handler_named(logging.getLogger("django.request"), "stdout_json")
    root_handler = handler_named(logging.getLogger(), "stdout")
    buffers = {"json": io.StringIO(), "plain": io.StringIO()}
    before = {
        "json": json_handler.setStream(buffers["json"]),
        "plain": root_handler.setStream(buffers["plain"]),
    }
    yield buffers
    json_handler.setStream(before["json"])
    root_handler.setStream(before["plain"])


TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00")


def test_a_500_writes_one_json_line_with_the_traceback(anyone, log_lines):
    assert anyone.get("/boom/?page=2").status_code == 500

    written = log_lines["json"].getvalue()
    assert written.count("\n") == 1 and written.endswith("\n")
    entry = json.loads(written)
    assert TIME.fullmatch(entry.pop("time"))
    traceback = entry.pop("traceback")
    assert entry == {
        "level": "ERROR",
        "logger": "django.request",
        "message": "Internal Server Error: /boom/",
        "status_code": 500,
        "method": "GET",
        "path": "/boom/",
        "query": "page=2",
        "exception_type": "ValueError",
        "exception_message": f"the archive exploded: {SECRET}",
    }
    assert traceback.startswith("Traceback (most recent call last):\n")
    assert 'raise ValueError(f"the archive exploded: {SECRET}")' in traceback
    assert traceback.endswith(f"ValueError: the archive exploded: {SECRET}\n")
    # Once: not also as a plain line through the root logger.
    assert log_lines["plain"].getvalue() == ""


def test_a_5xx_answered_without_an_exception_is_logged_too(anyone, log_lines):
    assert anyone.post("/unavailable/").status_code == 503

    entry = json.loads(log_lines["json"].getvalue())
    del entry["time"]
    assert entry == {
        "level": "ERROR",
        "logger": "django.request",
        "message": "Service Unavailable: /unavailable/",
        "status_code": 503,
        "method": "POST",
        "path": "/unavailable/",
        "query": "",
        "exception_type": None,
        "exception_message": None,
        "traceback": None,
    }


def test_a_4xx_is_a_json_warning_line(anyone, log_lines):
    assert anyone.get("/no-such-page/").status_code == 404

    entry = json.loads(log_lines["json"].getvalue())
    assert (entry["level"], entry["message"], entry["status_code"], entry["traceback"]) == (
        "WARNING",
        "Not Found: /no-such-page/",
        404,
        None,
    )


class ArchiveMeltdown(Exception):
    pass


def test_a_line_stays_one_line_and_ascii_whatever_the_exception_says():
    from config.logs import JsonFormatter

    try:
        raise ArchiveMeltdown("line one\nline two \u2028 «quoted»")
    except ArchiveMeltdown:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "Boom", (), exc_info=sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert line.isascii()
    entry = json.loads(line)
    assert entry["exception_type"] == "tests.ops.test_error_pages.ArchiveMeltdown"
    assert entry["exception_message"] == "line one\nline two \u2028 «quoted»"
    assert entry["traceback"].endswith(
        "tests.ops.test_error_pages.ArchiveMeltdown: line one\nline two \u2028 «quoted»\n"
    )
    assert (entry["status_code"], entry["method"], entry["path"], entry["query"]) == (
        None,
        None,
        None,
        None,
    )
