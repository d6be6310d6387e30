"""Fill the database with a synthetic archive (for load tests and benchmarks).

python manage.py generate_corpus --statements 1000000 --seed 1

Every speaker and organisation is invented and marked "(synthetic)"; the same seed gives the
same archive. See conferences/corpus/synthetic.py.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from conferences.corpus import synthetic


class Command(BaseCommand):
    help = "Generate a synthetic archive of N statements (fictional speakers, fixed vocabulary)."

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, required=True, help="How many, exactly.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same archive.")
        parser.add_argument(
            "--batch-size", type=int, default=10_000, help="Statements written per batch."
        )
        when = parser.add_mutually_exclusive_group()
        when.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the archive already has conferences.",
        )
        when.add_argument(
            "--append",
            action="store_true",
            help="Add to an archive that has conferences already (refused otherwise).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        total, using = options["statements"], options["database"]
        if total < synthetic.MIN_SIZE:
            raise CommandError(f"--statements must be at least {synthetic.MIN_SIZE}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["if_empty"] and not synthetic.is_empty(using):
            self.stdout.write("The archive already has conferences; nothing was generated.")
            return
        progress = Progress(self.stderr) if options["verbosity"] > 0 else None
        try:
            summary = synthetic.generate(
                total,
                options["seed"],
                batch_size=options["batch_size"],
                append=options["append"],
                progress=progress,
                using=using,
            )
        except synthetic.ArchiveNotEmpty as exc:
            raise CommandError(
                f"{exc} Use --append to add to it, or --if-empty to skip. Nothing was generated."
            ) from exc
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {summary.statements:,} statements in {summary.conferences:,} "
                    f"conferences ({summary.speakers:,} new speakers, seed {options['seed']}) "
                    f"in {summary.seconds:.1f} s."
                )
            )


class Progress:
    """One line on stderr, rewritten in place on a terminal; elsewhere a line every 5%."""

    def __init__(self, stream):
        self.stream = stream  # the command's OutputWrapper
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.shown = -5

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // total
        line = (
            f"{done:,}/{total:,} statements ({percent}%), {time.monotonic() - self.started:.0f} s"
        )
        if self.tty:
            self.stream.write(f"\r{line}", ending="\n" if done >= total else "")
        elif percent >= self.shown + 5 or done >= total:
            self.shown = percent - percent % 5
            self.stream.write(line)
        self.stream.flush()
