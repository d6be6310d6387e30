import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from conferences.models import __all__ as model_names


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    # --check exits non-zero (SystemExit) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


ARCHIVE = ["Conference", "Organization", "Role", "SourceDocument", "Speaker", "SpeakerAlias"]
ARCHIVE += ["Statement", "Topic", "PrintedLabel"]
RECORD = ["Correction", "RetiredStatement", "StatementReport", "StatusChange"]


def test_every_model_is_either_archive_or_editorial_record():
    assert sorted(model_names) == sorted(ARCHIVE + RECORD)


@pytest.mark.django_db
def test_editors_group_may_view_add_and_change_the_archive_and_view_the_record():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    expected = {
        f"{action}_{name.lower()}" for name in ARCHIVE for action in ("view", "add", "change")
    } | {f"view_{name.lower()}" for name in RECORD}
    assert codenames == expected
    assert len(codenames) == 31


@pytest.mark.django_db
def test_reviewers_group_may_also_publish_and_delete_statements_only():
    reviewers = Group.objects.get(name="Reviewers")
    codenames = set(reviewers.permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert codenames - editors == {"publish_conference", "delete_statement"}
    assert editors <= codenames
    assert not any(name.startswith("delete_") and name != "delete_statement" for name in codenames)


@pytest.mark.django_db
def test_rows_saved_before_history_get_one_baseline_record_with_their_topics():
    import importlib

    from django.apps import apps

    from conferences.models import Conference, Statement

    from ..factories import StatementFactory, TopicFactory

    baseline = importlib.import_module("conferences.migrations.0006_history_baseline")
    statement = StatementFactory(text="Baseline words.")
    statement.topics.add(TopicFactory(name="Ports"))
    kept = StatementFactory(text="Already recorded.")
    # As in an archive made before migration 0004: no history at all for the first statement.
    Statement.history.filter(id=statement.pk).delete()
    Conference.history.filter(id=statement.conference_id).delete()
    before = Statement.history.filter(id=kept.pk).count()

    baseline.record_baseline(apps, None)

    record = Statement.history.get(id=statement.pk)
    assert (record.history_type, record.text, record.history_change_reason) == (
        "+",
        "Baseline words.",
        baseline.REASON,
    )
    assert [link.topic.name for link in record.topics.all()] == ["Ports"]
    assert Conference.history.get(id=statement.conference_id).slug == statement.conference.slug
    assert Statement.history.filter(id=kept.pk).count() == before
