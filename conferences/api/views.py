"""Read-only endpoints: statements, conferences, speakers, topics and organisations.

Each list runs a fixed number of queries whatever its length: the page, its count, the newest
`updated_at` for Last-Modified, one prefetch per related list (roles, topics), and for
conferences the count of the page's own statements."""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from ..models import Conference, Organization, Role, Speaker, Statement, Topic
from ..models.lists import published_statements, with_roles
from . import serializers
from .filtering import StatementFilterBackend
from .http import ConditionalGetMixin, Pagination, newest


def newest_change(statements):
    """The newest `updated_at` among `statements` and their conferences, or None."""
    latest = statements.order_by().aggregate(
        statement=Max("updated_at"), conference=Max("conference__updated_at")
    )
    return newest(latest["statement"], latest["conference"])


class ArchiveViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """A list filtered by the statement filters, and a detail; both answer conditional GETs."""

    pagination_class = Pagination
    filter_backends = [StatementFilterBackend]
    matching = None  # the published statements the query string selects; set by the backend

    def statement_queryset(self, queryset):
        """The statements the StatementFilter filters for this view."""
        return Statement.objects.published()

    def restrict(self, queryset, matching, filtered: bool):
        """This view's rows given the matching statements (`filtered`: the query string
        filters statements, not only orders them)."""
        raise NotImplementedError

    def list_modified(self, queryset):
        # No Last-Modified on lists: unpublishing or deleting the newest rows would move it
        # backwards and If-Modified-Since would answer 304 with a stale list. The ETag (a hash
        # of the body) is exact, so lists revalidate with If-None-Match only.
        return None

    def object_modified(self, obj):
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self.last_modified = self.list_modified(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.last_modified = self.object_modified(obj)
        return Response(self.get_serializer(obj).data)


def count_matching(relation: str, matching, filtered: bool):
    """Annotate `statements_count` (matching statements through `relation`); with a filter,
    keep only rows that have some."""
    pks = matching.order_by().values("pk")
    counted = Count(relation, filter=Q(**{f"{relation}__in": pks}), distinct=True)

    def apply(queryset, always: bool = False):
        queryset = queryset.annotate(statements_count=counted)
        return queryset.filter(statements_count__gt=0) if filtered or always else queryset

    return apply


@extend_schema_view(
    list=extend_schema(summary="Statements, filtered and ordered as on /statements/"),
    retrieve=extend_schema(summary="One published statement by its public id"),
)
class StatementViewSet(ArchiveViewSet):
    serializer_class = serializers.StatementSerializer
    lookup_field = "public_id"
    queryset = Statement.objects.none()  # for the schema; get_queryset is what runs

    def get_queryset(self):
        return published_statements().select_related("source__outlet").prefetch_related("topics")

    def statement_queryset(self, queryset):
        return queryset

    def restrict(self, queryset, matching, filtered):
        return matching

    def paginate_queryset(self, queryset):
        return with_roles(super().paginate_queryset(queryset))

    def get_object(self):
        return with_roles([super().get_object()])[0]

    def object_modified(self, statement):
        return newest(statement.updated_at, statement.conference.updated_at)


@extend_schema_view(
    list=extend_schema(
        summary="Published conferences; with statement filters, those with matching statements"
    ),
    retrieve=extend_schema(summary="One published conference"),
)
class ConferenceViewSet(ArchiveViewSet):
    serializer_class = serializers.ConferenceSerializer
    queryset = Conference.objects.none()

    def get_queryset(self):
        return Conference.objects.published().select_related("host")

    def restrict(self, queryset, matching, filtered):
        if filtered:
            queryset = queryset.filter(Exists(matching.filter(conference=OuterRef("pk"))))
        return queryset.order_by("-date", "title", "pk")

    def paginate_queryset(self, queryset):
        return self.counted(super().paginate_queryset(queryset))

    def get_object(self):
        return self.counted([super().get_object()])[0]

    def counted(self, conferences: list) -> list:
        """`conferences` with `statements_count`, their matching statements, counted in one
        query over these conferences' statements only: counting every conference's before
        paging took seconds at a million statements, and grew with the archive."""
        counts = dict(
            self.matching.filter(conference__in=[conference.pk for conference in conferences])
            .order_by()
            .values_list("conference")
            .annotate(n=Count("pk", distinct=True))
        )
        for conference in conferences:
            conference.statements_count = counts.get(conference.pk, 0)
        return conferences

    def object_modified(self, conference):
        statements = Statement.objects.published().filter(conference=conference)
        return newest(conference.updated_at, newest_change(statements))


@extend_schema_view(
    list=extend_schema(summary="Speakers with published statements matching the filters"),
    retrieve=extend_schema(summary="One speaker with at least one published statement"),
)
class SpeakerViewSet(ArchiveViewSet):
    serializer_class = serializers.SpeakerSerializer
    lookup_field = "slug"
    queryset = Speaker.objects.none()

    def get_queryset(self):
        roles = Role.objects.select_related("organization").order_by("-started_on", "-pk")
        return Speaker.objects.prefetch_related(Prefetch("roles", queryset=roles))

    def restrict(self, queryset, matching, filtered):
        counted = count_matching("statements", matching, filtered)(queryset, always=True)
        return counted.order_by("name", "pk")

    def object_modified(self, speaker):
        return newest_change(Statement.objects.published().filter(speaker=speaker))


@extend_schema_view(
    list=extend_schema(
        summary="All topics; with statement filters, those tagged on matching statements"
    ),
    retrieve=extend_schema(summary="One topic"),
)
class TopicViewSet(ArchiveViewSet):
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    queryset = Topic.objects.none()

    def get_queryset(self):
        return Topic.objects.select_related("parent")

    def restrict(self, queryset, matching, filtered):
        # A topic counts its sub-topics' statements too, as the topic filter and pages do.
        counted = queryset.annotate(statements_count=matching.count_for_topic())
        if filtered:
            counted = counted.filter(statements_count__gt=0)
        return counted.order_by("name", "pk")

    def object_modified(self, topic):
        return newest_change(Statement.objects.published().for_topic(topic))


@extend_schema_view(
    list=extend_schema(
        summary="All organisations; with statement filters, hosts of matching statements"
    ),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganizationViewSet(ArchiveViewSet):
    serializer_class = serializers.OrganizationSerializer
    lookup_field = "slug"
    queryset = Organization.objects.none()

    def get_queryset(self):
        return Organization.objects.all()

    def restrict(self, queryset, matching, filtered):
        relation = "hosted_conferences__statements"
        return count_matching(relation, matching, filtered)(queryset).order_by("name", "pk")

    def object_modified(self, organization):
        hosted = Statement.objects.published().filter(conference__host=organization)
        return newest_change(hosted)


class ApiRoot(APIView):
    """Where everything is: the five lists, the schema and the docs."""

    @extend_schema(exclude=True)
    def get(self, request):
        names = {
            "statements": "statement",
            "conferences": "conference",
            "speakers": "speaker",
            "topics": "topic",
            "organisations": "organization",
        }
        links = {key: reverse(f"api:{name}-list", request=request) for key, name in names.items()}
        links["schema"] = reverse("api:schema", request=request)
        links["docs"] = reverse("api:docs", request=request)
        return Response(links)
