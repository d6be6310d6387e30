"""Podium's data: people and organisations, the archive of conferences and statements, and the
editorial record kept around them. (The list page's derived tables are in facets.py.)"""

from . import facet_counts, facets  # noqa: F401 (the list page's derived tables: registered, not in __all__)
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
