"""The public site in a real Chromium: what a researcher, a journalist and a keyboard or phone
reader meet. Every page is also checked with axe-core and for console errors."""

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from conferences.models import Conference, Speaker, Statement, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWSROOM = (
    "Sergey Lavrov, Minister of Foreign Affairs of the Russian Federation, press conference, "
    "Moscow, 14 January 2022"
)
SANCTIONS_QUOTES = [
    "In the economic field, if we had any illusions, they have completely dissipated in the last "
    "seven years,",
    "even and especially in high-tech areas.",
    "In part, this refers to artificial obstructions to investment cooperation. We know that "
    "pressure is being exerted on Japan in this regard. Pressure is being exerted for Japan to "
    "join the sanctions. He joins some of them, not all of them, but many.",
]
PHONE = {"width": 375, "height": 800}
PAGE_TYPES = [
    "home",
    "statements",
    "statements-search",
    "permalink",
    "conferences",
    "conference",
    "speakers",
    "speaker",
    "topics",
    "topic",
]


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.fixture
def urls(demo):
    """The path of one page of each type, in the demo archive."""
    statement = Statement.objects.get(sequence=3)
    return {
        "home": reverse("conferences:home"),
        "statements": reverse("conferences:statements"),
        "statements-search": reverse("conferences:statements") + "?q=%22peace+treaty%22",
        "permalink": statement.get_absolute_url(),
        "conferences": reverse("conferences:conferences"),
        "conference": Conference.objects.get().get_absolute_url(),
        "speakers": reverse("conferences:speakers"),
        "speaker": Speaker.objects.get().get_absolute_url(),
        "topics": reverse("conferences:topics"),
        "topic": Topic.objects.get(slug="sanctions").get_absolute_url(),
    }


