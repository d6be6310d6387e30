"""The share card of a statement: /s/<public_id>/card.png, drawn once and kept in the storage."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control

from ..cards import card_hash, card_name, render_card
from .statements import not_published, possible_id, published_statements

CARD_MAX_AGE = 60 * 60 * 24


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
    """The card from the storage, drawn and saved there first if it is not there yet."""
    name = card_name(statement, role)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    png = render_card(statement, role)
    saved = default_storage.save(name, ContentFile(png))
    if saved != name:  # another request saved the same card meanwhile: keep one copy
        default_storage.delete(saved)
    return png
