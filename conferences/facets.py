"""Facet counts beside the filters, as Datasette shows them: one grouped query per facet."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django_countries import countries

from .models import Statement, Topic

FACET_SIZE = 12


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # the list with this option added (or removed, when selected)


@dataclass
class Facet:
    name: str
    title: str
    options: list[FacetOption]


def toggled(params: QueryDict, name: str, value: str, multiple: bool) -> str:
    """The query string with `name=value` switched on or off; the page starts again at 1."""
    params = params.copy()
    params.pop("page", None)
    current = params.getlist(name)
    if value in current:
        current.remove(value)
    elif multiple:
        current.append(value)
    else:
        current = [value]
    params.setlist(name, current)
    return "?" + params.urlencode()


def facets(filtered, params: QueryDict) -> list[Facet]:
    """Counts for speaker, topic, country, year and fidelity within the current filter."""
    base = Statement.objects.filter(pk__in=filtered.order_by().values("pk")).order_by()
    fidelity_labels = dict(Statement.Fidelity.choices)
    specs = [
        ("speaker", "Speaker", True, base.values_list("speaker", "speaker__name"), "speaker__name"),
        # A topic's count includes its sub-topics, as the topic filter does.
        (
            "topic",
            "Topic",
            False,
            Topic.objects.annotate(n=base.count_for_topic())
            .filter(n__gt=0)
            .values_list("slug", "name", "n"),
            "name",
        ),
        ("country", "Country", False, base.values_list("speaker__country"), "speaker__country"),
        (
            "year",
            "Year",
            False,
            base.annotate(y=ExtractYear("conference__date")).values_list("y"),
            "-y",
        ),
        ("fidelity", "Fidelity", False, base.values_list("fidelity"), "fidelity"),
    ]
    result = []
    for name, title, multiple, values, tiebreak in specs:
        if name != "topic":
            values = values.annotate(n=Count("pk"))
        rows = values.order_by("-n", tiebreak)[:FACET_SIZE]
        selected = set(params.getlist(name))
        options = []
        for row in rows:
            value, count = row[0], row[-1]
            if value in (None, ""):
                continue
            value = str(value)
            if name == "country":
                label = countries.name(value) or value
            elif name == "fidelity":
                label = fidelity_labels.get(value, value)
            elif name == "year":
                label = value
            else:
                label = row[1]
            options.append(
                FacetOption(
                    value, label, count, value in selected, toggled(params, name, value, multiple)
                )
            )
        result.append(Facet(name, title, options))
    return result
