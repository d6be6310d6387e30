"""The rooms of conferences/ and the one way imports flow between them (README, "Where things
live"). Every import of every module is read, those inside functions included, and each must go
to its own room or to a room below it. The checker is tried on a small tree with broken rules
too, so a rule that no longer catches anything fails here."""

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
APP = "conferences"

BASE = {"text", "importer.parse"}  # import nothing of Podium, nor Django
DATA = BASE | {"models"}
MIDDLE = DATA | {"filters", "editorial", "ops", "corpus"}
BELOW_THE_TOP = MIDDLE | {"importer"}
# What each room may import besides itself. A room is a sub-package, or a module at the root.
MAY_IMPORT = {
    "text": set(),
    "importer.parse": set(),
    "models": {"text"},
    "migrations": {"models", "text"},
    "filters": DATA,
    "editorial": DATA,
    "ops": DATA,
    "corpus": DATA,
    "importer": DATA | {"editorial"},  # an import starts the workflow's log of its conference
    "public": BELOW_THE_TOP,
    "api": BELOW_THE_TOP,
    "admin": BELOW_THE_TOP,
    # export_statements writes from the shell what /statements/export.csv serves.
    "management": BELOW_THE_TOP | {"public"},
    "templatetags": BELOW_THE_TOP,
    "apps": BELOW_THE_TOP,
    "urls": BELOW_THE_TOP | {"public", "api", "admin"},
}
# Only the URLconfs route to the HTML views: feeds, the API and the rest share helpers through
# the rooms below instead.
VIEWS = "public.views"
VIEWS_IMPORTED_BY = {"urls"}
NO_DJANGO = BASE
# Django and the packages built on it, which text/ and importer/parse/ may not import either
DJANGO_PACKAGES = ("django", "rest_framework", "drf_spectacular", "simple_history", "axes", "csp")


def room_of(module: str) -> str | None:
    """The room of a dotted module path inside the app (None for the app's __init__)."""
    inside = module.split(".")[1:]
    if not inside:
        return None
    if inside[:2] == ["importer", "parse"]:
        return "importer.parse"
    return inside[0]


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def imported_modules(path: Path, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) of each import in the file; `from X import name` gives X.name
    when that is how a module is imported, and X otherwise (both count as X's room)."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def violations(root: Path) -> list[str]:
    """Every import that breaks the order, as "file:line: room imports room (module)"."""
    problems = []
    views = f"{APP}.{VIEWS}"
    for path in sorted((root / APP).rglob("*.py")):
        module, is_package = module_name(path, root)
        room = room_of(module)
        if room is None:
            continue
        where = f"{path.relative_to(root)}"
        if room not in MAY_IMPORT:
            problems.append(f"{where}: {room} is no room of the written order")
            continue
        for line, target in imported_modules(path, module, is_package):
            top = target.split(".")[0]
            if top.startswith(DJANGO_PACKAGES) and room in NO_DJANGO:
                problems.append(f"{where}:{line}: {room} imports Django ({target})")
            if top != APP:
                continue
            to = room_of(target)
            in_views = module == views or module.startswith(f"{views}.")
            to_views = target == views or target.startswith(f"{views}.")
            if to_views and not in_views and room not in VIEWS_IMPORTED_BY:
                problems.append(f"{where}:{line}: {room} imports the HTML views ({target})")
            elif to is not None and to != room and to not in MAY_IMPORT[room]:
                problems.append(f"{where}:{line}: {room} imports {to} ({target})")
    return problems


def test_imports_flow_one_way_through_the_rooms():
    assert violations(PROJECT) == []


def test_every_python_file_of_the_app_is_in_a_room_of_the_written_order():
    rooms = {room_of(module_name(p, PROJECT)[0]) for p in (PROJECT / APP).rglob("*.py")}
    assert rooms - {None} == set(MAY_IMPORT)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / APP / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_catches_each_kind_of_broken_rule(tmp_path):
    root = write(
        tmp_path,
        {
            "__init__.py": "",
            "text/__init__.py": "",
            "text/names.py": "from ..models import Speaker\nfrom django.db import models\n",
            "text/ids.py": "import django_filters\n",
            "management/commands/export.py": "from ...public import views\n",
            "models/__init__.py": "from ..text import names\n",  # allowed
            "importer/__init__.py": "",
            "importer/parse/__init__.py": "from conferences.importer import writer\n",
            "importer/writer.py": "from ..editorial import workflow\n",  # allowed
            "editorial/__init__.py": "",
            "editorial/workflow.py": "def f():\n    from ..public import feeds\n",
            "ops/__init__.py": "",
            "ops/caching.py": "from .. import admin\n",
            "public/__init__.py": "",
            "public/views/__init__.py": "from ...models import names\n",  # allowed
            "public/feeds.py": "from .views import statements\n",
            "api/__init__.py": "",
            "api/views.py": "from ..public.views.statements import with_roles\n",
            "urls.py": "from .public import views\nfrom .api import views as api\n",  # allowed
            "spare/__init__.py": "",
        },
    )
    assert violations(root) == [
        "conferences/api/views.py:1: api imports the HTML views (conferences.public.views"
        ".statements.with_roles)",
        "conferences/editorial/workflow.py:2: editorial imports public (conferences.public.feeds)",
        "conferences/importer/parse/__init__.py:1: importer.parse imports importer "
        "(conferences.importer.writer)",
        "conferences/management/commands/export.py:1: management imports the HTML views "
        "(conferences.public.views)",
        "conferences/ops/caching.py:1: ops imports admin (conferences.admin)",
        "conferences/public/feeds.py:1: public imports the HTML views "
        "(conferences.public.views.statements)",
        "conferences/spare/__init__.py: spare is no room of the written order",
        "conferences/text/ids.py:1: text imports Django (django_filters)",
        "conferences/text/names.py:1: text imports models (conferences.models.Speaker)",
        "conferences/text/names.py:2: text imports Django (django.db.models)",
    ]
