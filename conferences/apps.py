from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ConferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conferences"
    verbose_name = "Podium archive"

    def ready(self):
        from . import permalinks
        from .models import Statement

        # Why a signal: see conferences/permalinks.py (cascades delete statements too).
        pre_delete.connect(
            permalinks.retire_deleted_statement,
            sender=Statement,
            dispatch_uid="podium-retire-deleted-statement",
        )
