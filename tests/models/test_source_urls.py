"""SourceDocument.url takes web addresses only (http, https): a javascript:, data: or vbscript:
URL would run in a reader's browser once linked, and ftp:, file: or mailto: ones are no source a
reader can open. Refused by the model and by every form that sets it (the admin's, the import's),
with a message naming the scheme; what was stored before is still never linked (the http_url
filter) nor offered as the quote's source in its JSON-LD. The pages themselves: test_xss.py."""

import html

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from conferences.admin.forms import SourceDocumentForm
from conferences.admin.import_forms import ImportForm
from conferences.models import SourceDocument, Statement
from conferences.models.archive import WEB_URL_MESSAGE
from conferences.public.citations import quote_metadata

from ..factories import ConferenceFactory, SourceDocumentFactory, StatementFactory


def refused(scheme: str) -> str:
    return WEB_URL_MESSAGE % {"scheme": scheme}


INVALID = "Enter a valid URL."
# An address, and the error of the model and of a form (which strips blanks first).
REFUSED_URLS = [
    ("javascript:alert('xss-79')", refused("javascript"), refused("javascript")),
    ("JAVASCRIPT:alert('xss-80')", refused("javascript"), refused("javascript")),
    (" javascript:alert('xss-81')", refused("javascript"), refused("javascript")),
    ("java\tscript:alert('xss-82')", INVALID, INVALID),
    ("javascript://norland.example/%0Aalert('xss')", refused("javascript"), refused("javascript")),
    ("data:text/html,<script>alert('xss-83')</script>", refused("data"), refused("data")),
    ("vbscript:msgbox('xss-84')", refused("vbscript"), refused("vbscript")),
    ("ftp://norland.example/briefing.txt", refused("ftp"), refused("ftp")),
    ("file:///etc/passwd", refused("file"), refused("file")),
    ("mailto:press@norland.example", refused("mailto"), refused("mailto")),
    ("https://norland.example/a b", INVALID, INVALID),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "model_error", "form_error"), REFUSED_URLS)
def test_source_url_other_than_http_is_refused_by_the_model_and_its_forms(
    url, model_error, form_error
):
    conference = ConferenceFactory()
    source = SourceDocument(conference=conference, kind="news_article", text="x", url=url)
    with pytest.raises(ValidationError) as error:
        source.full_clean(exclude=["content_hash"])
    assert error.value.message_dict == {"url": [model_error]}
    data = {"conference": conference.pk, "kind": "news_article", "text": "Words.", "url": url}
    data["language"] = "en"
    assert SourceDocumentForm(data).errors == {"url": [form_error]}
    assert ImportForm({"text": "Words.", "kind": "auto", "source_url": url}).errors == {
        "source_url": [form_error]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["https://norland.example/a?b=1", "http://norland.example/"])
def test_source_url_over_http_is_accepted(url):
    data = {"conference": ConferenceFactory().pk, "kind": "news_article", "text": "Words."}
    form = SourceDocumentForm({**data, "url": url, "language": "en"})
    assert form.errors == {}
    assert form.save().url == url


@pytest.mark.django_db
def test_source_url_refused_in_the_admin_with_the_form_kept(client):
    user = User.objects.create_superuser("reviewer", "reviewer@example.org", "not-a-real-pw-42")
    client.force_login(user)
    conference = ConferenceFactory()
    data = {"conference": conference.pk, "kind": "news_article", "text": "Words.", "language": "en"}
    data["url"] = "javascript:alert('xss-79')"
    response = client.post(reverse("admin:conferences_sourcedocument_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"url": [refused("javascript")]}
    assert f'value="{html.escape(data["url"])}"' in response.content.decode()
    assert SourceDocument.objects.count() == 0
    source = SourceDocumentFactory(conference=conference, url="https://norland.example/")
    data["text"] = source.text
    change = reverse("admin:conferences_sourcedocument_change", args=[source.pk])
    response = client.post(change, {**data, "url": "vbscript:msgbox(1)"})
    assert response.context["adminform"].form.errors == {"url": [refused("vbscript")]}
    source.refresh_from_db()
    assert source.url == "https://norland.example/"


def test_http_url_filter_links_web_addresses_only():
    render = Template("{% load podium %}[{{ url|http_url }}]").render
    for url, _, _ in REFUSED_URLS[:-1]:
        assert render(Context({"url": url})) == "[]"
    assert render(Context({"url": " HTTPS://norland.example/?a=1&b=2 "})) == (
        "[HTTPS://norland.example/?a=1&amp;b=2]"
    )


@pytest.mark.django_db
def test_json_ld_names_a_source_url_only_when_it_is_a_web_address():
    statement = StatementFactory(source=SourceDocumentFactory(url="javascript:alert(1)"))
    statement = Statement.objects.select_related("conference", "speaker", "source").get()
    assert (
        "citation" not in quote_metadata(statement, None, "https://podium.example/s/x/")["json_ld"]
    )
    statement.source.url = "https://norland.example/briefing"
    data = quote_metadata(statement, None, "https://podium.example/s/x/")["json_ld"]
    assert data["citation"] == "https://norland.example/briefing"
