"""Import transcripts or news articles from files: `import_transcript PATH... [options]`.

A folder of files goes through one file at a time: a file that cannot be imported is reported
(with why) and the others go on; the command fails at the end if any did not go through."""

import datetime
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from conferences.importer.service import (
    KINDS,
    ImportRefused,
    build_preview,
    decode,
    make_plan,
    preview_json,
    too_large,
)
from conferences.importer.writer import DuplicateSource, write
from conferences.models import Conference

SUFFIXES = {".txt", ".html", ".htm", ".md"}
logger = logging.getLogger(__name__)


def read_text(path: Path) -> str:
    """The file's text, its size checked before a byte of it is read."""
    size = path.stat().st_size
    if size > settings.PODIUM_IMPORT_MAX_BYTES:
        raise ImportRefused(too_large("file", size))
    return decode(path.read_bytes())


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from exc


def expand(paths: list[str]) -> list[Path]:
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"No such file or folder: {name}")
    if not files:
        raise CommandError("No .txt or .html files to import.")
    return files


class Command(BaseCommand):
    help = "Import transcripts or news articles; --dry-run --json shows what would be saved."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders of .txt/.html files.")
        parser.add_argument("--kind", choices=KINDS, default="auto")
        parser.add_argument("--conference", type=int, help="Add to this conference (its id).")
        parser.add_argument("--title", default="")
        parser.add_argument("--date", type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--place", default="")
        parser.add_argument("--speaker", help="Speaker of quotes the text does not attribute.")
        parser.add_argument("--source-url", default="")
        parser.add_argument("--outlet", help="Who published the text.")
        parser.add_argument("--paraphrases", action="store_true", help="Keep reported speech.")
        parser.add_argument("--publish", action="store_true", help="Publish at once.")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")
        parser.add_argument("--json", action="store_true", help="Print JSON (with --dry-run).")

    def handle(self, *args, **options):
        conference = None
        if options["conference"] is not None:
            conference = Conference.objects.filter(pk=options["conference"]).first()
            if conference is None:
                raise CommandError(f"No conference has the id {options['conference']}.")
        files = expand(options["paths"])
        documents, failures = [], 0
        for number, path in enumerate(files, start=1):
            if len(files) > 1:
                self.progress(number, len(files), path)
            try:
                text = read_text(path)
                preview = build_preview(
                    text,
                    kind=options["kind"],
                    default_speaker=options["speaker"],
                    paraphrases=options["paraphrases"],
                )
            except (ImportRefused, OSError) as exc:
                failures += 1
                self.stderr.write(f"{path}: {exc}")
                continue
            except Exception as exc:  # a fault of the importer: this file only, and say so
                logger.exception("The importer failed on %s", path)
                failures += 1
                self.stderr.write(
                    f"{path}: the importer failed on this file ({type(exc).__name__}: {exc}); "
                    "nothing of it was imported. Please report it with the file."
                )
                continue
            if options["dry_run"]:
                document = preview_json(preview)
                documents.append({"path": str(path), **document} if len(files) > 1 else document)
                if not options["json"]:
                    self.describe(path, document)
                continue
            plan = make_plan(
                preview,
                conference=conference,
                title=options["title"],
                date=options["date"],
                place=options["place"],
                url=options["source_url"],
                outlet=options["outlet"],
                publish=options["publish"],
            )
            try:
                result = write(plan)
            except (DuplicateSource, ValueError, DatabaseError) as exc:
                failures += 1
                self.stderr.write(f"{path}: {exc}")
                continue
            self.stdout.write(
                f"{path}: {len(result.statements)} statements "
                f"({len(result.created_speakers)} new speakers) in {result.conference} "
                f"[{result.conference.status}]"
            )
        if options["dry_run"] and options["json"] and documents:
            payload = documents[0] if len(files) == 1 else {"documents": documents}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        if failures:
            raise CommandError(f"{failures} of {len(files)} file(s) were not imported.")

    def progress(self, number: int, total: int, path: Path) -> None:
        filled = round(20 * number / total)
        bar = "#" * filled + "." * (20 - filled)
        self.stderr.write(f"[{bar}] {number}/{total} {path.name}")

    def describe(self, path, document):
        conference = document["conference"]
        self.stdout.write(
            f"{path}: {len(document['statements'])} statements; title {conference['title']!r}, "
            f"date {conference['date']}, place {conference['place']!r}"
        )
        for statement in document["statements"]:
            words = " ".join(statement["text"].split()[:12])
            self.stdout.write(f"  {statement['speaker']} [{statement['kind']}]: {words}")
        for warning in document["warnings"]:
            self.stdout.write(f"  warning: {warning}")
