"""Share cards: /s/<public_id>/card.png, a 1200×630 PNG drawn once and kept in the storage."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from conferences.models import Statement
from conferences.public import cards
from conferences.public.cards import ELLIPSIS, QUOTE_SIZES, card_name, fit_quote, font, render_card
from conferences.public.views import cards as card_views

from ..factories import ConferenceFactory, RoleFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Cards go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def statement():
    speaker = SpeakerFactory(name="Alva Quintero")
    RoleFactory(
        speaker=speaker, title="Minister of Synthetic Affairs", started_on=datetime.date(2020, 1, 1)
    )
    return StatementFactory(
        speaker=speaker,
        conference=ConferenceFactory(date=datetime.date(2024, 5, 17)),
        text="Norlandia welcomes the synthetic accord and will sign it at Port Aster.",
        fidelity="near_verbatim",
    )


@pytest.fixture
def renders(monkeypatch):
    """Counts the cards drawn."""
    calls = []

    def counting(statement, role):
        calls.append(statement.public_id)
        return render_card(statement, role)

    monkeypatch.setattr(card_views, "render_card", counting)
    return calls


def stored(media) -> list[str]:
    return sorted(path.name for path in (media / "cards").iterdir())


def test_card_is_a_1200_by_630_png_with_caching_headers(client, statement):
    response = client.get(f"/s/{statement.public_id}/card.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    name = card_name(statement, statement.speaker.role_on(statement.conference.date))
    assert response["ETag"] == f'"{name.removesuffix(".png").rsplit("-", 1)[1]}"'
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_card_is_drawn_once_then_read_from_the_storage(client, statement, media, renders):
    url = f"/s/{statement.public_id}/card.png"
    first = client.get(url).content
    files = stored(media)
    assert len(files) == 1
    assert files[0].startswith(f"{statement.public_id}-")
    assert files[0].endswith(".png")
    assert len(files[0]) == len(statement.public_id) + 1 + 12 + len(".png")
    mtime = (media / "cards" / files[0]).stat().st_mtime_ns
    assert client.get(url).content == first
    assert renders == [statement.public_id]
    assert stored(media) == files
    assert (media / "cards" / files[0]).stat().st_mtime_ns == mtime
    assert default_storage.exists(f"cards/{files[0]}")


def test_a_changed_text_makes_a_new_card(client, statement, media, renders):
    url = f"/s/{statement.public_id}/card.png"
    before = client.get(url)
    Statement.objects.filter(pk=statement.pk).update(text="Norlandia now declines the accord.")
    after = client.get(url)
    assert renders == [statement.public_id, statement.public_id]
    assert len(stored(media)) == 2
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_a_matching_etag_answers_304(client, statement):
    url = f"/s/{statement.public_id}/card.png"
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=86400"


def test_drafts_and_unknown_ids_have_no_card(client, media):
    draft = StatementFactory(conference=ConferenceFactory(status="draft"))
    assert client.get(f"/s/{draft.public_id}/card.png").status_code == 404
    assert client.get("/s/zzzzzzzz/card.png").status_code == 404
    assert not (media / "cards").exists()


def test_permalink_page_shares_the_card(client, statement):
    html = client.get(f"/s/{statement.public_id}/").content.decode()
    assert f'<meta property="og:image" content="{BASE}/s/{statement.public_id}/card.png">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert (
        '<meta property="og:image:alt" content="Alva Quintero, 17 May 2024: '
        '“Norlandia welcomes the synthetic accord and will sign it at Port Aster.”">' in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert client.get(f"/s/{statement.public_id}/card.png").status_code == 200


def test_card_url_is_not_taken_for_a_cosmetic_suffix(client, statement):
    response = client.get(f"/s/{statement.public_id}/some-words")
    assert response.status_code == 301
    assert response["Location"] == f"/s/{statement.public_id}/"
    assert client.get(f"/s/{statement.public_id}/card.png")["Content-Type"] == "image/png"


def test_a_short_quote_is_drawn_whole_at_the_largest_size():
    face, lines = fit_quote("Norlandia opens the port.", 1072, 406)
    assert face.size == QUOTE_SIZES[0]
    assert lines == ["Norlandia opens the port."]


def test_a_long_quote_is_shrunk_and_kept_whole():
    text = " ".join(["Norlandia will review the synthetic fishing quotas."] * 12)
    face, lines = fit_quote(text, 1072, 406)
    assert QUOTE_SIZES[-1] <= face.size < QUOTE_SIZES[0]
    assert " ".join(lines) == text
    assert all(face.getlength(line) <= 1072 for line in lines)


def test_a_quote_too_long_for_the_smallest_size_is_cut_at_a_word_with_an_ellipsis():
    words = [f"word{n}" for n in range(2000)]
    face, lines = fit_quote(" ".join(words), 1072, 406)
    assert face.size == QUOTE_SIZES[-1]
    assert lines[-1].endswith(ELLIPSIS)
    shown = " ".join(lines).removesuffix(ELLIPSIS).split()
    assert shown == words[: len(shown)]
    assert all(face.getlength(line) <= 1072 for line in lines)


def test_line_breaks_of_the_quote_are_kept():
    _face, lines = fit_quote("First line.\nSecond line.", 1072, 406)
    assert lines == ["First line.", "Second line."]


def test_without_the_dejavu_files_pillows_default_font_draws_the_card(monkeypatch, statement):
    monkeypatch.setattr(cards, "FONT_DIR", cards.Path("/nonexistent"))
    font.cache_clear()
    try:
        image = Image.open(io.BytesIO(render_card(statement, None)))
        assert image.size == (1200, 630)
    finally:
        font.cache_clear()


def test_every_demo_statement_has_a_card(client):
    call_command("load_demo", verbosity=0)
    for statement in Statement.objects.all():
        response = client.get(f"/s/{statement.public_id}/card.png")
        assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
