"""The admin's import form: what the editor pastes or uploads, and where it goes."""

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from ..importer.service import KINDS, ImportRefused, check_text, decode, too_large
from ..models import Conference
from ..models.archive import WebURLFormField
from .import_link import LinkField, read_link


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        help_text="Paste a transcript or a news article, or upload a file or give a link below.",
    )
    file = forms.FileField(
        label="or a file",
        required=False,
        help_text="A .txt or .html file (UTF-8 or Windows-1252).",
    )
    link = LinkField(
        label="or a link",
        required=False,
        help_text="The address (http or https) of a transcript or an article: Podium fetches "
        "the page, takes its main text, title, date and publisher, and keeps the page as "
        "fetched as the source's archived copy.",
    )
    kind = forms.ChoiceField(
        choices=[(k, k.capitalize()) for k in KINDS],
        initial="auto",
        help_text="Auto recognises speaker labels (transcript) or quotation marks (article).",
    )
    # http(s) only, as SourceDocument.url: the error shows with the preview, and nothing is saved.
    source_url = WebURLFormField(
        label="Source URL", required=False, max_length=500, assume_scheme="https"
    )
    outlet = forms.CharField(required=False, help_text="Who published the text.")
    default_speaker = forms.CharField(
        required=False, help_text="Speaker of quotes the text does not attribute to anyone."
    )
    paraphrases = forms.BooleanField(
        required=False, label="Also keep reported speech as paraphrases"
    )
    conference = forms.ModelChoiceField(
        # Only drafts and those in review: what is added must be reviewed before it is public,
        # and a withdrawn conference is read-only for Editors (conferences/editorial/workflow.py).
        queryset=Conference.objects.editable().order_by("-date", "title"),
        required=False,
        label="Add to an unpublished conference",
        help_text="Leave empty to create a new draft conference from the fields below.",
    )
    title = forms.CharField(required=False, max_length=300, label="New conference: title")
    date = forms.DateField(required=False, label="date", help_text="YYYY-MM-DD")
    place = forms.CharField(required=False, max_length=200, label="place")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page a link was fetched from (importer/fetch.py FetchedPage), once the form is
        # valid; None for a pasted text or a file. The save stores it: ImportPlan.snapshot.
        self.snapshot = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if not upload and self.has_error("text"):
            return cleaned  # the field's own message says why (NUL characters): not "paste a text"
        if self.has_error("link"):
            cleaned.pop("text", None)  # not a web address: the field says why
            return cleaned
        if cleaned.get("link"):
            read_link(self, cleaned)  # import_link.py: a link, fetched or posted back
            return cleaned
        try:
            if upload:
                name = upload.name.lower()
                if not name.endswith((".txt", ".html", ".htm", ".md")):
                    raise ImportRefused("Upload a .txt or .html file.")
                if upload.size > settings.PODIUM_IMPORT_MAX_BYTES:  # refused before it is read
                    raise ImportRefused(too_large("file", upload.size))
                cleaned["text"] = decode(upload.read())
            text = cleaned.get("text") or ""
            if not text.strip():
                raise ImportRefused("Paste a text, choose a file or give a link to import.")
            cleaned["text"] = check_text(text)
        except ImportRefused as exc:
            self.add_error("text" if not upload else "file", str(exc))
        return cleaned

    def require_new_conference_fields(self) -> bool:
        """For a new conference, a title and a date are needed; errors are added to the form."""
        if self.cleaned_data.get("conference"):
            return True
        for name in ("title", "date"):
            if not self.cleaned_data.get(name):
                self.add_error(name, "A new conference needs this (or pick an existing one).")
        return not self.errors


class ImportSizeMiddleware:
    """A paste too large for Django to read gets the import's own refusal, as a 413 page, not
    Django's bare "Bad Request (400)".

    Django stops reading a form's fields past DATA_UPLOAD_MAX_MEMORY_SIZE (the import limit plus
    1 MB, config/settings.py) and raises RequestDataTooBig wherever request.POST is read first:
    in CsrfViewMiddleware, before any view could say why. Placed just above that middleware, this
    one reads the form first, on the import's URL only, and reads no more of the body than Django
    would. Uploaded files do not count towards that limit (Django spools them to disk and the form
    refuses them by size), so only a pasted text comes here; it cannot be shown again, since it
    was never read whole. A text between the limit and Django's reaches the form, which refuses
    it with the same sentence and keeps what was typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == import_url():
            try:
                request.POST  # noqa: B018 (parsed here so that a refusal can be answered)
            except RequestDataTooBig:
                return too_large_page(request)
        return self.get_response(request)


def import_url() -> str:
    return reverse("admin:conferences_conference_import")


def too_large_page(request) -> HttpResponse:
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    message = too_large("text", max(size, settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    page = format_html(
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>Too large to import · Podium</title></head>\n"
        "<body>\n<h1>Too large to import</h1>\n<p>{}</p>\n"
        '<p><a href="{}">Back to the import</a></p>\n</body>\n</html>\n',
        message,
        import_url(),
    )
    return HttpResponse(page, status=413, content_type="text/html; charset=utf-8")
