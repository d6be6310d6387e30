"""Every public page renders the real texts of ../shared/corpus once imported and published.

The corpus is read where it lies (it is never copied into the project); without it, skip.
"""

import datetime
import re
from pathlib import Path

import pytest

from conferences.importer.service import build_preview, make_plan
from conferences.importer.writer import write
from conferences.models import Conference, Speaker, Statement

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
TEXTS = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not TEXTS, reason=f"no corpus at {CORPUS}"),
]


@pytest.fixture
def corpus():
    """The corpus's texts in which the importer finds statements, imported and published. (How
    many it finds is the scorer's business, ../shared/tools/score_importer.py; a text it finds
    nothing in cannot be imported and is left out here.)"""
    imported = []
    for path in TEXTS:
        preview = build_preview(path.read_text(encoding="utf-8"))
        if not preview.rows:
            continue
        imported.append(path)
        plan = make_plan(
            preview,
            title=preview.doc.title or path.stem,
            date=preview.doc.date or datetime.date(2020, 1, 1),
            publish=True,
        )
        write(plan)
    return imported


def test_every_page_renders_the_imported_corpus(client, corpus):
    # The first nine texts were all importable when this test was written; later texts may not be.
    assert len(corpus) >= 9
    assert Conference.objects.count() == len(corpus)
    pages = [
        "/",
        "/statements/",
        "/statements/?q=sanctions",
        "/conferences/",
        "/speakers/",
        "/topics/",
    ]
    pages += [conference.get_absolute_url() for conference in Conference.objects.all()]
    pages += [speaker.get_absolute_url() for speaker in Speaker.objects.all()]
    pages += [s.get_absolute_url() for s in Statement.objects.order_by("pk")[::7]]
    years = {conference.date.year for conference in Conference.objects.all()}
    pages += [f"/conferences/?year={year}" for year in years]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    total = Statement.objects.count()
    html = client.get("/statements/").content.decode()
    assert re.search(rf">{total} statements<", html)
