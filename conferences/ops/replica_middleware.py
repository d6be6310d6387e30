"""Marks a public read, which conferences/ops/routers.py may send to a read replica.

A public read is a GET or HEAD outside the admin (settings.PODIUM_ADMIN_URL) from a visitor who
is not signed in (no session cookie): the public pages, the feeds, the exports and the JSON API,
which is read-only and anonymous. A POST, the admin, and any request of a signed-in editor read
from the primary, so that an editor sees at once what they just saved or published.

A streaming answer (the CSV and JSON exports) reads its rows after the view has returned: each
chunk is produced under the same mark, so the export reads from the replica the request began on.
"""

from django.conf import settings

from . import routers


def is_public_read(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.lstrip("/").startswith(settings.PODIUM_ADMIN_URL):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class PublicReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not routers.replicas() or not is_public_read(request):
            return self.get_response(request)
        token = routers.begin_public_read()
        public = routers.current_public_read()
        try:
            response = self.get_response(request)
        finally:
            routers.end_public_read(token)
        if response.streaming and not response.is_async:
            response.streaming_content = _under(public, response.streaming_content)
        return response


def _under(public, chunks):
    """Produce each chunk with `public` as the current request's mark, and only then."""
    chunks = iter(chunks)
    while True:
        token = routers.resume_public_read(public)
        try:
            chunk = next(chunks, None)
        finally:
            routers.end_public_read(token)
        if chunk is None:
            return
        yield chunk
