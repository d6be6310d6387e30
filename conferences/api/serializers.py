"""The API's field names: stable and documented (the help texts end up in /api/v1/docs/)."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Conference, Organization, Speaker, Statement


class Linked(serializers.Serializer):
    """Absolute links, built from the request, to pages and to API resources."""

    def absolute(self, path: str) -> str:
        return self.context["request"].build_absolute_uri(path)

    def api(self, name: str, key) -> str:
        return self.absolute(reverse(f"api:{name}-detail", args=[key]))

    def statements_of(self, **params) -> str:
        return self.absolute(f"{reverse('api:statement-list')}?{urlencode(params)}")


@extend_schema_field({"type": "string", "nullable": True, "description": "ISO 3166 code"})
class CountryCode(serializers.Field):
    """A country as its two-letter code, or null when not known."""

    def to_representation(self, value):
        return value.code or None


class StatementCount(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Published statements matching the statement filters of the query string "
            "(all published statements when there are none).",
        )
        super().__init__(read_only=True, **kwargs)


class SpeakerRef(Linked):
    """Who spoke."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    country = CountryCode()
    url = serializers.SerializerMethodField(help_text="The speaker's page.")
    api_url = serializers.SerializerMethodField()

    def get_url(self, speaker) -> str:
        return self.absolute(speaker.get_absolute_url())

    def get_api_url(self, speaker) -> str:
        return self.api("speaker", speaker.slug)


class ConferenceRef(Linked):
    """The conference a statement belongs to."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    place = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The conference's page.")
    api_url = serializers.SerializerMethodField()

    def get_url(self, conference) -> str:
        return self.absolute(conference.get_absolute_url())

    def get_api_url(self, conference) -> str:
        return self.api("conference", conference.pk)


class TopicRef(serializers.Serializer):
    """A topic a statement is tagged with."""

    slug = serializers.CharField()
    name = serializers.CharField()


class OrganizationRef(Linked):
    """An organisation, in short."""

    slug = serializers.CharField()
    name = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, organization) -> str:
        return self.api("organization", organization.slug)


class Source(serializers.Serializer):
    """Where the words were taken from."""

    url = serializers.SerializerMethodField(help_text="Where the source was published.")
    outlet = serializers.SerializerMethodField(help_text="Who published it.")
    via = serializers.SerializerMethodField(help_text="Who the outlet relayed it from.")

    def get_url(self, source) -> str | None:
        return source.url or None

    def get_outlet(self, source) -> str | None:
        return source.outlet.name if source.outlet_id else None

    def get_via(self, source) -> str | None:
        return source.via or None


class StatementSerializer(Linked):
    """One statement: what was said, by whom, when and where it was published."""

    public_id = serializers.CharField(help_text="Short opaque id; never changed or reused.")
    url = serializers.SerializerMethodField(help_text="The permalink, /s/<public_id>/.")
    api_url = serializers.SerializerMethodField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=Statement.Kind.choices)
    fidelity = serializers.ChoiceField(
        choices=Statement.Fidelity.choices, help_text="How close the text is to the words spoken."
    )
    sequence = serializers.IntegerField(help_text="Order within the conference, from 1.")
    label = serializers.CharField(help_text="The speaker label or attribution as printed.")
    speaker = SpeakerRef()
    role = serializers.SerializerMethodField(help_text="The speaker's title on that day.")
    conference = ConferenceRef()
    topics = TopicRef(many=True)
    source = Source(allow_null=True)
    snippet = serializers.SerializerMethodField(
        help_text="With `q`: the matching passage as HTML, escaped, each match in <mark>."
    )

    def get_url(self, statement) -> str:
        return self.absolute(statement.get_absolute_url())

    def get_api_url(self, statement) -> str:
        return self.api("statement", statement.public_id)

    def get_role(self, statement) -> str | None:
        return statement.role.title if statement.role else None

    def get_snippet(self, statement) -> str | None:
        return str(statement.snippet) if statement.snippet else None


class ConferenceSerializer(ConferenceRef):
    """A published conference."""

    slug = serializers.CharField()
    country = CountryCode()
    kind = serializers.ChoiceField(choices=Conference.Kind.choices)
    language = serializers.CharField(help_text="Original language code.")
    host = OrganizationRef(allow_null=True)
    statements_count = StatementCount()
    statements_api_url = serializers.SerializerMethodField()

    def get_statements_api_url(self, conference) -> str:
        return self.statements_of(conference=conference.pk)


class RoleSerializer(serializers.Serializer):
    """A dated post of a speaker."""

    title = serializers.CharField()
    organization = serializers.SerializerMethodField()
    country = CountryCode()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True, help_text="Null while the post is held.")

    def get_organization(self, role) -> str | None:
        return role.organization.name if role.organization_id else None


class SpeakerSerializer(SpeakerRef):
    """A speaker with at least one published statement."""

    kind = serializers.ChoiceField(choices=Speaker.Kind.choices)
    roles = RoleSerializer(many=True, help_text="Dated posts, latest first.")
    statements_count = StatementCount()
    statements_api_url = serializers.SerializerMethodField()

    def get_statements_api_url(self, speaker) -> str:
        return self.statements_of(speaker=speaker.pk)


class TopicSerializer(Linked, TopicRef):
    """A topic; `parent` is the broader one."""

    id = serializers.IntegerField()
    description = serializers.CharField()
    parent = serializers.SerializerMethodField(help_text="Slug of the broader topic.")
    url = serializers.SerializerMethodField(help_text="The topic's page.")
    api_url = serializers.SerializerMethodField()
    statements_count = StatementCount(
        help_text="Published statements tagged with this very topic that match the statement "
        "filters of the query string."
    )
    statements_api_url = serializers.SerializerMethodField(
        help_text="Its statements, sub-topics included."
    )

    def get_parent(self, topic) -> str | None:
        return topic.parent.slug if topic.parent_id else None

    def get_url(self, topic) -> str:
        return self.absolute(topic.get_absolute_url())

    def get_api_url(self, topic) -> str:
        return self.api("topic", topic.slug)

    def get_statements_api_url(self, topic) -> str:
        return self.statements_of(topic=topic.slug)


class OrganizationSerializer(OrganizationRef):
    """A ministry, international body or media outlet."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Organization.Kind.choices)
    country = CountryCode()
    website = serializers.SerializerMethodField(help_text="The organisation's own website.")
    statements_count = StatementCount(
        help_text="Published statements at conferences it hosted that match the statement "
        "filters of the query string."
    )
    statements_api_url = serializers.SerializerMethodField()

    def get_website(self, organization) -> str | None:
        return organization.url or None

    def get_statements_api_url(self, organization) -> str:
        return self.statements_of(organization=organization.slug)
