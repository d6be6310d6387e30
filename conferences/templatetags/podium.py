"""Template filters for the public pages."""

from django import template

register = template.Library()


@register.filter
def http_url(value) -> str:
    """The URL when it is an http(s) address, else "": only those become links.

    Forms and the importer already refuse other schemes; this keeps a stored
    `javascript:` URL from ever becoming clickable, whatever put it there."""
    url = (value or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""
