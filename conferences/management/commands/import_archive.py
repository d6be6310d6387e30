"""Restore an archive written by `export_archive` into an empty, migrated database.

python manage.py import_archive backup.jsonl.gz
python manage.py import_archive - < backup.jsonl

All or nothing: one transaction, refused (and nothing written) when the database holds any row
of the archive or a user, when the file is of another format version or was written at another
migration, or when it is damaged or cut short.
"""

import gzip
import io
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from conferences.ops import backup

GZIP_MAGIC = b"\x1f\x8b"


class Command(BaseCommand):
    help = "Restore an archive written by export_archive into an empty, migrated database."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help='The archive; "-" for standard input; gzipped files are recognised.'
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        path = options["path"]
        try:
            if path == "-":
                stdin = options.get("stdin") or io.TextIOWrapper(
                    sys.stdin.buffer, encoding="utf-8", newline=""
                )
                counts = backup.read_archive(stdin, using=options["database"])
            else:
                with self.open(Path(path)) as lines:
                    counts = backup.read_archive(lines, using=options["database"])
        except backup.BackupError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"The archive is not UTF-8 text ({exc}). Nothing was imported."
            ) from exc
        except (OSError, EOFError) as exc:
            raise CommandError(f"Could not read {path}: {exc}. Nothing was imported.") from exc
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Restored {sum(counts.values()):,} rows from {path}:\n{backup.summary(counts)}"
            )

    def open(self, path: Path):
        if not path.is_file():
            raise CommandError(f"No such file: {path}.")
        with open(path, "rb") as probe:
            gzipped = probe.read(2) == GZIP_MAGIC
        if gzipped:
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
        return open(path, encoding="utf-8", newline="")
