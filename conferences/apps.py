from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete


class ConferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conferences"
    verbose_name = "Podium archive"

    def ready(self):
        from .editorial import permalinks
        from .models import Statement, facet_signals
        from .ops import caching

        # Why a signal: see conferences/editorial/permalinks.py (cascades delete statements too).
        pre_delete.connect(
            permalinks.retire_deleted_statement,
            sender=Statement,
            dispatch_uid="podium-retire-deleted-statement",
        )
        # The list page's table follows every change (conferences/models/facet_signals.py).
        facet_signals.connect(post_save, pre_delete, post_delete, m2m_changed)
        # Any change to the archive: this process reads the archive's version again at once
        # (conferences/ops/caching.py), so its own cached pages never outlive the change.
        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(caching.forget_version, dispatch_uid=f"podium-forget-version-{name}")