@pytest.fixture
def open_page(browser):
    """Open a page in a fresh context (options as for `browser.new_context`). Every console
    error on any page opened this way fails the test at teardown, except those about a URL a
    test adds to `open_page.expected_errors` (a page answered with 400 on purpose)."""
    contexts, errors = [], []

    def on_console(message):
        url = message.location["url"]
        # Chromium asks every site for /favicon.ico, which Podium does not serve (yet).
        if message.type != "error" or url.endswith("/favicon.ico"):
            return
        if url not in open_.expected_errors:
            errors.append(f"{url}: {message.text}")

    def open_(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        return page

    open_.expected_errors = set()
    yield open_
    for context in contexts:
        context.close()
    assert errors == [], "console errors:\n" + "\n".join(errors)


def facet(page, title):
    return page.get_by_role("region", name=title, exact=True)


def query(page):
    return parse_qs(urlsplit(page.url).query)


def tab_until(page, locator, limit=40):
    """Press Tab until `locator` has the focus; the number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{locator} never got the focus in {limit} presses of Tab")


def focused_name(page):
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el.id ? '#' + el.id : el.textContent.trim(); }"
    )


# 1. Filter by topic, then by speaker.


def test_filter_by_topic_then_speaker_shows_three_sanctions_quotes(live_server, open_page, demo):
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    page = open_page()
    page.goto(live_server.url + "/statements/")
    expect(page.locator("#results-heading")).to_have_text("10 statements")

    facet(page, "Topic").get_by_role("link", name="Sanctions", exact=True).click()
    expect(page.locator("#results-heading")).to_have_text("3 statements")
    assert query(page) == {"topic": ["sanctions"]}
    expect(facet(page, "Speaker").locator("li")).to_have_text(["Sergey Lavrov 3"])

    facet(page, "Speaker").get_by_role("link", name="Sergey Lavrov", exact=True).click()
    expect(page.locator("#results-heading")).to_have_text("3 statements")
    assert query(page) == {"topic": ["sanctions"], "speaker": [str(lavrov.pk)]}
    expect(page.locator("article.statement blockquote")).to_have_text(SANCTIONS_QUOTES)
    expect(page.locator(".facet li.selected a")).to_have_text(
        ["Remove filter: Sergey Lavrov", "Remove filter: Sanctions"]
    )
    expect(page.locator(".facet a[aria-current=true]")).to_have_count(2)

    # Clicking a selected option removes that filter and keeps the other one.
    facet(page, "Topic").get_by_role("link", name="Remove filter: Sanctions").click()
    assert query(page) == {"speaker": [str(lavrov.pk)]}
    expect(page.locator("#results-heading")).to_have_text("10 statements")
    expect(facet(page, "Topic").locator("li.selected")).to_have_count(0)
    expect(facet(page, "Speaker").locator("li.selected")).to_have_text(
        ["Remove filter: Sergey Lavrov 10"]
    )

    facet(page, "Speaker").get_by_role("link", name="Remove filter: Sergey Lavrov").click()
    assert query(page) == {}
    expect(page.locator(".facet li.selected")).to_have_count(0)


# 2. Search with highlights.


def test_phrase_search_from_the_header_highlights_the_phrase(live_server, open_page, demo):
    page = open_page()
    page.goto(live_server.url + "/topics/")
    page.get_by_role("searchbox", name="Search statements").fill('"peace treaty"')
    page.get_by_role("searchbox", name="Search statements").press("Enter")

    page.wait_for_url("**/statements/?q=*")
    assert query(page) == {"q": ['"peace treaty"']}
    expect(page.locator("#results-heading")).to_have_text('2 statements matching “"peace treaty"”')
    expect(page).to_have_title('“"peace treaty"” in statements · Podium')
    results = page.locator("article.statement")
    expect(results).to_have_count(2)
    # The statement that says "peace treaty" three times ranks above the one that says it once.
    expect(results.locator(".snippet")).to_have_count(2)
    expect(results.nth(0).locator(".snippet")).to_contain_text(
        "problem of the peace treaty is our legacy."
    )
    expect(results.nth(1).locator(".snippet")).to_contain_text(
        "peace treaty, since it will not be signed in 1945"
    )
    # SQLite's FTS5 marks the phrase as one run; PostgreSQL's ts_headline marks each word.
    if connection.vendor == "postgresql":
        expect(results.nth(0).locator("mark")).to_have_text(["peace", "treaty"] * 3)
        expect(results.nth(1).locator("mark")).to_have_text(["peace", "treaty"])
        expect(page.locator("mark")).to_have_count(8)
    else:
        expect(results.nth(0).locator("mark")).to_have_text(["peace treaty"])
        expect(results.nth(1).locator("mark")).to_have_text(["peace treaty"])
        expect(page.locator("mark")).to_have_count(2)
    # The search box of the list keeps the query, ready to be refined.
    expect(page.locator("#id_q")).to_have_value('"peace treaty"')


# 3. Copy a citation from a permalink.


def test_copy_button_puts_the_newsroom_citation_on_the_clipboard(live_server, open_page, demo):
    statement = Statement.objects.get(sequence=3)
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + statement.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Sergey Lavrov, 14 January 2022")
    expect(page.locator("figure blockquote")).to_have_text(SANCTIONS_QUOTES[0])
    newsroom = page.locator("#cite-newsroom")
    expect(newsroom.locator("h3")).to_have_text("Newsroom")
    expect(newsroom.locator("pre")).to_have_text(NEWSROOM)
    expect(page.locator("button.copy")).to_have_text(["Copy"] * 6)

    page.get_by_role("button", name="Copy the Newsroom citation").click()
    expect(newsroom.get_by_role("button")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == NEWSROOM
    # Only the button pressed says so.
    expect(page.locator("button.copy")).to_have_text(["Copied"] + ["Copy"] * 5)


# 4. Read it in context.


def test_read_it_in_context_highlights_the_statement_on_the_conference_page(
    live_server, open_page, demo
):
    statement = Statement.objects.get(sequence=3)
    conference = statement.conference
    page = open_page()
    page.goto(live_server.url + statement.get_absolute_url())
    page.get_by_role("link", name="Read it in context").click()

    page.wait_for_url(f"**{conference.get_absolute_url()}#s-{statement.public_id}")
    assert page.url == (f"{live_server.url}{conference.get_absolute_url()}#s-{statement.public_id}")
    expect(page.locator("h1")).to_have_text(conference.title)
    expect(page.locator("article.statement")).to_have_count(10)
    target = page.locator(f"#s-{statement.public_id}")
    expect(target.locator("blockquote")).to_have_text(SANCTIONS_QUOTES[0])
    assert target.evaluate("el => el.matches(':target')")
    expect(target).to_have_css("background-color", "rgb(232, 240, 250)")
    expect(target).to_have_css("border-left-color", "rgb(26, 84, 150)")
    backgrounds = page.locator("article.statement").evaluate_all(
        "els => els.map(el => getComputedStyle(el).backgroundColor)"
    )
    assert (
        backgrounds == ["rgba(0, 0, 0, 0)"] * 2 + ["rgb(232, 240, 250)"] + ["rgba(0, 0, 0, 0)"] * 7
    )
    assert target.evaluate("el => el.getBoundingClientRect().top") < 800


# 5. A phone screen.


def test_no_page_type_scrolls_sideways_on_a_375px_phone(live_server, open_page, urls):
    page = open_page(viewport=PHONE)
    widths = {}
    for name in PAGE_TYPES:
        page.goto(live_server.url + urls[name])
        widths[name] = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    too_wide = {name: w for name, w in widths.items() if w[0] > w[1]}
    assert too_wide == {}, f"[scrollWidth, innerWidth] of pages wider than 375px: {too_wide}"
    assert {tuple(w) for w in widths.values()} == {(375, 375)}


def test_filtered_list_fits_a_phone_and_puts_results_under_the_filters(
    live_server, open_page, demo
):
    page = open_page(viewport=PHONE)
    lavrov = Speaker.objects.get()
    page.goto(f"{live_server.url}/statements/?topic=sanctions&speaker={lavrov.pk}&q=sanctions")
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    filters = page.locator("aside.filters").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert results["y"] >= filters["y"] + filters["height"]
    assert results["x"] + results["width"] <= 375


# 6. Keyboard only.


def test_keyboard_reader_skips_to_content_and_searches_from_the_home_page(
    live_server, open_page, demo
):
    page = open_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    # From main, the next stop is the big search box of the home page.
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="Search the statements")).to_be_focused()
    page.keyboard.type("sanctions")
    page.keyboard.press("Enter")
    page.wait_for_url("**/statements/?q=sanctions")
    expect(page.locator("#results-heading")).to_have_text("1 statement matching “sanctions”")


def test_keyboard_order_through_the_header_reaches_its_search_box(live_server, open_page, demo):
    page = open_page()
    page.goto(live_server.url + "/")
    order = []
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(focused_name(page))
    assert order == [
        "Skip to content",
        "Podium",
        "Statements",
        "Conferences",
        "Speakers",
        "Topics",
        "#site-q",
    ]
    page.keyboard.type('"peace treaty"')
    page.keyboard.press("Enter")
    page.wait_for_url("**/statements/?q=*")
    assert query(page) == {"q": ['"peace treaty"']}
    expect(page.locator("#results-heading")).to_have_text('2 statements matching “"peace treaty"”')


def test_keyboard_reaches_and_presses_the_copy_buttons(live_server, open_page, demo):
    statement = Statement.objects.get(sequence=3)
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + statement.get_absolute_url())
    newsroom = page.get_by_role("button", name="Copy the Newsroom citation")
    chicago = page.get_by_role("button", name="Copy the Chicago citation")

    # The citation text itself is a stop too, so that it can be selected from the keyboard.
    tab_until(page, page.locator("#cite-newsroom pre"))
    page.keyboard.press("Tab")
    expect(newsroom).to_be_focused()
    page.keyboard.press("Enter")
    expect(newsroom).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == NEWSROOM

    page.keyboard.press("Tab")
    expect(page.locator("#cite-chicago pre")).to_be_focused()
    page.keyboard.press("Tab")
    expect(chicago).to_be_focused()
    page.keyboard.press("Space")
    expect(chicago).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Lavrov, Sergey. “Press conference on the results of Russian diplomacy in 2021.” "
        "Press conference, Ministry of Foreign Affairs of the Russian Federation, Moscow, "
        f"January 14, 2022. Podium. {live_server.url}{statement.get_absolute_url()}?v=4affd1443d."
    )
    expect(chicago).to_be_focused()


# 7. Accessibility.


@pytest.fixture(scope="session")
def axe():
    return Axe()


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}; "
        + ", ".join(str(node["target"]) for node in v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("name", PAGE_TYPES)
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["wide", "phone"])
def test_axe_finds_no_violations(live_server, open_page, urls, axe, name, viewport):
    page = open_page(viewport=viewport)
    page.goto(live_server.url + urls[name])
    violations = axe.run(page).response["violations"]
    assert violations == [], f"axe on {urls[name]}:\n{describe(violations)}"


def test_axe_finds_no_violations_on_a_filtered_list_with_an_error(live_server, open_page, demo):
    url = f"{live_server.url}/statements/?topic=sanctions&date_from=2022-13-45"
    # A bad filter value is answered with 400 and a normal page; Chromium logs the status.
    open_page.expected_errors.add(url)
    page = open_page()
    assert page.goto(url).status == 400
    expect(page.get_by_role("alert")).to_contain_text("Some of the filters could not be used")
    violations = Axe().run(page).response["violations"]
    assert violations == [], describe(violations)


# 8. Without JavaScript.


def test_facets_and_search_work_without_javascript(live_server, open_page, demo):
    lavrov = Speaker.objects.get()
    page = open_page(java_script_enabled=False)
    page.goto(live_server.url + "/statements/")

    facet(page, "Topic").get_by_role("link", name="Sanctions", exact=True).click()
    facet(page, "Speaker").get_by_role("link", name="Sergey Lavrov", exact=True).click()
    assert query(page) == {"topic": ["sanctions"], "speaker": [str(lavrov.pk)]}
    expect(page.locator("#results-heading")).to_have_text("3 statements")
    expect(page.locator("article.statement blockquote")).to_have_text(SANCTIONS_QUOTES)

    # The list's own form keeps the facets in hidden fields and adds the words.
    page.get_by_label("Search the words").fill("sanctions")
    page.get_by_role("button", name="Apply").click()
    assert query(page) == {
        "topic": ["sanctions"],
        "speaker": [str(lavrov.pk)],
        "q": ["sanctions"],
    }
    expect(page.locator("#results-heading")).to_have_text("1 statement matching “sanctions”")
    expect(page.locator("article.statement mark")).to_have_text(["sanctions"])

    # The header search, submitted with Enter.
    page.get_by_role("searchbox", name="Search statements").fill('"peace treaty"')
    page.get_by_role("searchbox", name="Search statements").press("Enter")
    page.wait_for_url("**/statements/?q=*")
    assert query(page) == {"q": ['"peace treaty"']}
    expect(page.locator("#results-heading")).to_have_text('2 statements matching “"peace treaty"”')
