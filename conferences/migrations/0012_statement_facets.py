"""The list page's derived tables (issue 18; conferences/models/facets.py and facet_counts.py):
each published statement's facet values, the same with its words as a stored tsvector, and the
kept facet counts of the lists with many rows. PostgreSQL gets GIN indexes on the topic ids and
on the words; all three are filled from the archive at the end.
"""

import django.db.models.deletion
from django.db import migrations, models

import conferences.models.facets

GIN_INDEXES = [
    "CREATE INDEX facets_topics ON conferences_statement_facets USING gin (topics)",
    "CREATE INDEX words_vector ON conferences_statement_words USING gin (vector)",
]


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in GIN_INDEXES:
            schema_editor.execute(sql)


def fill(apps, schema_editor):
    from conferences.models import facets

    facets.refresh_all(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0011_printed_label_rights"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("filter", models.CharField(max_length=20)),
                ("filter_value", models.CharField(max_length=40)),
                ("facet", models.CharField(max_length=20)),
                ("value", models.CharField(max_length=40)),
                ("n", models.IntegerField()),
            ],
            options={
                "db_table": "conferences_facet_counts",
                "indexes": [
                    models.Index(
                        models.F("filter"),
                        models.F("filter_value"),
                        models.F("facet"),
                        models.OrderBy(models.F("n"), descending=True),
                        name="facet_count_top",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("filter", "filter_value", "facet", "value"), name="facet_count_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StatementFacet",
            fields=[
                ("conference_id", models.BigIntegerField()),
                ("sequence", models.PositiveIntegerField()),
                ("date", models.DateField()),
                ("year", models.SmallIntegerField()),
                ("organization_id", models.BigIntegerField(null=True)),
                ("speaker_id", models.BigIntegerField()),
                ("country", models.CharField(max_length=2)),
                ("kind", models.CharField(max_length=12)),
                ("fidelity", models.CharField(max_length=20)),
                ("topics", conferences.models.facets.IdArrayField(default=list)),
                (
                    "statement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="facet",
                        serialize=False,
                        to="conferences.statement",
                    ),
                ),
            ],
            options={
                "db_table": "conferences_statement_facets",
                "indexes": [
                    models.Index(
                        models.OrderBy(models.F("date"), descending=True),
                        models.OrderBy(models.F("conference_id"), descending=True),
                        models.F("sequence"),
                        name="facets_newest",
                    ),
                    models.Index(fields=["speaker_id"], name="facets_speaker"),
                    models.Index(fields=["country"], name="facets_country"),
                    models.Index(fields=["organization_id"], name="facets_organization"),
                    models.Index(fields=["conference_id"], name="facets_conference"),
                    models.Index(fields=["year"], name="facets_year"),
                    models.Index(fields=["kind"], name="facets_kind"),
                    models.Index(fields=["fidelity"], name="facets_fidelity"),
                ],
            },
        ),
        migrations.CreateModel(
            name="StatementWords",
            fields=[
                ("conference_id", models.BigIntegerField()),
                ("sequence", models.PositiveIntegerField()),
                ("date", models.DateField()),
                ("year", models.SmallIntegerField()),
                ("organization_id", models.BigIntegerField(null=True)),
                ("speaker_id", models.BigIntegerField()),
                ("country", models.CharField(max_length=2)),
                ("kind", models.CharField(max_length=12)),
                ("fidelity", models.CharField(max_length=20)),
                ("topics", conferences.models.facets.IdArrayField(default=list)),
                (
                    "statement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="words",
                        serialize=False,
                        to="conferences.statement",
                    ),
                ),
                ("vector", conferences.models.facets.SearchVectorColumn(editable=False, null=True)),
            ],
            options={
                "db_table": "conferences_statement_words",
                "indexes": [
                    models.Index(fields=["speaker_id"], name="words_speaker"),
                    models.Index(fields=["conference_id"], name="words_conference"),
                ],
            },
        ),
        migrations.RunPython(create_gin, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
