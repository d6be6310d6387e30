"""The share card of a statement: /s/<public_id>/card.png, drawn once and then kept.

A card is kept in two places, both keyed by `card_name` (the statement's id and a hash of
everything the card shows, so a key never needs invalidating: a change makes a new key):

1. Django's cache. With REDIS_URL that is Redis, shared by every node behind the load balancer,
   so a card drawn by one node is read by all the others without a shared disk. Without it, the
   cache is local memory per process and the storage below does the sharing on one machine.
2. The default storage (a folder under PODIUM_MEDIA_ROOT), which outlives restarts of a single
   machine. A node that finds a card there puts it in the cache for the others.

Only when neither has it is the card drawn. The cache rather than a table of cards: a card is
derived data that can always be drawn again, so losing it (Redis restarting empty, an eviction,
CARD_CACHE_SECONDS passing) costs one drawing, not data, and the archive's tables stay the
archive's. Two nodes drawing the same new card at the same moment both draw it; the result is
the same bytes under the same key.
"""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control

from ...models.lists import published_statements
from ..cards import card_hash, card_name, render_card
from .statements import not_published, possible_id

CARD_MAX_AGE = 60 * 60 * 24
# A card leaves the cache this long after it was put there; the next request reads it from the
# storage (or draws it again) and puts it back: a week keeps the cards shared without filling
# Redis with old ones. (No `touch` on a hit to keep a popular card longer: django-redis lets a
# failed touch raise even with IGNORE_EXCEPTIONS, which would make a Redis hiccup a 500.)
CARD_CACHE_SECONDS = 7 * 24 * 60 * 60
CACHE_PREFIX = "podium:card"


def statement_card(request, public_id):
    if not possible_id(public_id):
        raise Http404("No such statement.")
    statement = published_statements().filter(public_id=public_id).first()
    if statement is None:  # a merged id's card is its successor's; a deleted one's is gone
        return not_published(request, public_id, follow=card_url, page=False)
    role = statement.speaker.role_on(statement.conference.date)
    etag = f'"{card_hash(statement, role)[:12]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(card_png(statement, role), content_type="image/png")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CARD_MAX_AGE)
    return response


def card_url(statement) -> str:
    return reverse("conferences:card", kwargs={"public_id": statement.public_id})


def card_png(statement, role) -> bytes:
    """The card from the cache, else from the storage, else drawn and kept in both."""
    name = card_name(statement, role)
    key = f"{CACHE_PREFIX}:{name}"
    png = cache.get(key)
    if png is not None:
        return png
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            png = stored.read()
    else:
        png = render_card(statement, role)
        saved = default_storage.save(name, ContentFile(png))
        if saved != name:  # another request saved the same card meanwhile: keep one copy
            default_storage.delete(saved)
    cache.set(key, png, CARD_CACHE_SECONDS)
    return png
