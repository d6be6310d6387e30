"""What a browser posts from the admin's import form, read from the page the test client got:
the tests of the import post the page back as an editor's browser would."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The fields of the import form as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.fields = []
            self.forms.append(self.fields)
        elif self.fields is None:
            return
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind not in ("checkbox", "radio", "file", "submit") or "checked" in attrs:
                self.fields.append((name, attrs.get("value", "on" if "checked" in attrs else "")))
        elif tag == "select" and name:
            self.select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[1] = value if self.select[1] is None else self.select[1]
            if "selected" in attrs:
                self.select[2] = value
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            name, first, chosen = self.select
            self.fields.append((name, chosen if chosen is not None else first or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))  # as browsers read it
            self.textarea = None


def posted_form(page: str, **overrides) -> dict:
    """What the browser posts from the import form of `page` (the admin's logout form left
    out), with `overrides`."""
    reader = FormReader()
    reader.feed(page)
    fields = next(f for f in reader.forms if any(name == "text" for name, _ in f))
    data = {}
    for name, value in fields:
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    data = {name: values[0] if len(values) == 1 else values for name, values in data.items()}
    data.update(overrides)
    return data
