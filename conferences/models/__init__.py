"""Podium's data: people and organisations, the archive of conferences and statements, and the
editorial record kept around them."""

from .archive import Conference, SourceDocument, Statement, Topic
from .editorial import Correction, RetiredStatement, StatementReport, StatusChange
from .people import Organization, PrintedLabel, Role, Speaker, SpeakerAlias

__all__ = [
    "Conference",
    "Correction",
    "Organization",
    "PrintedLabel",
    "RetiredStatement",
    "Role",
    "SourceDocument",
    "Speaker",
    "SpeakerAlias",
    "Statement",
    "StatementReport",
    "StatusChange",
    "Topic",
]
