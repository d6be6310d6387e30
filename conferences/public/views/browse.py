"""Browsing: the home page, conferences, speakers and topics."""

import datetime

from django.db.models import Count, Max, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from ...editorial import permalinks
from ...models import Conference, Speaker, Statement, Topic
from ...models.lists import published_statements, with_roles
from ...ops import caching
from ..charts import monthly_counts, timeline

PUBLISHED = Conference.published_q("statements__conference")


def speakers_with_counts():
    return (
        Speaker.objects.annotate(n=Count("statements", filter=PUBLISHED))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )


def topics_with_counts():
    """Topics with the number of published statements on them, sub-topics included."""
    return Topic.objects.annotate(n=Statement.objects.published().count_for_topic()).order_by(
        "name"
    )


@caching.cached_page
def home(request):
    context = {
        "conferences": Conference.objects.published().select_related("host")[:10],
        "topics": topics_with_counts().filter(n__gt=0).order_by("-n", "name")[:12],
        "speakers": speakers_with_counts()[:12],
    }
    return render(request, "conferences/home.html", context)


@caching.cached_page
def conference_list(request):
    published = Conference.objects.published()
    years = list(
        published.annotate(y=ExtractYear("date"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    # Only a year that has conferences is a choice; anything else shows the latest year.
    known = {str(y): y for y, _ in years}
    year = known.get(request.GET.get("year", ""), years[0][0] if years else None)
    conferences = (
        (published.filter(date__year=year) if year else published.none())
        .select_related("host")
        .annotate(n=Count("statements"))
        .order_by("-date", "title")
    )
    context = {"years": years, "year": year, "conferences": conferences}
    return render(request, "conferences/conference_list.html", context)


def transcript(conference) -> list:
    """The statements of `conference` in order, as its page shows them, in two queries: the
    rows with their speakers, then the speakers' roles. Each speaker is one object however many
    times it speaks (its roles attached once), the conference is the one loaded already, and only
    the columns the transcript shows are read."""
    rows = list(
        conference.statements.select_related("speaker")
        .only("conference", "public_id", "text", "kind", "speaker__name", "speaker__slug")
        .order_by("sequence")
    )
    speakers = {}
    for row in rows:
        row.speaker = speakers.setdefault(row.speaker_id, row.speaker)
    prefetch_related_objects(list(speakers.values()), "roles")
    return rows


@caching.cached_page
def conference_detail(request, year, month, day, slug):
    try:
        date = datetime.date(year, int(month), int(day))
    except (ValueError, OverflowError) as exc:  # OverflowError: a number past C's long
        raise Http404("No such date.") from exc
    try:
        conference = Conference.objects.published().select_related("host").get(date=date, slug=slug)
    except Conference.DoesNotExist:
        moved = permalinks.moved_conference(date, slug)
        if moved is None:
            raise Http404("No such conference.") from None
        return redirect(moved, permanent=True)  # the URL it had before its date or slug changed
    statements = with_roles(transcript(conference))
    participants = {}
    for statement in statements:
        participants.setdefault(statement.speaker.pk, (statement.speaker, statement.role))
    topics = (
        Topic.objects.filter(statements__conference=conference)
        .annotate(n=Count("statements"))
        .order_by("-n", "name")
    )
    context = {
        "conference": conference,
        "statements": statements,
        "participants": list(participants.values()),
        "sources": conference.sources.select_related("outlet").defer("text"),
        "topics": topics,
    }
    return render(request, "conferences/conference_detail.html", context)


@caching.cached_page
def speaker_list(request):
    speakers = speakers_with_counts().annotate(
        last=Max("statements__conference__date", filter=PUBLISHED)
    )
    return render(request, "conferences/speaker_list.html", {"speakers": speakers})


@caching.cached_page
def speaker_detail(request, slug):
    speaker = get_object_or_404(speakers_with_counts().select_related("organization"), slug=slug)
    statements = published_statements().filter(speaker=speaker)
    top_topics = (
        Topic.objects.filter(statements__in=statements.values("pk"))
        .annotate(n=Count("statements"))
        .order_by("-n", "name")[:10]
    )
    context = {
        "speaker": speaker,
        "roles": speaker.roles.select_related("organization").order_by("-started_on"),
        "statements": with_roles(statements.order_by("-conference__date", "sequence")[:10]),
        "top_topics": top_topics,
        "timeline": timeline(monthly_counts(statements)),
    }
    return render(request, "conferences/speaker_detail.html", context)


@caching.cached_page
def topic_list(request):
    return render(request, "conferences/topic_list.html", {"topics": topics_with_counts()})


@caching.cached_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    children = list(topic.children.all())
    statements = published_statements().for_topic(topic)
    in_topic = Statement.objects.filter(pk__in=statements.values("pk"))
    speakers = (
        Speaker.objects.filter(statements__in=in_topic)
        .annotate(n=Count("statements"))
        .order_by("-n", "name")[:10]
    )
    context = {
        "topic": topic,
        "children": children,
        "statements": with_roles(statements.order_by("-conference__date", "sequence")[:25]),
        "count": in_topic.count(),
        "speakers": speakers,
        "timeline": timeline(monthly_counts(in_topic)),
    }
    return render(request, "conferences/topic_detail.html", context)
