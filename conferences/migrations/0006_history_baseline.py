"""A first history record for every archive row saved before history was kept (migration 0004).

Without it an archive that existed before this release would have no record of, say, a
conference's first date and slug, so its old URL could not redirect after a change, and the
admin could not restore the version from before the first edit.
"""

from django.db import migrations
from django.utils import timezone

MODELS = (
    "Organization",
    "Speaker",
    "SpeakerAlias",
    "Role",
    "Topic",
    "Conference",
    "SourceDocument",
    "Statement",
)
REASON = "Baseline: the row as it was when Podium began to keep history."
BATCH = 2000


def record_baseline(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("conferences", name)
        historical = apps.get_model("conferences", f"Historical{name}")
        recorded = historical.objects.values("id")
        fields = [field.attname for field in model._meta.concrete_fields]
        rows = []
        for obj in model.objects.exclude(pk__in=recorded).iterator(chunk_size=BATCH):
            values = {attname: getattr(obj, attname) for attname in fields}
            rows.append(
                historical(
                    **values, history_date=now, history_type="+", history_change_reason=REASON
                )
            )
            if len(rows) == BATCH:
                historical.objects.bulk_create(rows)
                rows = []
        historical.objects.bulk_create(rows)
    link_baseline_topics(apps)


def link_baseline_topics(apps):
    """The statements' baseline records list their topics, so a restore keeps them."""
    records = apps.get_model("conferences", "HistoricalStatement").objects.filter(
        history_change_reason=REASON
    )
    links = apps.get_model("conferences", "Statement").topics.through.objects
    kept = apps.get_model("conferences", "HistoricalStatement_topics")
    by_statement = dict(records.values_list("id", "history_id"))
    rows = [
        kept(id=link.pk, history_id=by_statement[link.statement_id], **_ids(link))
        for link in links.filter(statement_id__in=by_statement).iterator(chunk_size=BATCH)
    ]
    kept.objects.bulk_create(rows, batch_size=BATCH)


def _ids(link) -> dict:
    return {"statement_id": link.statement_id, "topic_id": link.topic_id}


class Migration(migrations.Migration):
    dependencies = [("conferences", "0005_reviewers_group")]

    operations = [migrations.RunPython(record_baseline, migrations.RunPython.noop)]
