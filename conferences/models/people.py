"""Who speaks: speakers with their name variants and dated roles, and organisations."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..text.names import normalize_name


class Organization(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Ministry or government office"
        INTERNATIONAL = "international", "International organisation"
        MEDIA = "media", "Media outlet or news agency"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(
        blank=True, help_text="Where it is based; empty for international bodies."
    )
    url = models.URLField(blank=True, help_text="The organisation's own website.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def pick_role(roles, day: datetime.date) -> "Role | None":
    """Among `roles`, the one held on `day` (the same rule as Speaker.role_on, in Python)."""
    covering = [
        role
        for role in roles
        if (role.started_on is None or role.started_on <= day)
        and (role.ended_on is None or role.ended_on >= day)
    ]
    covering.sort(key=lambda r: (r.started_on is not None, r.started_on or day, r.pk), reverse=True)
    return covering[0] if covering else None


class SpeakerQuerySet(models.QuerySet):
    def get_by_name(self, name: str) -> "Speaker":
        """The speaker any alias of whom matches `name`, ignoring case, accents, punctuation
        and leading titles. Raises Speaker.DoesNotExist when none does.

        The one place where names meet speakers (openparliament's get_by_name habit).
        """
        key = normalize_name(name)
        if not key:
            raise self.model.DoesNotExist(f"No speaker is known as {name!r}.")
        return self.get(aliases__normalized=key)


class Speaker(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", "Official"
        JOURNALIST = "journalist", "Journalist"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, help_text="Display name, e.g. “Sergey Lavrov”.")
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OFFICIAL)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speakers",
        help_text="For a journalist, the outlet; officials' posts are kept as roles instead.",
    )
    description = models.TextField(blank=True)

    objects = SpeakerQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conferences:speaker", kwargs={"slug": self.slug})

    def role_on(self, day: datetime.date) -> "Role | None":
        """The role held on `day`: the latest-starting role that covers it.

        Uses prefetched roles when the caller prefetched them (lists of statements do)."""
        if "roles" in getattr(self, "_prefetched_objects_cache", {}):
            return pick_role(self.roles.all(), day)
        covering = self.roles.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=day),
            Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        )
        return covering.order_by(F("started_on").desc(nulls_last=True), "-pk").first()


class SpeakerAlias(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(
        max_length=200, help_text="A variant as printed: “Sergei Lavrov”, “LAVROV”, “MR PRICE”."
    )
    normalized = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        help_text="Lookup form: lower case, no accents, punctuation or leading titles.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "speaker aliases"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def of(cls, speaker: Speaker, name: str) -> "SpeakerAlias":
        """An unsaved alias with its lookup form filled in: how aliases are made in code."""
        return cls(speaker=speaker, name=name, normalized=normalize_name(name))


class PrintedLabel(models.Model):
    """A speaker's label exactly as a transcript printed it ('PRESIDENT KESSEL'), confirmed by
    the editor who saved that import. The importer reads a line that opens with it as this
    speaker's label in later texts, even where its own rules would not (importer/parse/hints.py).
    Kept apart from SpeakerAlias, whose lookup form drops titles and case: 'PRESIDENT KESSEL'
    and 'Kessel' are one alias, but only the first is a label a transcript prints."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="printed_labels")
    label = models.CharField(max_length=200, unique=True, help_text="As printed, case and all.")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label


class Role(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, help_text="E.g. “Minister of Foreign Affairs”.")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles"
    )
    country = CountryField(blank=True)
    started_on = models.DateField(null=True, blank=True, help_text="Empty when not known.")
    ended_on = models.DateField(null=True, blank=True, help_text="Empty while the post is held.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(started_on__lte=F("ended_on")),
                name="role_starts_before_it_ends",
                violation_error_message="A role cannot end before it starts.",
            )
        ]

    def __str__(self):
        where = f", {self.organization}" if self.organization_id else ""
        return f"{self.title}{where}"
