"""Export statements as CSV, JSON or NDJSON: the same filters, rows and order as /statements/.

python manage.py export_statements --format csv --year 2022 --speaker 3 --output out.csv
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.http import QueryDict

from conferences.filters import StatementFilter
from conferences.models import Statement
from conferences.public import exports

# Option name -> the query-string parameter StatementFilter reads.
FILTER_OPTIONS = {
    "q": "q",
    "speaker": "speaker",
    "topic": "topic",
    "country": "country",
    "organization": "organization",
    "conference": "conference",
    "kind": "kind",
    "fidelity": "fidelity",
    "date_from": "date_from",
    "date_to": "date_to",
    "year": "year",
    "sort": "sort",
}
PROGRESS_EVERY = 5000  # rows between two updates of the progress line


def filter_params(options) -> QueryDict:
    """The options as the query string /statements/ would receive."""
    params = QueryDict(mutable=True)
    for option, name in FILTER_OPTIONS.items():
        value = options.get(option)
        if value is None:
            continue
        params.setlist(name, [str(item) for item in value] if isinstance(value, list) else [value])
    return params


class Progress:
    """`done / total rows (percent)` on one stderr line, redrawn every PROGRESS_EVERY rows."""

    def __init__(self, stream, total: int):
        self.stream = stream
        self.total = total
        self.started = time.perf_counter()

    def draw(self, done: int) -> None:
        percent = 100 * done // self.total if self.total else 100
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        self.stream.write(
            f"\r{done:,} / {self.total:,} rows ({percent}%, {rate:,.0f} rows/s)", ending=""
        )
        self.stream.flush()

    def count(self, rows):
        done = 0
        self.draw(0)
        for done, row in enumerate(rows, 1):
            if done % PROGRESS_EVERY == 0:
                self.draw(done)
            yield row
        self.draw(done)
        self.stream.write("")


class Command(BaseCommand):
    help = "Export published statements as CSV, JSON or NDJSON, filtered like /statements/."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(exports.WRITERS), default="csv")
        parser.add_argument("--output", "-o", help="File to write; standard output by default.")
        parser.add_argument(
            "--base-url",
            default="http://localhost:8000",
            help="Scheme and host the permalinks start with (default: http://localhost:8000).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress on stderr.")
        filters = parser.add_argument_group("filters (as on /statements/)")
        filters.add_argument("--q", help="Words to search for (websearch syntax).")
        filters.add_argument(
            "--speaker", action="append", help="A speaker's id; repeat for several speakers."
        )
        filters.add_argument("--topic", help="A topic's slug (its sub-topics included).")
        filters.add_argument("--country", help="The speaker's country, as an ISO code (NO, RU…).")
        filters.add_argument("--organization", help="The host organisation's slug.")
        filters.add_argument("--conference", help="A published conference's id.")
        filters.add_argument("--kind", help="remark, question or answer.")
        filters.add_argument("--fidelity", help="verbatim, near_verbatim, reported_quote…")
        filters.add_argument("--date-from", help="YYYY-MM-DD")
        filters.add_argument("--date-to", help="YYYY-MM-DD")
        filters.add_argument("--year")
        filters.add_argument("--sort", help="newest, oldest or relevance.")

    def handle(self, *args, **options):
        statement_filter = StatementFilter(
            filter_params(options), queryset=Statement.objects.published()
        )
        if not statement_filter.is_valid():
            errors = statement_filter.error_messages()
            raise CommandError(
                "Some of the filters could not be used: "
                + "; ".join(f"--{f.replace('_', '-')}: {m}" for f, ms in errors.items() for m in ms)
            )
        filtered = statement_filter.qs
        queryset = exports.export_queryset(filtered, connections[filtered.db].vendor)
        rows = exports.export_rows(queryset, options["base_url"])
        if not options["quiet"] and options["verbosity"] > 0:
            rows = Progress(self.stderr, filtered.count()).count(rows)
        chunks = exports.WRITERS[options["format"]](rows)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                for chunk in chunks:
                    out.write(chunk)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            self.stdout.flush()
        if options["output"] and options["verbosity"] > 0 and not options["quiet"]:
            self.stderr.write(f"Wrote {options['output']}.")
