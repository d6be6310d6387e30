"""The statement filters of /statements/ applied to every API list, through StatementFilter."""

import django_filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from ..filters import StatementFilter

# What the generated docs say about each parameter, beyond the filter's label.
DESCRIPTIONS = {
    "q": 'Full-text search (websearch syntax: words, "a phrase", -excluded, or). Adds a '
    "`snippet` to each statement and makes `relevance` the default order.",
    "speaker": "Speaker id; repeat the parameter for several speakers.",
    "country": "The speaker's country as an ISO 3166 alpha-2 code, e.g. NO.",
    "organization": "Slug of the organisation that hosted the conference.",
    "topic": "Topic slug; statements tagged with the topic or one of its sub-topics.",
    "conference": "Conference id.",
    "date_from": "Conferences on or after this date (YYYY-MM-DD).",
    "date_to": "Conferences on or before this date (YYYY-MM-DD).",
    "year": "Year of the conference.",
    "sort": "newest (default), oldest, or relevance (default when searching).",
}


def parameter_schema(name, statement_filter) -> dict:
    if isinstance(statement_filter, django_filters.ModelMultipleChoiceFilter):
        return {"type": "array", "items": {"type": "integer"}}
    if isinstance(statement_filter, django_filters.ModelChoiceFilter):
        by_slug = statement_filter.extra.get("to_field_name") == "slug"
        return {"type": "string"} if by_slug else {"type": "integer"}
    if isinstance(statement_filter, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(statement_filter, django_filters.NumberFilter):
        return {"type": "integer"}
    if isinstance(statement_filter, django_filters.ChoiceFilter) and name != "country":
        return {"type": "string", "enum": [value for value, _ in statement_filter.extra["choices"]]}
    return {"type": "string"}


def active(params) -> bool:
    """Whether the query string filters statements at all (an order alone does not)."""
    return any(
        value.strip()
        for name in StatementFilter.base_filters
        if name != "sort"
        for value in params.getlist(name)
    )


class StatementFilterBackend(BaseFilterBackend):
    """Runs the query string through StatementFilter; a bad value is a 400 naming the field.

    The view says which statements to filter (`statement_queryset`) and what the matching
    statements make of its own rows (`restrict`). Detail views filter nothing: they see every
    published statement, whatever the query string."""

    def filter_queryset(self, request, queryset, view):
        listing = getattr(view, "action", "list") == "list"
        data = request.query_params if listing else {}
        statement_filter = StatementFilter(data, queryset=view.statement_queryset(queryset))
        if not statement_filter.is_valid():
            raise ValidationError({"errors": statement_filter.error_messages()})
        view.matching = statement_filter.qs
        return view.restrict(queryset, view.matching, listing and active(request.query_params))

    def get_schema_operation_parameters(self, view):
        if getattr(view, "action", "list") != "list":
            return []
        parameters = []
        for name, statement_filter in StatementFilter.base_filters.items():
            label = str(statement_filter.label or name)
            parameter = {
                "name": name,
                "required": False,
                "in": "query",
                "description": f"{label}. {DESCRIPTIONS.get(name, '')}".strip(),
                "schema": parameter_schema(name, statement_filter),
            }
            if parameter["schema"]["type"] == "array":
                parameter.update(style="form", explode=True)
            parameters.append(parameter)
        return parameters
