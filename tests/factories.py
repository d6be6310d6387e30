"""Fictional, clearly synthetic test data: never words of a real person."""

import datetime

import factory

from conferences.models import (
    Conference,
    Organization,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)
from conferences.text.ids import content_hash
from conferences.text.names import normalize_name


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Ministry of Synthetic Affairs {n}")
    slug = factory.Sequence(lambda n: f"ministry-of-synthetic-affairs-{n}")
    kind = Organization.Kind.MINISTRY


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Alva Quintero {n}")
    slug = factory.Sequence(lambda n: f"alva-quintero-{n}")
    kind = Speaker.Kind.OFFICIAL


class SpeakerAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpeakerAlias

    speaker = factory.SubFactory(SpeakerFactory)
    name = factory.LazyAttribute(lambda alias: alias.speaker.name)
    normalized = factory.LazyAttribute(lambda alias: normalize_name(alias.name))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    speaker = factory.SubFactory(SpeakerFactory)
    title = "Minister of Synthetic Affairs"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    title = factory.Sequence(lambda n: f"Briefing of the Norlandian ministry no. {n}")
    slug = factory.Sequence(lambda n: f"briefing-{n}")
    date = datetime.date(2024, 5, 17)
    place = "Port Aster"
    status = Conference.Status.PUBLISHED


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    conference = factory.SubFactory(ConferenceFactory)
    kind = SourceDocument.Kind.OFFICIAL_TRANSCRIPT
    text = factory.Sequence(lambda n: f"MS. DARROW: Good afternoon, number {n}.")
    content_hash = factory.LazyAttribute(lambda source: content_hash(source.text))


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    conference = factory.SubFactory(ConferenceFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Norlandia welcomes the synthetic accord, part {n}.")
    content_hash = factory.LazyAttribute(lambda statement: content_hash(statement.text))
