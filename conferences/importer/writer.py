"""The one place an import is saved: everything inside one transaction, or nothing.

The writer receives a plan that the editor has confirmed (speakers chosen or to be created,
topics ticked) and turns it into rows. It computes the derived columns (hashes, sequences,
normalised aliases) here, where the data enters, rather than in model save() methods.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from ..editorial import workflow
from ..models import (
    Conference,
    Organization,
    PrintedLabel,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementReport,
    Topic,
    facets,
)
from ..models.archive import SourceSnapshot
from ..text.ids import content_hash
from ..text.names import normalize_name
from .fetch import MEDIA_TYPES, FetchedPage


class DuplicateSource(Exception):
    """The same text was imported before; `source` is what it created then."""

    def __init__(self, source: SourceDocument):
        self.source = source
        self.admin_url = reverse("admin:conferences_conference_change", args=[source.conference_id])
        super().__init__(
            f"This text was already imported on {source.created_at:%Y-%m-%d} "
            f"into “{source.conference.title}” ({source.conference.date:%Y-%m-%d}): "
            f"{self.admin_url}"
        )


@dataclass(eq=False)
class NewSpeaker:
    """A speaker the import will create; the same instance may stand for many statements."""

    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str = Speaker.Kind.OFFICIAL
    country: str = ""
    outlet: str | None = None
    role_title: str = ""
    role_organization: str | None = None
    role_started_on: datetime.date | None = None


@dataclass
class PlannedStatement:
    speaker: Speaker | NewSpeaker
    text: str
    kind: str = Statement.Kind.REMARK
    fidelity: str = Statement.Fidelity.VERBATIM
    label: str = ""
    start: int | None = None
    end: int | None = None
    topics: list[Topic] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # printed names to remember for the speaker
    printed_label: str = ""  # the label as printed, to read as this speaker's in later texts


@dataclass
class PlannedReport:
    """A quote of the article that reports a statement the archive already holds: the
    article becomes a further source of that statement, not a new statement."""

    statement: Statement
    quoted_text: str
    similarity: float  # see importer/matching.py
    label: str = ""
    start: int | None = None
    end: int | None = None


@dataclass
class ImportPlan:
    text: str
    source_kind: str
    statements: list[PlannedStatement]
    conference: Conference | None = None  # add to this one, or create one from the fields below
    title: str = ""
    date: datetime.date | None = None
    place: str = ""
    country: str = ""
    conference_kind: str = Conference.Kind.PRESS_CONFERENCE
    host: str | None = None
    status: str = Conference.Status.DRAFT
    source_title: str = ""
    url: str = ""
    outlet: str | None = None
    via: str = ""
    published_on: datetime.date | None = None
    language: str = "en"
    reports: list[PlannedReport] = field(default_factory=list)
    # The page the text was fetched from (the import's "paste a link"), kept as the source's
    # archived copy; None for a pasted text or a file.
    snapshot: FetchedPage | None = None


@dataclass
class ImportResult:
    conference: Conference
    source: SourceDocument
    statements: list[Statement]
    created_speakers: list[Speaker]
    created_conference: bool
    reports: list[StatementReport] = field(default_factory=list)


def organization_named(name: str, kind: str) -> Organization:
    existing = Organization.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return Organization.objects.create(name=name, slug=unique_slug(Organization, name), kind=kind)


def unique_slug(model, text: str, **scope) -> str:
    base = slugify(text)[:180] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug, **scope).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def add_aliases(speaker: Speaker, names: list[str]) -> None:
    """Give `speaker` every name in `names` that no speaker holds yet."""
    seen = set(speaker.aliases.values_list("normalized", flat=True))
    for name in names:
        key = normalize_name(name)
        if not key or key in seen or SpeakerAlias.objects.filter(normalized=key).exists():
            continue
        SpeakerAlias.of(speaker, name).save()
        seen.add(key)


def add_printed_labels(labels: dict[str, Speaker], user=None) -> None:
    """Remember each label for its speaker; a label another speaker holds stays theirs."""
    if not labels:
        return
    held = set(PrintedLabel.objects.filter(label__in=list(labels)).values_list("label", flat=True))
    new = [PrintedLabel(label=lab, speaker=sp) for lab, sp in labels.items() if lab not in held]
    bulk_create_with_history(new, PrintedLabel, default_user=user)


def create_speaker(plan: NewSpeaker) -> Speaker:
    outlet = organization_named(plan.outlet, Organization.Kind.MEDIA) if plan.outlet else None
    speaker = Speaker.objects.create(
        name=plan.name,
        slug=unique_slug(Speaker, plan.name),
        kind=plan.kind,
        country=plan.country,
        organization=outlet,
    )
    add_aliases(speaker, [plan.name, *plan.aliases])
    if plan.role_title:
        organization = (
            organization_named(plan.role_organization, Organization.Kind.MINISTRY)
            if plan.role_organization
            else None
        )
        Role.objects.create(
            speaker=speaker,
            title=plan.role_title,
            organization=organization,
            country=plan.country,
            started_on=plan.role_started_on,
        )
    return speaker


def _conference_for(plan: ImportPlan, user) -> tuple[Conference, bool]:
    if plan.conference is not None:
        return plan.conference, False
    if plan.date is None:
        raise ValueError("A new conference needs a date.")
    title = plan.title or "Untitled conference"
    host = organization_named(plan.host, Organization.Kind.MINISTRY) if plan.host else None
    conference = Conference(
        title=title,
        slug=unique_slug(Conference, title, date=plan.date),
        date=plan.date,
        place=plan.place,
        country=plan.country,
        kind=plan.conference_kind,
        host=host,
        status=plan.status,
        language=plan.language,
    )
    # The workflow's log starts here, as the importing user's (None from the shell).
    published = plan.status == Conference.Status.PUBLISHED
    note = "Imported and published at once." if published else "Imported."
    workflow.start(conference, user, note=note)
    return conference, True


def record_topics_in_history(links) -> None:
    """Copy bulk-created topic links into the statements' first history records, as
    simple-history does itself for links saved one by one, so that a restore keeps them."""
    through = Statement.history.model.topics.model
    latest = {}
    for record in Statement.history.filter(id__in={link.statement_id for link in links}):
        if record.id not in latest or record.history_id > latest[record.id].history_id:
            latest[record.id] = record
    through.objects.bulk_create(
        through(
            id=link.pk,
            history=latest[link.statement_id],
            statement_id=link.statement_id,
            topic_id=link.topic_id,
        )
        for link in links
    )


LIMITS = {"title": 300, "place": 200, "outlet": 200, "via": 200, "host": 200}
check_url = URLValidator(schemes=["http", "https"])


def validate(plan: ImportPlan) -> None:
    """Refuse values the database would reject (or store badly) with a message for people."""
    for name, limit in LIMITS.items():
        value = getattr(plan, name) or ""
        if len(value) > limit:
            raise ValueError(f"The {name} is {len(value)} characters long; at most {limit}.")
    if plan.url:
        try:
            check_url(plan.url)
        except ValidationError as exc:
            raise ValueError(
                f"The source URL must be an http(s) address, not {plan.url!r}."
            ) from exc
    for item in plan.statements:
        if isinstance(item.speaker, NewSpeaker) and not 0 < len(item.speaker.name) <= 200:
            raise ValueError("A new speaker's name must have 1 to 200 characters.")
    reported = [report.statement.pk for report in plan.reports]
    if len(set(reported)) < len(reported):
        raise ValueError("An article can report a statement only once.")
    page = plan.snapshot
    if page is not None:
        if page.media_type not in MEDIA_TYPES or len(page.content_type) > 100:
            raise ValueError(f"An archived copy cannot be served as {page.content_type!r}.")
        if len(page.url) > 2000:
            raise ValueError("The archived copy's address is longer than 2,000 characters.")


def snapshot_fields(page: FetchedPage | None) -> dict:
    """The source's record of its archived copy: address, time, SHA-256 of the bytes, type."""
    if page is None:
        return {}
    return {
        "snapshot_url": page.url,
        "fetched_at": page.fetched_at,
        "snapshot_sha256": hashlib.sha256(page.content).hexdigest(),
        "snapshot_content_type": page.content_type,
    }


