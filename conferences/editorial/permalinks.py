"""Permalinks forever: a public id, once cited, keeps answering.

- A split keeps the first part under the statement's id and gives the rest a new id.
- A merge keeps the first statement's id and retires the second's: it redirects (301) to the one
  that absorbed it.
- A deletion retires the id with a snapshot of what was cited: it answers 410 Gone.
- A conference whose date or slug changed answers its old URL with a 301 (from its history).

Deletion is caught by a pre_delete receiver on Statement (connected in apps.py) rather than in the
admin's delete view: statements are also deleted by cascade when their conference is deleted (and
by the admin's bulk action and the shell), and the id must be kept whichever way it goes. The
receiver is a plain function of this module, like everything else that writes these rows.

Only ids that were public (their conference published or withdrawn, now or since the statement
was made) are kept: a draft statement that is deleted or merged leaves no trace a reader could
find, and a retired id leads only to a statement that is public now.

Sequences are unique per conference and neither database defers that check within an UPDATE, so
renumbering goes in two steps through a range no real sequence reaches. The renumbering is a plain
UPDATE: it leaves no history record on the statements that only moved.
"""

import re

from django.db import transaction
from django.db.models import F, OuterRef, Subquery

from ..models import Conference, Correction, RetiredStatement, Statement, facets
from ..text.ids import content_hash, new_public_id

PARKING = 1_000_000  # far beyond any real sequence: the renumbering passes through it
MERGE_JOINER = "\n\n"  # the two texts stay two paragraphs


class PermalinkError(ValueError):
    """A split or merge that cannot be done; the message is for the editor."""


def is_public(conference: Conference) -> bool:
    """Was anything of this conference shown to readers (and so possibly cited)?"""
    return conference.status in Conference.PUBLIC_STATUSES


def was_public(statement: Statement) -> bool:
    """Could a reader have seen (and cited) this statement? Its conference is public now, or was
    at some time since the statement was created: a withdrawn conference is corrected in review
    before it is published again, and the ids it had must survive that."""
    conference = statement.conference
    if is_public(conference):
        return True
    records = Conference.history.filter(id=conference.pk)
    if records.filter(
        status__in=Conference.PUBLIC_STATUSES, history_date__gte=statement.created_at
    ).exists():
        return True
    at_creation = (
        records.filter(history_date__lt=statement.created_at)
        .order_by("-history_date", "-history_id")
        .values_list("status", flat=True)
        .first()
    )
    return at_creation in Conference.PUBLIC_STATUSES


def fingerprint(*statements: Statement) -> str:
    """What the editor saw: posted back with a split or merge, so a stale page is refused."""
    parts = [f"{s.public_id}\x1e{s.speaker_id}\x1e{s.text}" for s in statements]
    return content_hash("\x1f".join(parts))


def fresh_public_id() -> str:
    """A public id no statement has and no retired statement had: ids are never reused."""
    while True:
        candidate = new_public_id()
        taken = Statement.objects.filter(public_id=candidate).exists()
        if not taken and not RetiredStatement.objects.filter(public_id=candidate).exists():
            return candidate


def shift_sequences(conference_id: int, after: int, by: int) -> None:
    """Move every statement of the conference with a sequence above `after` by `by` (±1)."""
    statements = Statement.objects.filter(conference_id=conference_id)
    statements.filter(sequence__gt=after).update(sequence=F("sequence") + PARKING)
    statements.filter(sequence__gt=PARKING).update(sequence=F("sequence") - PARKING + by)
    facets.refresh(conferences=[conference_id])  # update() sends no signal


def _lock(statement: Statement) -> None:
    """Lock the conference (its sequences are about to change) and read the statement again."""
    list(Conference.objects.select_for_update().filter(pk=statement.conference_id))
    statement.refresh_from_db()


def _check_fresh(expected: str | None, *statements: Statement) -> None:
    if expected is not None and expected != fingerprint(*statements):
        raise PermalinkError(
            "The statement changed since this page was opened (someone else edited it). "
            "Check the text below and try again."
        )


def _require_note(conference: Conference, note: str, what: str) -> str:
    note = note.strip()
    if is_public(conference) and not note:
        raise PermalinkError(
            f"“{conference.title}” is {conference.get_status_display().lower()}: readers may have "
            f"cited this statement, so {what} needs a note saying what was wrong and what was "
            "done. It is shown to readers with the correction."
        )
    return note


# Split -------------------------------------------------------------------------------------------


def split_point(text: str, begins: str) -> int:
    """The offset where the second part starts, from its first words as the editor typed them.

    Spaces and line breaks need not match exactly; the words must appear once, at the start of
    a word, and not at the very start of the text."""
    words = begins.split()
    if not words:
        raise PermalinkError("Type the first words of the second part.")
    pattern = re.compile(r"(?=(" + r"\s+".join(re.escape(word) for word in words) + "))")
    found = [m.start() for m in pattern.finditer(text)]
    if not found:
        raise PermalinkError(
            f"“{' '.join(words)}” is not in the text. Copy the first words of the second part "
            "from the text, exactly as written."
        )
    if len(found) > 1:
        raise PermalinkError(
            f"“{' '.join(words)}” appears {len(found)} times in the text: type more words, "
            "so that they appear only once."
        )
    offset = found[0]
    if offset > 0 and not text[offset - 1].isspace():
        raise PermalinkError(
            f"“{' '.join(words)}” starts inside a word: type the second part's first whole words."
        )
    split_parts(text, offset)
    return offset


