"""Write the whole archive and its history (unless --no-history) as versioned JSON lines.

python manage.py export_archive backup.jsonl.gz
python manage.py export_archive - --history > backup.jsonl

The format is described in conferences/ops/backup.py; `import_archive` reads it back.
"""

import gzip
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from conferences.ops import backup


class Command(BaseCommand):
    help = "Back up the whole archive, its editorial record and its users as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help='File to write; "-" for standard output; a name ending in .gz is gzipped.'
        )
        # History is in by default: old conference URLs redirect, and withdrawn statements'
        # ids are kept, only thanks to it.
        parser.add_argument(
            "--no-history",
            dest="history",
            action="store_false",
            help="Leave out the history records (the conferences.Historical* models); a "
            "restore then loses the redirects of old conference URLs.",
        )
        parser.add_argument(
            "--history",
            dest="history",
            action="store_true",
            help="Write every history record (the default).",
        )
        parser.set_defaults(history=True)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        path, using = options["path"], options["database"]
        try:
            if path == "-":
                counts = backup.write_archive(
                    _Unended(self.stdout), history=options["history"], using=using
                )
                self.stdout.flush()
                report = self.stderr  # standard output is the archive
            else:
                counts = self.write_file(Path(path), options["history"], using)
                report = self.stdout
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Could not write {path}: {exc}.") from exc
        if options["verbosity"] > 0:
            where = "standard output" if path == "-" else path
            report.write(
                f"Wrote {sum(counts.values()):,} rows to {where}:\n{backup.summary(counts)}"
            )

    def write_file(self, target: Path, history: bool, using: str) -> dict:
        """Write beside the target and rename at the end: a failed export leaves no file that
        looks like a backup (an interrupted one would lack its footer anyway)."""
        partial = target.with_name(target.name + ".partial")
        try:
            opener = gzip.open if target.name.endswith(".gz") else open
            with opener(partial, "wt", encoding="utf-8", newline="\n") as out:
                counts = backup.write_archive(out, history=history, using=using)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return counts


class _Unended:
    """The command's stdout without the line ending OutputWrapper adds to each write."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")
