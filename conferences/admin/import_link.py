"""The import's "paste a link": the link field, the page fetched from it, and the page's
archived copy carried from the preview to the save.

The preview keeps no state on the server (imports.py): the save is the preview page posted
again. The archived copy must be the page the preview was made from, so it travels with the
form, in a hidden input beside the link: the page's bytes, compressed, with the address and time
of the fetch, signed with the secret key (django.core.signing), so that what the save stores is
what Podium fetched and nothing an editor's browser could make up. Fetching the page again on
save would cost a second request, and would fail on every page that changes from one request to
the next (a CSRF token, a timestamp, a rotating advertisement), which many ministry and news
pages do. The copy is bounded so that the posted form stays within Django's limit
(DATA_UPLOAD_MAX_MEMORY_SIZE) beside the text and the preview's fields; a page too large for
that is refused with a message, before anything is shown.

A link is one of the three sources of the text, with a pasted text and an uploaded file: the
editor gives exactly one. After the preview the text box holds the page's text (which the
editor may correct before saving) and the link its address: that pair, with the signed copy of
that same link, is a link's import, not two sources.
"""

import base64
import datetime
import json
import zlib

from django import forms
from django.conf import settings
from django.core import signing

from ..importer.extract import page_text
from ..importer.fetch import MAX_URL_LENGTH, FetchedPage, FetchRefused, fetch_page
from ..importer.service import ImportRefused, check_text
from ..models.archive import WebURLFormField

SALT = "conferences.admin.import_link.snapshot"
# What the preview's other fields may take of the posted form: about eight per statement, a few
# hundred kilobytes for the longest import (importer/service.py, MAX_STATEMENTS).
FIELDS_ROOM = 512 * 1024
ONE_SOURCE = (
    "Paste a text, choose a file or give a link: one of them, not several. To say where a "
    "pasted text comes from, fill in Source URL instead."
)
LINK_CHANGED = (
    "The link changed after its page was fetched: empty the text box to fetch the new page, "
    "or put the first link back."
)


class LinkWidget(forms.MultiWidget):
    """The link as typed, and beside it, hidden, the signed archived copy of its page."""

    def __init__(self, attrs=None):
        widgets = {
            "": forms.URLInput(attrs={"size": 80, "placeholder": "https://"}),
            "snapshot": forms.HiddenInput(),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return [value or "", ""]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""  # the label names the address box


class LinkField(forms.Field):
    """A web address (http or https); its widget also posts the archived copy (see
    `snapshot_token`), which the form reads, so the field's value is the address only."""

    widget = LinkWidget

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.address = WebURLFormField(
            required=False, max_length=MAX_URL_LENGTH, assume_scheme="https"
        )

    def clean(self, value):
        link = value[0] if isinstance(value, list | tuple) else value
        return self.address.clean(link)


def pack(page: FetchedPage, link: str) -> str:
    """The archived copy as a signed token; `link` is the address the editor gave."""
    header = {
        "link": link,
        "url": page.url,
        "type": page.content_type,
        "at": page.fetched_at.isoformat(),
    }
    packed = zlib.compress(json.dumps(header).encode("utf-8") + b"\n" + page.content)
    value = base64.urlsafe_b64encode(packed).decode("ascii")
    return signing.Signer(salt=SALT).sign(value)


def unpack(token: str) -> tuple[str, FetchedPage] | None:
    """(the link given, the page) from a token `pack` made; None for anything else."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
        # Signed by Podium, so no bomb: it holds at most PODIUM_FETCH_MAX_BYTES.
        header, _, content = zlib.decompress(base64.urlsafe_b64decode(value)).partition(b"\n")
        meta = json.loads(header)
        page = FetchedPage(
            url=meta["url"],
            content=content,
            content_type=meta["type"],
            fetched_at=datetime.datetime.fromisoformat(meta["at"]),
        )
    except (signing.BadSignature, ValueError, KeyError, TypeError, zlib.error):
        return None
    return meta["link"], page


def read_link(form, cleaned: dict) -> None:
    """The form's link, if one was given: the page fetched, or the copy posted back, becomes
    `form.snapshot`, its text the form's text, and its metadata the fields the editor left
    empty. A refusal goes on the link field, keeping what was typed, and leaves no text to
    preview."""
    link = cleaned["link"]
    posted = unpack(form["link"].data[1] or "")
    if cleaned.get("file") or (cleaned.get("text") or "").strip():
        if cleaned.get("file") or posted is None:
            refuse(form, cleaned, ONE_SOURCE)
        elif posted[0] != link:
            refuse(form, cleaned, LINK_CHANGED)
        else:
            try:
                cleaned["text"] = check_text(cleaned["text"])
            except ImportRefused as exc:
                form.add_error("text", str(exc))
                return
            form.snapshot = posted[1]  # the preview's page, for the save
        return
    try:
        page = fetch_page(link)
        found = page_text(page)
        text = check_text(found.text)
        token = pack(page, link)
        room = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - len(text.encode("utf-8")) - FIELDS_ROOM
        if len(token) > room:
            raise FetchRefused(
                "The page is too large to keep as an archived copy beside its text; copy the "
                "text from your browser and paste it instead."
            )
    except (FetchRefused, ImportRefused) as exc:
        refuse(form, cleaned, str(exc))
        return
    form.snapshot = page
    cleaned["text"] = text
    data = form.data.copy()  # the posted QueryDict cannot be changed in place
    data["text"] = text
    data[form["link"].html_name + "_snapshot"] = token
    values = {
        "source_url": found.url,
        "outlet": found.outlet[:200],
        "title": found.title[:300],
        "date": found.date,
    }
    for name, value in values.items():
        if value and not data.get(form.add_prefix(name)) and not form.has_error(name):
            cleaned[name] = value
            data[form.add_prefix(name)] = value.isoformat() if name == "date" else value
    form.data = data


def refuse(form, cleaned: dict, message: str) -> None:
    form.add_error("link", message)
    cleaned.pop("text", None)  # nothing to preview: imports.py shows the form and its errors