def split_parts(text: str, offset: int) -> tuple[str, str]:
    """The two texts a split at `offset` gives, each trimmed; refuses an empty part."""
    if not 0 <= offset <= len(text):
        raise PermalinkError(f"The split point must be between 0 and {len(text)}.")
    first, second = text[:offset].rstrip(), text[offset:].lstrip()
    if not first:
        raise PermalinkError("The first part would be empty: choose a later split point.")
    if not second:
        raise PermalinkError("The second part would be empty: choose an earlier split point.")
    return first, second


def _source_spans(statement: Statement, offset: int):
    """The source offsets of both parts: exact where the stored source and the text agree up to
    white space; otherwise both parts keep the whole span (true, if less precise)."""
    start, end = statement.source_start, statement.source_end
    whole = ((start, end), (start, end))
    if start is None or end is None or statement.source is None:
        return whole
    segment = statement.source.text[start:end]
    letters = [(i, c) for i, c in enumerate(segment) if not c.isspace()]
    if [c for _, c in letters] != [c for c in statement.text if not c.isspace()]:
        return whole
    before = sum(1 for c in statement.text[:offset] if not c.isspace())
    if not 0 < before < len(letters):
        return whole
    first_end = start + letters[before - 1][0] + 1
    second_start = start + letters[before][0]
    return (start, first_end), (second_start, end)


def _correct(statement, kind, note, user, previous_text, related_public_id) -> Correction:
    """The public correction a split or merge of a public statement leaves on it."""
    return Correction.objects.create(
        statement=statement,
        kind=kind,
        note=note,
        created_by=user,
        previous_text=previous_text,
        previous_hash=content_hash(previous_text),
        related_public_id=related_public_id,
    )


@transaction.atomic
def split(statement: Statement, offset: int, *, note="", user=None, expected=None) -> Statement:
    """Keep text[:offset] in `statement` (same id); put the rest in a new statement right after.

    Returns the new statement. On a public conference a note is required and the split is
    recorded as a correction of the original."""
    _lock(statement)
    _check_fresh(expected, statement)
    conference = statement.conference
    note = _require_note(conference, note, "a split")
    previous_text = statement.text
    first, second = split_parts(previous_text, offset)
    first_span, second_span = _source_spans(statement, offset)
    topics = list(statement.topics.all())

    shift_sequences(conference.pk, statement.sequence, +1)
    new = Statement(
        public_id=fresh_public_id(),
        conference=conference,
        source=statement.source,
        speaker=statement.speaker,
        label=statement.label,
        sequence=statement.sequence + 1,
        text=second,
        kind=statement.kind,
        fidelity=statement.fidelity,
        source_start=second_span[0],
        source_end=second_span[1],
        content_hash=content_hash(second),
    )
    new._change_reason = f"Split from {statement.public_id}"
    if user is not None:
        new._history_user = user
    new.save()
    new.topics.set(topics)

    statement.text = first
    statement.content_hash = content_hash(first)
    statement.source_start, statement.source_end = first_span
    statement._change_reason = f"Split: the rest is now {new.public_id}"
    if user is not None:
        statement._history_user = user
    statement.save()

    if is_public(conference):
        _correct(statement, Correction.Kind.SPLIT, note, user, previous_text, new.public_id)
    return new


# Merge -------------------------------------------------------------------------------------------


def next_statement(statement: Statement) -> Statement | None:
    return (
        Statement.objects.filter(conference_id=statement.conference_id)
        .filter(sequence__gt=statement.sequence)
        .select_related("speaker", "source")
        .order_by("sequence")
        .first()
    )


def merge_refusal(statement: Statement, following: Statement | None) -> str | None:
    """Why `statement` cannot absorb `following`, in words for the editor; None if it can."""
    if following is None:
        return (
            f"Statement {statement.public_id} (no. {statement.sequence}) is the last statement "
            f"of “{statement.conference.title}”: there is no next statement to merge it with."
        )
    if following.speaker_id != statement.speaker_id:
        return (
            f"The next statement ({following.public_id}, no. {following.sequence}) is by "
            f"{following.speaker.name}, not {statement.speaker.name}: only statements of the "
            "same speaker can be merged. If the attribution is wrong, correct it first."
        )
    if following.fidelity != statement.fidelity:
        return (
            f"The next statement ({following.public_id}) is “{following.get_fidelity_display()}” "
            f"and this one “{statement.get_fidelity_display()}”: merged, one of them would be "
            "shown with the wrong fidelity. If one is wrong, correct it first."
        )
    if following.source_id != statement.source_id:
        return (
            f"The next statement ({following.public_id}) comes from another source document: "
            "merged, half of the text would be credited to the wrong source."
        )
    return None


