"""Model forms used by the admin: they fill in derived columns and turn clashes into errors."""

from django import forms

from .importer.service import normal_newlines
from .models import SourceDocument, SpeakerAlias, Statement
from .models.archive import content_hash
from .names import normalize_name


class SpeakerAliasForm(forms.ModelForm):
    class Meta:
        model = SpeakerAlias
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        normalized = normalize_name(name)
        if not normalized:
            raise forms.ValidationError("An alias needs at least one letter or digit.")
        clash = SpeakerAlias.objects.filter(normalized=normalized).exclude(pk=self.instance.pk)
        clash = clash.select_related("speaker").first()
        if clash is not None:
            raise forms.ValidationError(
                f"“{name}” is already an alias of {clash.speaker} (as “{clash.name}”)."
            )
        self.instance.normalized = normalized
        return name


class AliasFormSet(forms.BaseInlineFormSet):
    """Two aliases of one speaker that normalise alike are an error, not a database crash."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            name = form.cleaned_data.get("name")
            if not name:
                continue
            key = normalize_name(name)
            if key in seen:
                raise forms.ValidationError(f"“{name}” and “{seen[key]}” are the same alias.")
            seen[key] = name


class StatementForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = [
            "conference",
            "source",
            "speaker",
            "label",
            "sequence",
            "text",
            "kind",
            "fidelity",
            "topics",
            "source_start",
            "source_end",
        ]

    def clean(self):
        cleaned = super().clean()
        if "text" in cleaned:
            # Browsers post textareas with CRLF; the archive keeps \n, as the importer does.
            cleaned["text"] = normal_newlines(cleaned["text"])
            self.instance.content_hash = content_hash(cleaned["text"])
        return cleaned


class SourceDocumentForm(forms.ModelForm):
    url = forms.URLField(label="URL", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = SourceDocument
        fields = [
            "conference",
            "kind",
            "title",
            "url",
            "outlet",
            "via",
            "published_on",
            "language",
            "text",
        ]

    def clean_text(self):
        text = normal_newlines(self.cleaned_data["text"])
        digest = content_hash(text)
        clash = SourceDocument.objects.filter(content_hash=digest).exclude(pk=self.instance.pk)
        clash = clash.select_related("conference").first()
        if clash is not None:
            raise forms.ValidationError(
                f"This exact text is already stored as a source of {clash.conference}."
            )
        self.instance.content_hash = digest
        return text