@transaction.atomic
def write(plan: ImportPlan, user=None) -> ImportResult:
    """Save the whole plan, or raise and save nothing (DuplicateSource for a re-paste).

    `user` is who imports (the editor in the admin; None from the shell or the demo): the
    conference's first status change and the statements' history records are theirs."""
    validate(plan)
    digest = content_hash(plan.text)
    existing = SourceDocument.objects.select_related("conference").filter(content_hash=digest)
    if existing.exists():
        raise DuplicateSource(existing.get())
    if not plan.statements and not plan.reports:
        raise ValueError("Nothing to import: no statements were found or kept.")

    conference, created_conference = _conference_for(plan, user)
    source = SourceDocument.objects.create(
        conference=conference,
        kind=plan.source_kind,
        title=plan.source_title[:300],  # a heading found in the text; cut, not refused
        url=plan.url,
        outlet=organization_named(plan.outlet, Organization.Kind.MEDIA) if plan.outlet else None,
        via=plan.via,
        published_on=plan.published_on,
        language=plan.language,
        text=plan.text,
        content_hash=digest,
        **snapshot_fields(plan.snapshot),
    )
    if plan.snapshot is not None:
        SourceSnapshot.objects.create(source=source, content=plan.snapshot.content)

    created: dict[int, Speaker] = {}
    next_sequence = (
        conference.statements.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    ) + 1
    statements = []
    learned: dict[int, list[str]] = {}
    labels: dict[str, Speaker] = {}  # each printed label with the speaker the editor chose
    for offset, item in enumerate(plan.statements):
        speaker = item.speaker
        if isinstance(speaker, NewSpeaker):
            if id(speaker) not in created:
                created[id(speaker)] = create_speaker(speaker)
            speaker = created[id(speaker)]
        learned.setdefault(speaker.pk, [])
        learned[speaker.pk] += [name for name in item.aliases if name not in learned[speaker.pk]]
        if item.printed_label:
            labels[item.printed_label] = speaker
        statements.append(
            Statement(
                conference=conference,
                source=source,
                speaker=speaker,
                label=item.label[:200],
                sequence=next_sequence + offset,
                text=item.text,
                kind=item.kind,
                fidelity=item.fidelity,
                source_start=item.start,
                source_end=item.end,
                content_hash=content_hash(item.text),
            )
        )
    # Primary keys come back on both databases; each statement gets its first history record.
    bulk_create_with_history(statements, Statement, default_user=user)
    # A label the editor mapped to a known speaker is remembered for the next import.
    speakers = {statement.speaker.pk: statement.speaker for statement in statements}
    for pk, names in learned.items():
        if names:
            add_aliases(speakers[pk], names)
    add_printed_labels(labels, user)
    links = [
        Statement.topics.through(statement_id=statement.pk, topic_id=topic.pk)
        for statement, item in zip(statements, plan.statements, strict=True)
        for topic in {t.pk: t for t in item.topics}.values()
    ]
    Statement.topics.through.objects.bulk_create(links)
    record_topics_in_history(links)
    facets.refresh(conferences=[conference.pk])  # bulk_create sends no signal
    reports = StatementReport.objects.bulk_create(
        StatementReport(
            statement=report.statement,
            source=source,
            quoted_text=report.quoted_text,
            label=report.label[:200],
            similarity=report.similarity,
            source_start=report.start,
            source_end=report.end,
        )
        for report in plan.reports
    )
    return ImportResult(
        conference, source, statements, list(created.values()), created_conference, reports
    )
