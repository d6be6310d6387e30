"""The editorial record: who moved a conference through the workflow, the public corrections of
statements, the permalinks of statements that are gone, and the articles that reported a quote.

These rows are written by conferences/editorial/workflow.py, conferences/editorial/corrections.py,
conferences/editorial/permalinks.py and the importer's writer, never by save() methods.
"""

from django.conf import settings
from django.db import models

from .archive import Conference, SourceDocument, Statement
from .people import Speaker


class StatusChange(models.Model):
    """One move of a conference through the workflow (draft, review, published, withdrawn)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=Conference.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Conference.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, help_text="Why, in a sentence (shown to editors only).")

    class Meta:
        ordering = ["conference", "changed_at", "pk"]
        indexes = [models.Index(fields=["conference", "changed_at"])]

    def __str__(self):
        by = f" by {self.changed_by}" if self.changed_by else ""
        return (
            f"{self.get_from_status_display() or 'new'} → {self.get_to_status_display()}"
            f"{by} on {self.changed_at:%Y-%m-%d %H:%M}"
        )


class Correction(models.Model):
    """A public correction of a published statement: what it said or who said it before."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text corrected"
        ATTRIBUTION = "attribution", "Attribution corrected"
        SPLIT = "split", "Split into two statements"
        MERGE = "merge", "Merged with the next statement"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.TextField(help_text="What was wrong and what was done; shown to readers.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_text = models.TextField(blank=True)
    previous_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the text before this correction."
    )
    previous_speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_speaker_name = models.CharField(max_length=200, blank=True)
    previous_label = models.CharField(max_length=200, blank=True)
    new_speaker_name = models.CharField(max_length=200, blank=True)
    related_public_id = models.CharField(
        max_length=8, blank=True, help_text="The other statement of a split or merge."
    )

    class Meta:
        ordering = ["statement", "created_at", "pk"]
        indexes = [models.Index(fields=["previous_hash"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.created_at:%Y-%m-%d}: {self.statement_id}"


class RetiredStatement(models.Model):
    """A public id whose statement is gone: merged into another (redirect) or deleted (410).

    Only ids that were public are kept; the snapshot is what a reader who followed a citation
    needs to know what was cited.
    """

    class Reason(models.TextChoices):
        MERGED = "merged", "Merged into another statement"
        DELETED = "deleted", "Deleted"

    public_id = models.CharField(max_length=8, unique=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    successor = models.ForeignKey(
        Statement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retired_ids",
        help_text="Where the id now leads (merges).",
    )
    retired_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, help_text="Shown to readers who follow the old link.")
    speaker_name = models.CharField(max_length=200)
    conference_title = models.CharField(max_length=300)
    conference_date = models.DateField()
    conference_id_was = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-retired_at"]

    def __str__(self):
        return f"{self.public_id} ({self.get_reason_display().lower()})"


class StatementReport(models.Model):
    """A news article that quoted a statement the archive already holds."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="reports")
    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="reports")
    quoted_text = models.TextField(help_text="The words as the article printed them.")
    label = models.CharField(max_length=200, blank=True, help_text="The attribution as printed.")
    similarity = models.FloatField(
        help_text="Share of the quoted words found, in order, in the statement (0 to 1)."
    )
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statement", "source__published_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "source"], name="report_unique_source")
        ]

    def __str__(self):
        return f"{self.statement.public_id} reported in {self.source}"
