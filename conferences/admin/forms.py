"""Model forms used by the admin: they fill in derived columns and turn clashes into errors."""

from django import forms

from ..editorial import corrections
from ..importer.service import normal_newlines
from ..models import SourceDocument, SpeakerAlias, Statement
from ..models.archive import WebURLFormField
from ..text.ids import content_hash
from ..text.names import normalize_name


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
    """A statement, as the admin edits it alone, in its conference's page or on its history page
    (a revert). Once its conference has been public, a change of its text, speaker or label
    needs a note for readers and is recorded as a public correction
    (conferences/editorial/corrections.py).
    """

    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the text, speaker or label of a published or withdrawn "
        "statement changes: what was wrong and what was done. Shown to readers on the "
        "statement's page.",
    )
    editor = None  # who saves: set on the form class by the admin, recorded with a correction

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
        self.corrected = None  # the statement as it was, when this save is a public correction
        before = corrections.public_original(self.instance)
        changed = corrections.changed_fields(before, cleaned) if before else []
        if changed:
            self.corrected = corrections.snapshot(before)
            if not cleaned.get("correction_note"):
                self.add_error("correction_note", correction_note_required(changed))
        if "text" in cleaned:
            self.instance.content_hash = content_hash(cleaned["text"])
        return cleaned

    def save(self, commit=True):
        statement = super().save(commit=commit)
        if commit:
            self.record_correction()
        else:
            # The admin saves the statement itself, then calls save_m2m(): record after that.
            save_m2m = self.save_m2m

            def save_m2m_and_record():
                save_m2m()
                self.record_correction()

            self.save_m2m = save_m2m_and_record
        return statement

    def record_correction(self):
        if self.corrected is not None:
            note = self.cleaned_data["correction_note"]
            corrections.record_correction(self.corrected, self.instance, note, self.editor)
            self.corrected = None


def correction_note_required(changed: list[str]) -> str:
    listed = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
    return (
        f"Readers may have cited this statement: a change of its {listed} is a public "
        "correction and needs a note saying what was wrong and what was done (shown on the "
        "statement's page)."
    )


class SourceDocumentForm(forms.ModelForm):
    url = WebURLFormField(label="URL", required=False, max_length=500, assume_scheme="https")

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
