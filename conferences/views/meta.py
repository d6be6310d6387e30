"""Files for crawlers: robots.txt (sitemap.xml is Django's, see config/urls.py)."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# The query feeds and exports repeat what the pages and the sitemap already list.
DISALLOWED = ["/admin/", "/statements/feed/", "/statements/export"]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
