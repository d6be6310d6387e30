import datetime

import pytest
from django.core.management import call_command

from conferences.models import Conference, SourceDocument, Speaker, Statement, Topic

pytestmark = pytest.mark.django_db

TOPICS = {
    "NATO",
    "AUKUS",
    "Nord Stream 2",
    "INF Treaty",
    "Open Skies Treaty",
    "Security guarantees",
    "Russia-Japan peace treaty",
    "Sanctions",
}


def counts():
    return tuple(
        model.objects.count() for model in (Conference, SourceDocument, Speaker, Statement, Topic)
    )


def test_load_demo_gives_ten_quotes_by_lavrov_in_one_published_conference():
    call_command("load_demo", verbosity=0)
    conference = Conference.objects.get()
    assert (conference.title, conference.date, conference.place, conference.country.code) == (
        "Press conference on the results of Russian diplomacy in 2021",
        datetime.date(2022, 1, 14),
        "Moscow",
        "RU",
    )
    assert conference.status == "published"
    lavrov = Speaker.objects.get_by_name("Sergei Lavrov")
    assert lavrov.name == "Sergey Lavrov"
    assert Speaker.objects.get_by_name("Lavrov") == lavrov
    assert lavrov.role_on(conference.date).title == (
        "Minister of Foreign Affairs of the Russian Federation"
    )
    assert lavrov.role_on(datetime.date(2004, 3, 8)) is None
    statements = Statement.objects.published().filter(speaker=lavrov)
    assert statements.count() == 10
    assert set(statements.values_list("fidelity", flat=True)) == {"reported_quote"}
    assert list(statements.values_list("sequence", flat=True)) == list(range(1, 11))
    source = SourceDocument.objects.get()
    assert (source.outlet.name, source.via) == ("Prensa Latina", "TASS")
    assert source.kind == "news_article"
    assert set(Topic.objects.values_list("name", flat=True)) == TOPICS


def test_demo_quotes_are_verbatim_and_tagged():
    call_command("load_demo", verbosity=0)
    source = SourceDocument.objects.get()
    statements = list(Statement.objects.order_by("sequence"))
    for statement in statements:
        assert source.text[statement.source_start : statement.source_end] == statement.text
    assert statements[0].text.startswith("I think this is not a completely honest account")
    assert statements[3].text == "even and especially in high-tech areas."
    assert statements[6].text == "In addition, the pressures concern security issues,"
    assert [t.name for t in statements[0].topics.all()] == ["NATO"]
    assert {t.name for t in statements[5].topics.all()} == {
        "Russia-Japan peace treaty",
        "Sanctions",
    }


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    before = counts()
    ids = list(Statement.objects.values_list("public_id", flat=True))
    call_command("load_demo", verbosity=0)
    assert counts() == before == (1, 1, 1, 10, 8)
    assert list(Statement.objects.values_list("public_id", flat=True)) == ids


def test_load_demo_if_empty_leaves_a_used_archive_alone():
    Conference.objects.create(title="Existing", slug="existing", date=datetime.date(2020, 1, 1))
    call_command("load_demo", "--if-empty", verbosity=0)
    assert Statement.objects.count() == 0
