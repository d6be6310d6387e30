"""What was said: conferences, their source documents, statements and topics."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

# The migrations name conferences.models.archive.new_public_id: it must stay importable here.
from ..text.ids import PUBLIC_ID_LENGTH, new_public_id
from .people import Organization, Speaker

# Only web addresses become links on the public pages: a javascript:, data: or vbscript: URL would
# run in the reader's browser, and ftp:, mailto: or file: ones are no source a reader can open.
URL_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+\-]*):")
WEB_URL_MESSAGE = (
    "Enter a web address starting with http:// or https://; “%(scheme)s:” addresses are refused."
)


@deconstructible
class WebURLValidator(URLValidator):
    """Django's URLValidator for http(s) addresses only. Another scheme is refused with a message
    that names it; a malformed address keeps Django's "Enter a valid URL."."""

    def __init__(self):
        super().__init__(schemes=["http", "https"])

    def __call__(self, value):
        found = URL_SCHEME.match(value) if isinstance(value, str) else None
        if found and found[1].lower() not in self.schemes:
            scheme = found[1].lower()
            raise ValidationError(WEB_URL_MESSAGE, code="scheme", params={"scheme": scheme})
        super().__call__(value)


validate_web_url = WebURLValidator()


class WebURLFormField(forms.URLField):
    """A form's URL field that accepts http(s) addresses only."""

    default_validators = [validate_web_url]


class WebURLField(models.URLField):
    """A URLField for http(s) addresses only: refused in model validation (full_clean) and in
    every form made from the model. Django's own URLField also takes ftp(s)."""

    default_validators = [validate_web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})


class TopicQuerySet(models.QuerySet):
    def family(self, topic):
        """`topic` and its sub-topics: the one rule of what "statements on a topic" means,
        everywhere (pages, filters, counts, feeds, the API, the sitemap). `topic` is a Topic, its
        pk or an OuterRef to one. (The topic facet applies the same rule in grouped SQL:
        conferences/public/facets.py, topic_counts.)"""
        if isinstance(topic, models.Model):
            topic = topic.pk
        return self.filter(models.Q(pk=topic) | models.Q(parent=topic))


class Topic(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A broader topic; keep the hierarchy shallow.",
    )
    keywords = models.TextField(
        blank=True,
        help_text="Words or phrases, one per line, that suggest this topic when importing.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conferences:topic", kwargs={"slug": self.slug})

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]

    history = HistoricalRecords()


class ConferenceQuerySet(models.QuerySet):
    def published(self):
        """Public now: the one gate for everything a reader sees."""
        return self.filter(Conference.published_q())

    def editable(self):
        """Still open to Editors (draft or in review); the rest needs the publish permission."""
        return self.filter(status__in=Conference.EDITABLE_STATUSES)


class Conference(models.Model):
    class Kind(models.TextChoices):
        PRESS_CONFERENCE = "press_conference", "Press conference"
        BRIEFING = "briefing", "Briefing"
        JOINT_PRESS_CONFERENCE = "joint_press_conference", "Joint press conference"
        INTERVIEW = "interview", "Interview"
        STATEMENT = "statement", "Statement to the press"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # What Editors may still change (editorial/workflow.py says who may change the rest).
    EDITABLE_STATUSES = (Status.DRAFT, Status.REVIEW)
    # Shown to readers now or before (withdrawn): what was public may have been cited, so its
    # permalinks are kept and its changes are public corrections.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200)
    date = models.DateField()
    place = models.CharField(max_length=200, blank=True, help_text="City or venue, as stated.")
    country = CountryField(blank=True, help_text="Country where the conference took place.")
    host = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_conferences",
        help_text="The ministry or body that held it.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.PRESS_CONFERENCE)
    language = models.CharField(
        max_length=12, default="en", help_text="Original language, as a language code (en, ru…)."
    )
    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published conferences and their statements are public. "
        "Moved through the workflow, never edited directly.",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConferenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["date", "slug"], name="conference_unique_date_slug")
        ]
        indexes = [
            models.Index(fields=["status", "date"]),
            models.Index(fields=["country", "date"]),
            models.Index(fields=["updated_at"], name="conference_updated_at"),
        ]
        permissions = [
            ("publish_conference", "Can publish and withdraw conferences and edit published ones")
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse(
            "conferences:conference",
            kwargs={
                "year": self.date.year,
                "month": f"{self.date.month:02d}",
                "day": f"{self.date.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def is_published(self) -> bool:
        return self.status == Conference.Status.PUBLISHED

    @staticmethod
    def published_q(via: str = "") -> models.Q:
        """The publishing rule as a condition, for a filter or a filtered aggregate: `via` is
        the lookup path from the rows queried to their conference, e.g. "statements__conference"
        for speakers (Count("statements", filter=Conference.published_q(...)))."""
        prefix = f"{via}__" if via else ""
        return models.Q(**{f"{prefix}status": Conference.Status.PUBLISHED})


class SourceDocument(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL_TRANSCRIPT = "official_transcript", "Official transcript"
        NEWS_ARTICLE = "news_article", "News article"
        EDITOR_TRANSCRIPTION = "editor_transcription", "Editor's transcription"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300, blank=True)
    url = WebURLField(
        max_length=500, blank=True, help_text="Where the text was published: an http(s) address."
    )
    outlet = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
        help_text="Who published it.",
    )
    via = models.CharField(
        max_length=200, blank=True, help_text="Who the outlet relayed it from, e.g. “TASS”."
    )
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=12, default="en")
    text = models.TextField(help_text="The pasted text, kept verbatim.")
    content_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the pasted text: the same text cannot be imported twice.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A page fetched from a link (the import's "paste a link", importer/fetch.py): where and
    # when, and the SHA-256 of the bytes that SourceSnapshot keeps. Empty for a pasted text.
    # Not editable: they are the record of a fetch, not an editor's description. The database
    # default lets raw inserts (the synthetic corpus's COPY) leave them out.
    snapshot_url = WebURLField(
        max_length=2000,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The address the archived copy was fetched from, after redirects.",
    )
    fetched_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the archived copy was fetched."
    )
    snapshot_sha256 = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="SHA-256 of the archived copy's bytes, so anyone can check a copy of it.",
    )
    snapshot_content_type = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The type the page was served as, and the archived copy is served as.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "pk"]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} for {self.conference}"

    @property
    def has_snapshot(self) -> bool:
        return bool(self.snapshot_sha256)


