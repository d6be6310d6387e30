"""Public pages. Everything here reads through the published() QuerySets: drafts never leak."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Conference, Speaker, Statement, Topic


def _published_statements():
    return Statement.objects.published().select_related("speaker", "conference")


def home(request):
    conferences = Conference.objects.published().select_related("host")[:20]
    return render(request, "conferences/home.html", {"conferences": conferences})


def statement_detail(request, public_id):
    statement = get_object_or_404(
        _published_statements().select_related("source", "source__outlet"), public_id=public_id
    )
    role = statement.speaker.role_on(statement.conference.date)
    return render(
        request,
        "conferences/statement_detail.html",
        {"statement": statement, "role": role, "topics": statement.topics.all()},
    )


def conference_detail(request, year, month, day, slug):
    try:
        date = datetime.date(year, int(month), int(day))
    except ValueError as exc:
        raise Http404("No such date.") from exc
    conference = get_object_or_404(Conference.objects.published(), date=date, slug=slug)
    statements = conference.statements.select_related("speaker").prefetch_related("topics")
    return render(
        request,
        "conferences/conference_detail.html",
        {"conference": conference, "statements": statements},
    )


def speaker_detail(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
    statements = _published_statements().filter(speaker=speaker).order_by("-conference__date")
    if not statements.exists():
        # A speaker known only from drafts is not public yet.
        raise Http404("No published statements by this speaker.")
    return render(
        request,
        "conferences/speaker_detail.html",
        {"speaker": speaker, "statements": statements[:100]},
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    statements = _published_statements().filter(topics=topic).order_by("-conference__date")
    return render(
        request,
        "conferences/topic_detail.html",
        {"topic": topic, "statements": statements[:100]},
    )
