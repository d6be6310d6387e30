from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from conferences.public.sitemaps import SITEMAPS
from conferences.public.views import healthz, robots_txt

urlpatterns = [
    path(settings.PODIUM_ADMIN_URL, admin.site.urls),  # "admin/" unless PODIUM_ADMIN_URL says
    # An index of one sitemap per section, each paginated (10,000 URLs a page).
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),  # load balancers, and the floor of `make bench`
    path("api/v1/", include("conferences.api.urls")),
    path("", include("conferences.urls")),
]
