from django.urls import path

from .public import exports, feeds, views

app_name = "conferences"

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statements"),
    # One URL per format of public/exports.py: a new format there is served here at once.
    *(
        path(f"statements/export.{name}", views.statement_export, {"format": name}, name="export")
        for name in exports.FORMATS
    ),
    path("statements/feed/", feeds.filtered_feed, name="statements-feed"),
    path("feeds/statements/", feeds.latest_feed, name="feed"),
    path("s/<str:public_id>/", views.statement_detail, name="statement"),
    # Before the redirect below, which would otherwise take "card.png" for a cosmetic suffix.
    path("s/<str:public_id>/card.png", views.statement_card, name="card"),
    path("s/<str:public_id>/<path:rest>", views.statement_redirect, name="statement-redirect"),
    path("conferences/", views.conference_list, name="conferences"),
    path(
        "conferences/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.conference_detail,
        name="conference",
    ),
    # The page a source's text was fetched from, as fetched (its SHA-256 on the statement page).
    path("sources/<int:pk>/snapshot/", views.source_snapshot, name="source-snapshot"),
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("speakers/<slug:slug>/feed/", feeds.speaker_feed, name="speaker-feed"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/feed/", feeds.topic_feed, name="topic-feed"),
    path("countries/<str:code>/feed/", feeds.country_feed, name="country-feed"),
]
