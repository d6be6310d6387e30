"""Editors and Reviewers may view, add and change the printed labels the importer learns, as the
rest of the archive (deleting stays with administrators, as for every model but statements)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WANTED = ["view_printedlabel", "add_printedlabel", "change_printedlabel"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("conferences")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    rights = Permission.objects.filter(content_type__app_label="conferences", codename__in=WANTED)
    for name in ("Editors", "Reviewers"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*rights)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    rights = Permission.objects.filter(content_type__app_label="conferences", codename__in=WANTED)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]):
        group.permissions.remove(*rights)


class Migration(migrations.Migration):
    dependencies = [("conferences", "0010_source_snapshot")]
    operations = [migrations.RunPython(grant, revoke)]
