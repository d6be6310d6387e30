"""Rebuild the list page's derived tables from the archive (conferences/models/facets.py).

python manage.py rebuild_facets

Never needed in normal use (every save keeps them in step); after rows were written with raw SQL,
or to check that nothing drifted: the command says how many rows it wrote.
"""

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction

from conferences.models import facets


class Command(BaseCommand):
    help = "Rebuild the statement list's facet table, stored words and kept counts."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        using = options["database"]
        started = time.monotonic()
        with transaction.atomic(using=using):
            rows = facets.refresh_all(using)
        self.stdout.write(
            f"Rebuilt the list's table: {rows:,} published statements "
            f"in {time.monotonic() - started:.1f} s."
        )
