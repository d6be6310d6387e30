"""The articles that reported a statement: what the statement's permalink lists under
"Reported by", with the word difference between what was said and what was printed
(conferences/text/diff.py).

Which reports are public: a report is shown when its article's conference is published, or when
the article sits in the statement's own conference (an import made only of quotes the archive
already holds joins that conference; see importer/service.make_plan). The statement page exists
only for published statements, so in both cases nothing of a draft conference is shown; an
article imported into a draft beside new statements is shown once that draft is published.
"""

from dataclasses import dataclass

from django.db.models import F, Q

from ..models import Conference, Statement, StatementReport
from ..text.diff import Pairs, quote_diff


@dataclass
class ShownReport:
    report: StatementReport
    outlet: str  # the outlet's name, else the article's title
    diff: Pairs | None  # only when the wording differs


def reported_by(statement: Statement) -> list[ShownReport]:
    """The public reports of a published statement, oldest article first (one query)."""
    reports = (
        StatementReport.objects.filter(statement=statement)
        .filter(
            Conference.published_q("source__conference")
            | Q(source__conference_id=statement.conference_id)
        )
        .select_related("source", "source__outlet")
        .order_by(F("source__published_on").asc(nulls_last=True), "pk")
    )
    shown = []
    for report in reports:
        source = report.source
        outlet = source.outlet.name if source.outlet else source.title
        differs = report.similarity < 1.0
        diff = quote_diff(statement.text, report.quoted_text) if differs else None
        shown.append(ShownReport(report, outlet or "A news article", diff))
    return shown
