"""The one place a conference changes status: draft, in review, published, withdrawn.

Every move is a row of MOVES, made by `move()` inside one transaction that locks the conference,
so two reviewers pressing "Publish" at once make one move and the second is told why not. Each
move leaves a StatusChange row (who, when, from, to, why) and a history record with the user.

Editors (change_conference) send drafts to review and take them back; publishing, withdrawing and
everything after it needs conferences.publish_conference (the Reviewers group, superusers). A
published or withdrawn conference, with its statements and sources, is read-only for Editors:
`may_edit()` is the rule the admin applies.

Publishing goes through review: a draft cannot be published directly, so every published
conference was seen by someone who may publish. A withdrawn conference goes back to review
("Reconsider", to be corrected by Editors) or straight back to the public ("Republish", when
withdrawing was a mistake); it never skips to draft, since what was public stays under a
reviewer's eye until it is published again or left withdrawn.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..models import Conference, StatusChange

Status = Conference.Status
CHANGE_PERMISSION = "conferences.change_conference"
PUBLISH_PERMISSION = "conferences.publish_conference"
# Written by this module only.
WORKFLOW_FIELDS = ("status", "status_changed_at", "status_changed_by")
# How a status reads after "is": "“X” is a draft", "“X” is in review".
STATE = {
    Status.DRAFT: "a draft",
    Status.REVIEW: "in review",
    Status.PUBLISHED: "published",
    Status.WITHDRAWN: "withdrawn",
}


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    label: str  # the button
    reviewers_only: bool  # needs conferences.publish_conference


MOVES = (
    Move(Status.DRAFT, Status.REVIEW, "Send to review", reviewers_only=False),
    Move(Status.REVIEW, Status.DRAFT, "Back to draft", reviewers_only=False),
    Move(Status.REVIEW, Status.PUBLISHED, "Publish", reviewers_only=True),
    Move(Status.PUBLISHED, Status.WITHDRAWN, "Withdraw", reviewers_only=True),
    Move(Status.WITHDRAWN, Status.REVIEW, "Reconsider", reviewers_only=True),
    Move(Status.WITHDRAWN, Status.PUBLISHED, "Republish", reviewers_only=True),
)


class MoveRefused(ValueError):
    """The move is not in the workflow from the conference's current status; the message says
    what is possible instead. (A move the user may not make raises PermissionDenied.)"""


def may_publish(user) -> bool:
    return user.has_perm(CHANGE_PERMISSION) and user.has_perm(PUBLISH_PERMISSION)


def may_edit(user, conference: Conference) -> bool:
    """May `user` change this conference, its statements and sources (given change rights)?"""
    return conference.status in Conference.EDITABLE_STATUSES or may_publish(user)


def editable_conferences(user, conferences=None):
    """The conferences (of `conferences`, or all) `user` may put statements or sources into."""
    conferences = Conference.objects.all() if conferences is None else conferences
    return conferences if may_publish(user) else conferences.editable()


def may_make(user, move: Move) -> bool:
    return may_publish(user) if move.reviewers_only else user.has_perm(CHANGE_PERMISSION)


def find_move(source: str, target: str) -> Move | None:
    return next((m for m in MOVES if m.source == source and m.target == target), None)


def allowed_moves(user, conference: Conference) -> list[Move]:
    """The moves `user` may make from the conference's status, in the order of MOVES."""
    return [m for m in MOVES if m.source == conference.status and may_make(user, m)]


def refusal(conference: Conference, target: str) -> str:
    """Why the workflow has no move from the conference's status to `target`, for people."""
    state = STATE[conference.status]
    if conference.status == target:
        return f"“{conference.title}” is already {state}."
    possible = [m.label for m in MOVES if m.source == conference.status]
    hint = " (send it to review first)" if target == Status.PUBLISHED else ""
    return (
        f"“{conference.title}” is {state}: it cannot be moved to "
        f"{Status(target).label.lower()}{hint}. From here: {', '.join(possible)}."
    )


@transaction.atomic
def move(conference: Conference, to_status: str, user, note: str = "") -> StatusChange:
    """Move `conference` to `to_status` as `user`, or raise MoveRefused / PermissionDenied.

    The row is locked and read again first: the status the decision is made on is the one in
    the database, not the one on the page the user saw. `conference` is updated in place."""
    if to_status not in Status.values:
        raise MoveRefused(f"“{to_status}” is not a status.")
    if not user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("You may not change conferences.")
    locked = Conference.objects.select_for_update().get(pk=conference.pk)
    step = find_move(locked.status, to_status)
    if step is None:
        raise MoveRefused(refusal(locked, to_status))
    if not may_make(user, step):
        raise PermissionDenied(
            f"Only reviewers may {step.label.lower()} a conference; "
            f"“{locked.title}” is still {STATE[locked.status]}."
        )
    change = StatusChange.objects.create(
        conference=locked,
        from_status=locked.status,
        to_status=to_status,
        changed_by=user,
        note=note.strip(),
    )
    locked.status = to_status
    locked.status_changed_at = change.changed_at
    locked.status_changed_by = user
    # simple-history records the move with the user and the reason, outside a request too.
    locked._history_user = user
    locked._change_reason = f"{step.label}: {change.note}" if change.note else step.label
    locked.save(update_fields=[*WORKFLOW_FIELDS, "updated_at"])
    for name in (*WORKFLOW_FIELDS, "updated_at"):
        setattr(conference, name, getattr(locked, name))
    return change


def keep_status(conference: Conference) -> None:
    """Before an edit is saved: give `conference` the status the database holds, and lock the
    row until the transaction ends. An edit, or an old version restored from the history, never
    moves a conference, nor undoes a move made while the form was open."""
    current = Conference.objects.select_for_update().only(*WORKFLOW_FIELDS).get(pk=conference.pk)
    for name in WORKFLOW_FIELDS:
        attname = Conference._meta.get_field(name).attname
        setattr(conference, attname, getattr(current, attname))


def start(conference: Conference, user=None, note: str = "") -> StatusChange:
    """Save a new conference in its first status and record that status (from nothing)."""
    conference.status_changed_at = timezone.now()
    conference.status_changed_by = user
    if user is not None:
        conference._history_user = user  # else simple-history asks the request, if any
    conference.save()
    return StatusChange.objects.create(
        conference=conference,
        from_status="",
        to_status=conference.status,
        changed_by=user,
        note=note,
    )
