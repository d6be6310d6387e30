"""Files for machines: robots.txt for crawlers (sitemap.xml is Django's, see config/urls.py) and
/healthz for load balancers and the benchmark (`make bench`)."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# The query feeds and exports repeat what the pages and the sitemap already list.
DISALLOWED = ["/statements/feed/", "/statements/export"]
# Everyone knows the default admin path, so naming it costs nothing; a custom one
# (PODIUM_ADMIN_URL) is not published here, where scanners read first. The admin's own pages
# ask robots not to index them either way (Django's <meta name="robots" content="NONE,...">).
WELL_KNOWN_ADMIN = "/admin/"


@require_GET
def robots_txt(request):
    admin = reverse("admin:index")
    disallowed = [*([admin] if admin == WELL_KNOWN_ADMIN else []), *DISALLOWED]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), "Allow: /", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    """Answers "ok" without touching the database: the process is up. Load balancers poll it;
    `make bench` measures it as the floor of the stack (gunicorn, Django and its middleware)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
