"""Public pages. Everything here reads through the published() QuerySets: drafts never leak."""

from .browse import (
    conference_detail,
    conference_list,
    home,
    speaker_detail,
    speaker_list,
    topic_detail,
    topic_list,
)
from .cards import statement_card
from .exports import statement_export
from .meta import healthz, robots_txt
from .sources import source_snapshot
from .statements import statement_detail, statement_list, statement_redirect

__all__ = [
    "conference_detail",
    "conference_list",
    "healthz",
    "home",
    "robots_txt",
    "source_snapshot",
    "speaker_detail",
    "speaker_list",
    "statement_card",
    "statement_detail",
    "statement_export",
    "statement_list",
    "statement_redirect",
    "topic_detail",
    "topic_list",
]