def merged_text(statement: Statement, following: Statement) -> str:
    return statement.text.rstrip() + MERGE_JOINER + following.text.lstrip()


@transaction.atomic
def merge(statement: Statement, *, note="", user=None, expected=None) -> RetiredStatement | None:
    """`statement` absorbs the next statement of its conference, which is deleted.

    On a public conference a note is required and the merge is recorded as a correction. An
    absorbed id that was public is retired with a redirect to `statement` (returned); of one
    that never was, nothing is kept (returns None)."""
    _lock(statement)
    following = next_statement(statement)
    _check_fresh(expected, statement, *([following] if following else []))
    refusal = merge_refusal(statement, following)
    if refusal:
        raise PermalinkError(refusal)
    conference = statement.conference
    note = _require_note(conference, note, "a merge")
    previous_text = statement.text

    statement.skip_history_when_saving = True  # one history record below, topics included
    statement.topics.add(*following.topics.all())
    del statement.skip_history_when_saving
    statement.text = merged_text(statement, following)
    statement.content_hash = content_hash(statement.text)
    offsets = (
        statement.source_start,
        statement.source_end,
        following.source_start,
        following.source_end,
    )
    if None in offsets or following.source_end < statement.source_start:
        statement.source_start = statement.source_end = None  # no one span holds both texts
    else:
        statement.source_end = following.source_end
    statement._change_reason = f"Merged with {following.public_id}"
    if user is not None:
        statement._history_user = user
    statement.save()

    # What readers were told about the absorbed statement stays with the words it told it of.
    following.corrections.update(statement=statement)
    reported = statement.reports.values("source_id")
    following.reports.exclude(source_id__in=reported).update(statement=statement)
    RetiredStatement.objects.filter(successor=following).update(successor=statement)

    if is_public(conference):
        _correct(statement, Correction.Kind.MERGE, note, user, previous_text, following.public_id)
    retired = None
    if was_public(following):
        retired = RetiredStatement.objects.create(
            public_id=following.public_id,
            reason=RetiredStatement.Reason.MERGED,
            successor=statement,
            note=note,
            **snapshot(following),
        )
    absorbed = following.sequence
    if user is not None:
        following._history_user = user
    following._change_reason = f"Merged into {statement.public_id}"
    following.delete()
    shift_sequences(conference.pk, absorbed, -1)
    return retired


# Deletion and lookup -----------------------------------------------------------------------------


def last_public_version(conference: Conference):
    """The conference as readers last saw it (a history record), or None if never published."""
    return (
        Conference.history.filter(Conference.published_q(), id=conference.pk)
        .order_by("-history_date", "-history_id")
        .first()
    )


def snapshot(statement: Statement) -> dict:
    """What a reader following an old citation is shown of a statement that is gone.

    Words and titles are kept only as readers last saw them: a statement that goes while its
    conference is withdrawn (or back in review) keeps no words, and the conference's title is
    the one it had when last published, never a draft's."""
    conference = statement.conference
    shown = statement.text if conference.is_published else ""
    seen = conference if shown else (last_public_version(conference) or conference)
    return {
        "speaker_name": statement.speaker.name if shown else "",
        "conference_title": seen.title if shown or seen is not conference else "",
        "conference_date": seen.date,
        "conference_id_was": conference.pk,
        "text": shown,
        "content_hash": (statement.content_hash or content_hash(statement.text)) if shown else "",
    }


def retire_deleted_statement(sender, instance, using=None, **kwargs):
    """pre_delete receiver: keep a public statement's id (and what it said) as it goes.

    The row is read again: the snapshot is what readers saw, whatever the instance holds."""
    stored = (
        Statement.objects.using(using)
        .select_related("speaker", "conference")
        .filter(pk=instance.pk)
        .first()
    )
    if stored is None or not was_public(stored):
        return
    retired = RetiredStatement.objects.using(using)
    if retired.filter(public_id=stored.public_id).exists():
        return  # a merge retired it first, with its successor
    retired.create(
        public_id=stored.public_id, reason=RetiredStatement.Reason.DELETED, **snapshot(stored)
    )


def retired(public_id: str) -> RetiredStatement | None:
    return (
        RetiredStatement.objects.select_related("successor__conference")
        .filter(public_id=public_id)
        .first()
    )


def moved_conference(date, slug: str) -> Conference | None:
    """The published conference that last had this date and slug, if none has them now.

    A (date, slug) a conference holds now is that conference's, published or not: no redirect
    (a permanent one) may stand in for a draft that will be published there."""
    if Conference.objects.filter(date=date, slug=slug).exists():
        return None
    # Only a URL readers could have seen: one the conference had while it was published.
    had_it = (
        Conference.history.model.objects.filter(
            Conference.published_q(), id=OuterRef("pk"), date=date, slug=slug
        )
        .order_by("-history_date", "-history_id")
        .values("history_date")[:1]
    )
    return (
        Conference.objects.published()
        .annotate(had_it=Subquery(had_it))
        .filter(had_it__isnull=False)
        .order_by("-had_it", "-pk")
        .first()
    )
