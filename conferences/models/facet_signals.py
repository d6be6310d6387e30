"""What keeps the list page's table (conferences/models/facets.py) in step with the archive.

Connected in apps.py. Every save that can change a facet row rebuilds the rows concerned at once,
inside the same transaction, so a publish, a withdrawal or an edit is seen by the next page with
nothing to wait for and nothing half-done when it rolls back. Writes that send no signal
(`QuerySet.update`, `bulk_create`) call facets.refresh themselves: the importer's writer,
permalinks.shift_sequences, the backup's restore and generate_corpus.
"""

from . import facets
from .archive import Conference, Statement, Topic
from .people import Speaker


def _using(kwargs) -> str:
    return kwargs.get("using") or "default"


def statement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        facets.refresh(_using(kwargs), statements=[instance.pk])


def conference_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        facets.refresh(_using(kwargs), conferences=[instance.pk])


def speaker_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        facets.refresh(_using(kwargs), speakers=[instance.pk])


def topic_saved(sender, instance, raw=False, **kwargs):
    """A topic's parent decides which topics its statements count under."""
    if not raw:
        facets.refresh(_using(kwargs), topics=[instance.pk])


def topic_deleting(sender, instance, **kwargs):
    """The links go with the topic, without a signal: remember whose rows to rebuild."""
    links = Statement.topics.through.objects.using(_using(kwargs))
    children = Topic.objects.using(_using(kwargs)).filter(parent=instance).values("pk")
    instance._facet_statements = list(
        links.filter(topic_id=instance.pk).values_list("statement_id", flat=True)
    ) + list(links.filter(topic_id__in=children).values_list("statement_id", flat=True))


def topic_deleted(sender, instance, **kwargs):
    facets.refresh(_using(kwargs), statements=getattr(instance, "_facet_statements", []))


def topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Statement.topics added, removed or cleared, from either side."""
    using = _using(kwargs)
    if action == "pre_clear" and reverse:
        # The links are about to go, and with them whose rows to rebuild: remember them.
        links = Statement.topics.through.objects.using(using).filter(topic_id=instance.pk)
        instance._facet_statements = list(links.values_list("statement_id", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        facets.refresh(using, statements=[instance.pk])
    elif action == "post_clear":
        facets.refresh(using, statements=getattr(instance, "_facet_statements", []))
    else:
        facets.refresh(using, statements=pk_set or ())


def connect(post_save, pre_delete, post_delete, m2m_changed) -> None:
    for model, receiver in (
        (Statement, statement_saved),
        (Conference, conference_saved),
        (Speaker, speaker_saved),
        (Topic, topic_saved),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"podium-facets-{model.__name__}")
    pre_delete.connect(topic_deleting, sender=Topic, dispatch_uid="podium-facets-topic-deleting")
    post_delete.connect(topic_deleted, sender=Topic, dispatch_uid="podium-facets-topic-deleted")
    m2m_changed.connect(
        topics_changed, sender=Statement.topics.through, dispatch_uid="podium-facets-topics"
    )