class SourceSnapshot(models.Model):
    """The page a source's text was taken from, byte for byte as it was served, so that a quote
    stays checkable when the page moves or changes; the source holds its address, time and
    SHA-256. A table of its own: the many queries that read statements with their source never
    load a page of up to PODIUM_FETCH_MAX_BYTES along, and the source's history does not copy
    it at each change."""

    source = models.OneToOneField(
        SourceDocument, on_delete=models.CASCADE, primary_key=True, related_name="snapshot"
    )
    content = models.BinaryField(help_text="The page's bytes, as served.")

    def __str__(self):
        return f"Archived copy of {self.source}"

    def get_absolute_url(self):
        return reverse("conferences:source-snapshot", kwargs={"pk": self.source_id})


class CountDistinct(models.Func):
    """COUNT(DISTINCT …) as a plain expression, so a correlated subquery needs no GROUP BY."""

    function = "COUNT"
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = models.IntegerField()


class StatementQuerySet(models.QuerySet):
    def published(self):
        """Statements of published conferences only: the one gate for everything public."""
        return self.filter(Conference.published_q("conference"))

    def count_for_topic(self):
        """A subquery for Topic rows: how many of these statements are on the topic or one of
        its sub-topics (Topic.objects.family), each statement counted once."""
        links = Statement.topics.through.objects.filter(
            topic__in=Topic.objects.family(models.OuterRef(models.OuterRef("pk"))).values("pk"),
            statement__in=self.values("pk"),
        )
        counted = links.annotate(n=CountDistinct("statement")).values("n")
        return models.Subquery(counted[:1], output_field=models.IntegerField())

    def for_topic(self, topic: "Topic"):
        """Statements tagged with `topic` or one of its sub-topics, each once. The topic ids are a
        subquery: `topic_id IN (…)` uses the links' topic index, where `topic = t OR
        topic.parent = t` over a join scans every link (100 ms at a million)."""
        links = Statement.topics.through.objects.filter(
            topic__in=Topic.objects.family(topic).values("pk"), statement=models.OuterRef("pk")
        )
        return self.filter(models.Exists(links))

    def search(self, query: str):
        """Statements matching a websearch-style query, with `search_rank` and
        `search_headline`; see conferences/models/search.py."""
        from .search import search  # imported lazily: no import cycle with the models

        return search(self, query)


class Statement(models.Model):
    class Kind(models.TextChoices):
        REMARK = "remark", "Remark"
        QUESTION = "question", "Question"
        ANSWER = "answer", "Answer"

    class Fidelity(models.TextChoices):
        VERBATIM = "verbatim", "Verbatim (official transcript)"
        NEAR_VERBATIM = "near_verbatim", "Near-verbatim"
        REPORTED_QUOTE = "reported_quote", "Quote in a news report"
        PARAPHRASE = "paraphrase", "Paraphrase"

    public_id = models.CharField(
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        default=new_public_id,
        editable=False,
        help_text="Short opaque id used in permalinks (/s/<id>/); never changed or reused.",
    )
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="statements")
    source = models.ForeignKey(
        SourceDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text="The document these words were taken from.",
    )
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="statements")
    label = models.CharField(
        max_length=200, blank=True, help_text="The speaker label or attribution as printed."
    )
    sequence = models.PositiveIntegerField(help_text="Order within the conference, from 1.")
    text = models.TextField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REMARK)
    fidelity = models.CharField(
        max_length=20,
        choices=Fidelity.choices,
        default=Fidelity.VERBATIM,
        help_text="How close the text is to the words spoken.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    source_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the text starts in the source document."
    )
    source_end = models.PositiveIntegerField(null=True, blank=True)
    content_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the text."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["conference", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "sequence"], name="statement_unique_sequence"
            )
        ]
        indexes = [
            # Narrow and covering: the list's facets and counts group by speaker, conference,
            # fidelity and kind from this index alone (index-only scans once vacuumed), instead of
            # reading the wide rows and their text. Its prefix serves what (speaker, conference)
            # did. Plain columns rather than INCLUDE, which SQLite lacks (check W040).
            models.Index(
                fields=["speaker", "conference", "fidelity", "kind", "id"],
                name="statement_facets",
            ),
            models.Index(fields=["fidelity"]),
            models.Index(fields=["kind"]),
            # MAX(updated_at) for the cache version of the list's counts (ops/caching.py).
            models.Index(fields=["updated_at"], name="statement_updated_at"),
        ]

    def __str__(self):
        words = self.text.split()
        preview = " ".join(words[:12]) + ("…" if len(words) > 12 else "")
        return f"{self.speaker}: {preview}"

    def get_absolute_url(self):
        return reverse("conferences:statement", kwargs={"public_id": self.public_id})
