"""The writer saves a whole import or nothing; resolution finds speakers and topics."""

import datetime

import pytest
from django.db import IntegrityError

from conferences.importer.parse import ParsedDocument, Turn, parse
from conferences.importer.resolve import TopicSuggester, resolve_speakers
from conferences.importer.service import build_preview, known_speaker_names
from conferences.importer.writer import (
    DuplicateSource,
    ImportPlan,
    NewSpeaker,
    PlannedStatement,
    write,
)
from conferences.models import (
    Conference,
    Organization,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
)

from ..factories import SpeakerFactory, TopicFactory

TEXT = "MS. DARROW: One.\n\nQUESTION: Two?\n\nMS. DARROW: Three."


def plan(text=TEXT, topic=None):
    darrow = NewSpeaker(name="Mira Darrow", aliases=["MS. DARROW"])
    press = NewSpeaker(name="Unidentified journalist", kind="journalist", outlet="Norland Wire")
    return ImportPlan(
        text=text,
        source_kind=SourceDocument.Kind.OFFICIAL_TRANSCRIPT,
        title="Synthetic briefing",
        date=datetime.date(2023, 3, 9),
        place="Port Aster",
        host="Ministry of Synthetic Affairs",
        outlet="Norland Wire",
        statements=[
            PlannedStatement(speaker=darrow, text="One.", start=12, end=16, label="MS. DARROW"),
            PlannedStatement(speaker=press, text="Two?", kind="question", label="QUESTION"),
            PlannedStatement(
                speaker=darrow, text="Three.", kind="answer", topics=[topic] if topic else []
            ),
        ],
    )


def counts():
    models = (Conference, SourceDocument, Speaker, SpeakerAlias, Statement, Organization)
    return [model.objects.count() for model in models] + [Statement.topics.through.objects.count()]


@pytest.mark.django_db
def test_write_creates_everything_once():
    topic = TopicFactory()
    result = write(plan(topic=topic))
    assert result.created_conference is True
    assert [s.sequence for s in result.statements] == [1, 2, 3]
    assert [s.speaker.name for s in result.statements] == [
        "Mira Darrow",
        "Unidentified journalist",
        "Mira Darrow",
    ]
    assert len(result.created_speakers) == 2
    assert result.statements[1].speaker.organization.name == "Norland Wire"
    assert Speaker.objects.get_by_name("ms darrow").name == "Mira Darrow"
    assert result.conference.host.name == "Ministry of Synthetic Affairs"
    assert list(result.statements[2].topics.all()) == [topic]
    assert counts() == [1, 1, 2, 3, 3, 2, 1]


@pytest.mark.django_db
def test_write_records_the_user_it_is_given_and_reads_no_request():
    from django.contrib.auth.models import User

    importer = User.objects.create_user("importer", password="not-a-real-password-42")
    result = write(plan(), user=importer)
    change = result.conference.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "draft", importer)
    assert result.conference.status_changed_by == importer
    first_records = Statement.history.filter(id__in=[s.pk for s in result.statements])
    assert {record.history_user for record in first_records} == {importer}

    anonymous = write(plan(text=TEXT + "\n\nMS. DARROW: Four."))
    assert anonymous.conference.status_changes.get().changed_by is None


@pytest.mark.django_db
def test_same_text_twice_is_refused_and_changes_nothing():
    first = write(plan())
    before = counts()
    with pytest.raises(DuplicateSource) as refused:
        write(plan())
    assert refused.value.source == first.source
    assert "This text was already imported on" in str(refused.value)
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_an_error_at_the_last_statement_leaves_nothing_written():
    # A topic row that does not exist: the database refuses the last statement's link.
    ghost = Topic(pk=987654, name="Ghost", slug="ghost")
    with pytest.raises(IntegrityError):
        write(plan(topic=ghost))
    assert counts() == [0, 0, 0, 0, 0, 0, 0]


