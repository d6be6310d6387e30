import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from conferences.models import __all__ as model_names


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    # --check exits non-zero (SystemExit) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_editors_group_may_view_add_and_change_every_podium_model_but_not_delete():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    expected = {
        f"{action}_{name.lower()}" for name in model_names for action in ("view", "add", "change")
    }
    assert codenames == expected
    assert len(codenames) == 24
