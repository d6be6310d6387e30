"""The editors' admin: the archive's records (archive.py) with their history pages (history.py),
statement tools (split, merge: statements.py) and the paste-and-preview import (imports.py with
import_forms.py). Django's autodiscovery imports this package; importing archive registers
every ModelAdmin."""

from . import archive  # noqa: F401
