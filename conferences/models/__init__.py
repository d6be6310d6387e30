"""Podium's data: people and organisations, and the archive of conferences and statements."""

from .archive import Conference, SourceDocument, Statement, Topic
from .people import Organization, Role, Speaker, SpeakerAlias

__all__ = [
    "Conference",
    "Organization",
    "Role",
    "SourceDocument",
    "Speaker",
    "SpeakerAlias",
    "Statement",
    "Topic",
]
