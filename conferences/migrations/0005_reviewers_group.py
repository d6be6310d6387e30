"""The "Reviewers" group, and the Editors' rights on the models added with the history.

Editors view, add and change drafts; Reviewers may also publish, withdraw and edit what is
published (the custom publish_conference permission) and delete statements (a deleted
statement's permalink answers 410 Gone with what was cited).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWERS = "Reviewers"
EDITORS = "Editors"
ARCHIVE = (
    "conference",
    "organization",
    "role",
    "sourcedocument",
    "speaker",
    "speakeralias",
    "statement",
    "topic",
)
# The editorial record is written by the workflow and the forms; people only read it.
RECORD = ("statuschange", "correction", "retiredstatement", "statementreport")


def codenames(models, actions):
    return [f"{action}_{model}" for model in models for action in actions]


def create_reviewers(apps, schema_editor):
    app_config = apps.get_app_config("conferences")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="conferences")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*ours.filter(codename__in=codenames(RECORD, ["view"])))

    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    wanted = [
        *codenames(ARCHIVE, ["view", "add", "change"]),
        *codenames(RECORD, ["view"]),
        "publish_conference",
        "delete_statement",
    ]
    reviewers.permissions.add(*ours.filter(codename__in=wanted))


def remove_reviewers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0004_history_and_editorial_record"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_reviewers, remove_reviewers)]
