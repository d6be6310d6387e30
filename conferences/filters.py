"""The one FilterSet for statements: the list page, and later the exports and the API.

Every query-string value passes through its form first, so a bad value is a form error, never
an exception.
"""

import django_filters
from django import forms
from django.db.models import Case, F, FloatField, Value, When
from django_countries import countries

from .models import Conference, Organization, Speaker, Statement, Topic

# The largest primary key any database here stores; larger numbers are simply unknown ids
# (SQLite would otherwise raise OverflowError inside the lookup).
MAX_ID = 2**63 - 1


def _too_big(value) -> bool:
    try:
        return not 0 < int(str(value).strip()) <= MAX_ID
    except ValueError:
        return False  # not a number: the field's own message says so


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if _too_big(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _too_big(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = BoundedModelMultipleChoiceField


class IdFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


# Relevance ranks at most this many matches: the newest ones (by id, which an index gives in
# order); the other matches follow them, newest first. Ranking needs each text's tsvector, computed
# per row (about 60 µs at 200 words): every match of a word found in a fifth of a million
# statements took 20 s to rank. Below this many matches the order is exactly by relevance.
RANK_WINDOW = 500

SORTS = [("newest", "Newest first"), ("oldest", "Oldest first"), ("relevance", "Most relevant")]

ORDERINGS = {
    "newest": ("-conference__date", "-conference_id", "sequence"),
    "oldest": ("conference__date", "conference_id", "sequence"),
}


class StatementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search the words")
    # distinct=False: a statement has one speaker, so the join cannot repeat rows.
    speaker = IdsFilter(queryset=Speaker.objects.all(), distinct=False)
    country = django_filters.ChoiceFilter(
        field_name="speaker__country", choices=countries, label="Speaker's country"
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="conference__host",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        label="Host organisation",
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        method="filter_topic",
        label="Topic (with its sub-topics)",
    )
    conference = IdFilter(queryset=Conference.objects.published())
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices)
    fidelity = django_filters.ChoiceFilter(choices=Statement.Fidelity.choices)
    date_from = django_filters.DateFilter(
        field_name="conference__date", lookup_expr="gte", label="From"
    )
    date_to = django_filters.DateFilter(
        field_name="conference__date", lookup_expr="lte", label="To"
    )
    year = django_filters.NumberFilter(
        field_name="conference__date__year", min_value=1900, max_value=2100
    )
    sort = django_filters.ChoiceFilter(choices=SORTS, method="keep", label="Order")

    class Meta:
        model = Statement
        fields = []

    ranked_window = None  # set when ordering by relevance: the ranked window's queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_topic(self, queryset, name, topic):
        return queryset.for_topic(topic)

    def keep(self, queryset, name, value):
        return queryset  # ordering is applied last, in filter_queryset

    def error_messages(self) -> dict[str, list[str]]:
        """The query string's problems by field, as plain text (for 400 answers of every kind)."""
        return {name: [str(text) for text in texts] for name, texts in self.errors.items()}

    @property
    def searching(self) -> bool:
        self.form.is_valid()  # validates once; cleaned_data then holds the valid fields
        return bool((self.form.cleaned_data.get("q") or "").strip())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or ("relevance" if self.searching else "newest")
        if sort == "relevance" and self.searching:
            window = queryset.order_by("-pk").values("pk")[:RANK_WINDOW]
            # The first RANK_WINDOW places of the order below are exactly the window's matches:
            # a page among them is read from the window alone (see statement_list).
            self.ranked_window = queryset.filter(pk__in=window).order_by(
                "-search_rank", *ORDERINGS["newest"]
            )
            relevance = Case(
                When(pk__in=window, then=F("search_rank")),
                default=Value(-1.0),
                output_field=FloatField(),
            )
            return queryset.alias(relevance=relevance).order_by("-relevance", *ORDERINGS["newest"])
        return queryset.order_by(*ORDERINGS.get(sort, ORDERINGS["newest"]))
