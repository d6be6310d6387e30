from django.urls import path

from . import views

app_name = "conferences"

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statements"),
    path("s/<str:public_id>/", views.statement_detail, name="statement"),
    path("s/<str:public_id>/<path:rest>", views.statement_redirect, name="statement-redirect"),
    path("conferences/", views.conference_list, name="conferences"),
    path(
        "conferences/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.conference_detail,
        name="conference",
    ),
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
]
