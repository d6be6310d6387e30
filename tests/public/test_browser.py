"""What a reader and an editor meet, in a real Chromium."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_reader_goes_from_home_to_a_permalink_and_back_in_context(live_server, page, demo):
    page.goto(live_server.url + "/")
    page.get_by_role(
        "link", name="Press conference on the results of Russian diplomacy in 2021"
    ).click()
    expect(page.locator("article.statement")).to_have_count(10)
    first = page.locator("article.statement").first
    first.locator("a.permalink-link").click()
    assert page.url.startswith(live_server.url + "/s/")
    assert (
        page.locator("blockquote")
        .inner_text()
        .startswith("I think this is not a completely honest account of the situation.")
    )
    assert (
        page.locator("figcaption")
        .inner_text()
        .startswith("Sergey Lavrov, Minister of Foreign Affairs of the Russian Federation")
    )
    page.get_by_role("link", name="Read it in context").click()
    anchor = page.url.split("#")[1]
    assert page.locator(f"#{anchor}").evaluate("el => getComputedStyle(el).borderLeftColor") == (
        "rgb(26, 84, 150)"
    )


def test_editor_logs_in_and_finds_the_demo_speaker_by_alias(live_server, page, demo):
    User.objects.create_user(
        "editor", password="not-a-real-password-42", is_staff=True, is_superuser=True
    )
    page.goto(live_server.url + "/admin/conferences/speaker/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "not-a-real-password-42")
    page.click("input[type=submit]")
    page.fill("#searchbar", "Sergei")
    page.press("#searchbar", "Enter")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("Sergey Lavrov")