@pytest.mark.django_db(transaction=True)
def test_an_exception_while_writing_statements_rolls_everything_back(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Statement.topics.through.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        write(plan())
    assert counts() == [0, 0, 0, 0, 0, 0, 0]


def turn(label, speaker, kind="answer", anonymous=False, outlet=None):
    return Turn(
        label=label,
        speaker=speaker,
        anonymous=anonymous,
        outlet=outlet,
        text="Words.",
        kind=kind,
        fidelity="verbatim",
        start=0,
        end=6,
    )


@pytest.mark.django_db
def test_resolution_uses_aliases_variants_and_groups_anonymous_questioners():
    known = SpeakerFactory(name="Alva Quintero")
    SpeakerAlias.of(known, "Alva Quintero").save()
    doc = ParsedDocument(
        kind="transcript",
        title=None,
        date=None,
        place=None,
        turns=[
            turn("FOREIGN MINISTER QUINTERO", "Quintero"),
            turn("Q", None, "question", anonymous=True),
            turn("QUESTION", None, "question", anonymous=True),
            turn("CCTV", None, "question", anonymous=True, outlet="CCTV"),
            turn("MR. EBERLE", "Eberle"),
        ],
        speakers={"Quintero": ["Quintero", "Alva Quintero"], "Eberle": ["Eberle"]},
    )
    choices, per_turn = resolve_speakers(doc)
    assert [c.display_name for c in per_turn] == [
        "Alva Quintero",
        "Unidentified journalist",
        "Unidentified journalist",
        "Unidentified journalist (CCTV)",
        "Eberle",
    ]
    assert len(choices) == 4
    assert per_turn[0].existing == known
    assert per_turn[1] is per_turn[2]
    assert per_turn[3].proposed.outlet == "CCTV"
    assert per_turn[3].proposed.kind == "journalist"
    assert per_turn[4].proposed.aliases == ["Eberle", "MR. EBERLE"]
    assert per_turn[4].proposed.kind == "official"


@pytest.mark.django_db
def test_a_named_journalist_keeps_name_and_outlet():
    doc = parse(
        "Dario Kessel [Norland Wire]: Minister, will the treaty be signed this year?\n"
        "Ilse Marwick [Minister of Foreign Affairs]: We hope so.\n"
        "Dario Kessel [Norland Wire]: And the quotas?\n"
    )
    choices, per_turn = resolve_speakers(doc)
    assert len(choices) == 2
    assert [c.display_name for c in per_turn] == ["Dario Kessel", "Ilse Marwick", "Dario Kessel"]
    kessel = per_turn[0].proposed
    assert (kessel.kind, kessel.outlet) == ("journalist", "Norland Wire")
    assert per_turn[1].proposed.kind == "official"
    assert [t.kind for t in doc.turns] == ["question", "answer", "question"]


@pytest.mark.django_db
def test_topics_are_suggested_by_whole_keywords_ignoring_case():
    fish = TopicFactory(name="Fisheries", keywords="fishing quota\ntrawler")
    nato = TopicFactory(name="NATO", keywords="North Atlantic alliance")
    suggester = TopicSuggester()
    assert suggester.suggest("The FISHERIES talks went well.") == [fish]
    assert suggester.suggest("A new fishing quota and NATO.") == [fish, nato]
    assert suggester.suggest("Trawlers, unnatoward, fishy.") == []


@pytest.mark.django_db
def test_a_post_without_a_name_is_never_kept_as_an_alias():
    doc = parse(
        "Ilse Marwick, Foreign Minister: We met our neighbours today.\n"
        "Journalist: Minister, what did you agree?\n"
        "Foreign Minister: That the inspection comes first.\n"
    )
    _, per_turn = resolve_speakers(doc)
    marwick = per_turn[0].proposed
    assert per_turn[2] is per_turn[0]
    assert marwick.name == "Ilse Marwick"
    assert "Foreign Minister" not in marwick.aliases
    assert marwick.aliases == ["Ilse Marwick", "Ilse Marwick, Foreign Minister"]


@pytest.mark.django_db
def test_the_detected_language_is_stored_on_source_and_conference():
    from conferences.importer.service import build_preview, make_plan

    text = (
        "Pressekonferenz der Außenministerin Ilse Marwick, Port Aster, 3. März 2023\n\n"
        "Marwick: Wir haben heute den Vertrag mit unseren Nachbarn unterzeichnet, und das ist "
        "ein guter Tag für die Fischer in der ganzen Region.\n\n"
        "Frage: Wann tritt der Vertrag in Kraft?\n\n"
        "Marwick: Nach der Ratifizierung durch die beiden Parlamente, also noch in diesem Jahr.\n"
    )
    preview = build_preview(text)
    assert preview.doc.language == "de"
    result = write(make_plan(preview))
    assert (result.source.language, result.conference.language) == ("de", "de")
    assert result.conference.date == datetime.date(2023, 3, 3)


KNOWN_LABELS = """Regierungspressekonferenz vom 15. Mai 2024

Frage
Wie bewertet die Regierung die Gespräche in Valdora?

Marwick (AA)
Wir bewerten sie als konstruktiv. Die Gespräche gehen weiter.

Frage
Wann ist die nächste Runde?

Kessel
Im Juni, in Valdora.
"""


@pytest.mark.django_db
def test_a_name_printed_once_alone_on_its_line_is_a_label_when_the_archive_knows_it():
    # each name is printed once: on its own, the text has too few labels to be a transcript
    assert [t.label for t in build_preview(KNOWN_LABELS).doc.turns] == []
    kessel = SpeakerFactory(name="Dario Kessel", slug="dario-kessel")
    SpeakerAlias.of(kessel, "Kessel").save()
    marwick = SpeakerFactory(name="Ilse Marwick", slug="ilse-marwick")
    SpeakerAlias.of(marwick, "Marwick").save()
    preview = build_preview(KNOWN_LABELS)
    assert preview.doc.kind == "transcript"
    assert [(t.label, t.kind) for t in preview.doc.turns] == [
        ("Frage", "question"),
        ("Marwick (AA)", "answer"),
        ("Frage", "question"),
        ("Kessel", "answer"),
    ]
    assert [row.choice.existing for row in preview.rows[1::2]] == [marwick, kessel]


@pytest.mark.django_db
def test_known_speaker_names_answers_by_lookup_form_in_one_query(django_assert_num_queries):
    SpeakerAlias.of(SpeakerFactory(name="Dario Kessel", slug="dario-kessel"), "Kessel").save()
    with django_assert_num_queries(1):
        found = known_speaker_names(["KESSEL", "Kessel (AA)", "Marwick", "Frage"])
    assert found == {"KESSEL"}


def test_a_pronoun_label_never_becomes_a_speakers_name():
    from conferences.importer.parse.records import Turn
    from conferences.importer.resolve import UNKNOWN_NAME, _identity

    turn = Turn("he", None, False, None, "Yes.", "remark", "reported_quote", 0, 4, [])
    assert _identity(turn, None)[1] == UNKNOWN_NAME
    assert _identity(turn, "Ilse Marwick")[1] == "Ilse Marwick"
