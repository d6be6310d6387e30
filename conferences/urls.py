from django.urls import path

from . import views

app_name = "conferences"

urlpatterns = [
    path("", views.home, name="home"),
    path("s/<str:public_id>/", views.statement_detail, name="statement"),
    path(
        "conferences/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.conference_detail,
        name="conference",
    ),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
]
