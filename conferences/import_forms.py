"""The admin's import form: what the editor pastes or uploads, and where it goes."""

from django import forms
from django.conf import settings

from .importer.service import KINDS, ImportRefused, check_text, decode
from .models import Conference
from .workflow import EDITABLE


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        help_text="Paste a transcript or a news article, or upload a file below.",
    )
    file = forms.FileField(
        label="or a file",
        required=False,
        help_text="A .txt or .html file (UTF-8 or Windows-1252).",
    )
    kind = forms.ChoiceField(
        choices=[(k, k.capitalize()) for k in KINDS],
        initial="auto",
        help_text="Auto recognises speaker labels (transcript) or quotation marks (article).",
    )
    source_url = forms.URLField(label="Source URL", required=False, assume_scheme="https")
    outlet = forms.CharField(required=False, help_text="Who published the text.")
    default_speaker = forms.CharField(
        required=False, help_text="Speaker of quotes the text does not attribute to anyone."
    )
    paraphrases = forms.BooleanField(
        required=False, label="Also keep reported speech as paraphrases"
    )
    conference = forms.ModelChoiceField(
        # Only drafts and those in review: what is added must be reviewed before it is public,
        # and a withdrawn conference is read-only for Editors (conferences/workflow.py).
        queryset=Conference.objects.filter(status__in=EDITABLE).order_by("-date", "title"),
        required=False,
        label="Add to an unpublished conference",
        help_text="Leave empty to create a new draft conference from the fields below.",
    )
    title = forms.CharField(required=False, max_length=300, label="New conference: title")
    date = forms.DateField(required=False, label="date", help_text="YYYY-MM-DD")
    place = forms.CharField(required=False, max_length=200, label="place")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        try:
            if upload:
                name = upload.name.lower()
                if not name.endswith((".txt", ".html", ".htm", ".md")):
                    raise ImportRefused("Upload a .txt or .html file.")
                if upload.size > settings.PODIUM_IMPORT_MAX_BYTES:
                    raise ImportRefused(
                        f"The file is {upload.size:,} bytes; Podium imports at most "
                        f"{settings.PODIUM_IMPORT_MAX_BYTES:,} bytes at once."
                    )
                cleaned["text"] = decode(upload.read())
            text = cleaned.get("text") or ""
            if not text.strip():
                raise ImportRefused("Paste a text or choose a file to import.")
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
