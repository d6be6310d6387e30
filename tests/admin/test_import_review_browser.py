"""The import's review screen in a real Chromium: its size with a 3,000-word transcript, a repair
in one click, the keys, the links between the two panes, and the page without JavaScript.

The transcript is fictional (joint_presser.py); its Norland prime minister's label is a shape the
importer does not read on its own.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import expect

from conferences.models import PrintedLabel, Speaker, Statement

from ..ops.test_deploy import POLICY, directives
from ..security.test_csp_browser import Watch
from .joint_presser import PRIME_MINISTER, joint_press_conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-42"
URL = "/admin/conferences/conference/import/"
OFFER = f"Treat “{PRIME_MINISTER}” as a speaker label"
TEXT, TURNS = joint_press_conference()


@pytest.fixture
def editor():
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


@pytest.fixture
def open_review(browser, live_server, editor):
    contexts = []

    def open_review(text=TEXT, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        watch = Watch(context)
        page = context.new_page()
        watch.attach(page)
        page.goto(live_server.url + "/admin/login/?next=" + URL)
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page).to_have_url(live_server.url + URL)
        page.fill("#id_text", text)
        page.get_by_role("button", name="Preview", exact=True).click()
        expect(page.get_by_role("button", name="Preview again")).to_be_visible()
        return page, watch

    yield open_review
    for context in contexts:
        context.close()


def heading(page):
    return page.locator("h2", has_text="Preview:")


def test_a_3000_word_transcript_reviews_in_under_six_screens_at_1280(open_review):
    assert 3000 <= len(TEXT.split()) <= 3400 and len(TURNS) == 30
    page, watch = open_review(viewport={"width": 1280, "height": 800})
    expect(heading(page)).to_have_text("Preview: 22 statements (transcript)")
    height = page.evaluate("document.body.scrollHeight")
    assert height <= 6 * 800, height
    assert page.evaluate("document.documentElement.scrollWidth") == 1280
    # the two panes stand side by side, each at least 400 px wide: no one-word lines
    panes = page.locator(".review-pane")
    boxes = [panes.nth(0).bounding_box(), panes.nth(1).bounding_box()]
    assert boxes[0]["y"] == boxes[1]["y"]
    assert min(box["width"] for box in boxes) >= 400
    text_width = page.locator("#row-1 .stmt-text").bounding_box()["width"]
    assert text_width >= 350
    assert watch.errors == [] and watch.violations == []


def test_at_375_px_the_review_has_no_sideways_scroll(open_review):
    page, watch = open_review(viewport={"width": 375, "height": 740})
    expect(heading(page)).to_have_text("Preview: 22 statements (transcript)")
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    assert page.evaluate("document.body.scrollWidth") <= 375
    assert watch.errors == [] and watch.violations == []


def test_one_click_on_the_offered_label_repairs_the_text_saving_stores_it_and_it_is_learned(
    open_review, live_server
):
    page, watch = open_review(viewport={"width": 1280, "height": 800})
    expect(heading(page)).to_have_text("Preview: 22 statements (transcript)")
    page.get_by_role("button", name=OFFER).click()
    expect(heading(page)).to_have_text("Preview: 30 statements (transcript)")
    expect(page.locator("#repairs li")).to_have_text([OFFER])
    expect(page.get_by_role("button", name=OFFER)).to_have_count(0)
    first_words = [words for _, words in TURNS]
    texts = page.locator(".import-row .stmt-text").all_inner_texts()
    assert [t.split("\n", 1)[0][:40] for t in texts] == first_words

    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Imported 30 statements")
    saved = list(Statement.objects.order_by("sequence").values_list("speaker__name", "label"))
    assert len(saved) == 30
    assert saved[2] == ("Tomas Ekdahl", PRIME_MINISTER)
    assert PrintedLabel.objects.get(label=PRIME_MINISTER).speaker == Speaker.objects.get(
        name="Tomas Ekdahl"
    )

    # the next paste of a text with that label needs no click
    page.goto(live_server.url + URL)
    page.fill("#id_text", TEXT.replace("3 May 2024", "10 May 2024"))
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(heading(page)).to_have_text("Preview: 30 statements (transcript)")
    expect(page.get_by_role("button", name=OFFER)).to_have_count(0)
    expect(page.locator("#repairs")).to_have_count(0)
    assert watch.errors == [] and watch.violations == []


def test_the_keys_move_between_statements_mark_a_new_statement_and_preview_again(open_review):
    page, watch = open_review(viewport={"width": 1280, "height": 800})
    page.locator("body").press("j")
    page.keyboard.press("j")
    expect(page.locator("article.import-row.current")).to_have_attribute("id", "row-1")
    expect(page.locator('a.seg.current[data-row="1"]').first).to_be_visible()

    # name the speaker, choose the line of the first question, press n, then Enter
    page.fill("#line-new-name", "Dario Kessel")
    question = page.locator(".src-line", has_text="Mr President, when will the first trains run")
    question.locator(".src-text").click(position={"x": 5, "y": 5})
    expect(question.locator('input[name="at"]')).to_be_checked()
    page.keyboard.press("n")
    expect(page.locator("#review-status")).to_contain_text("marked: a new statement starts")
    page.keyboard.press("Enter")
    expect(page.locator("#repairs li")).to_have_text(
        [
            "New statement at “Q: Mr President, when will the first trains run, and who pa…”, "
            "by Dario Kessel"
        ]
    )
    row = page.locator("article.import-row", has_text="Mr President, when will the first trains")
    expect(row.locator("select[name$='-speaker'] option:checked")).to_have_text("Dario Kessel")
    assert watch.errors == [] and watch.violations == []


def test_a_statement_and_its_span_in_the_text_point_at_each_other(open_review):
    page, _ = open_review(viewport={"width": 1280, "height": 800})
    page.locator("#row-3").click(position={"x": 300, "y": 8})
    expect(page.locator('a.seg.current[data-row="3"]')).to_have_count(1)
    expect(page.locator("#src-3")).to_be_in_viewport()
    page.locator('a.seg[data-row="5"]').first.click()
    expect(page.locator("#row-5")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("#row-5")).to_be_in_viewport()


def test_without_javascript_a_line_repair_and_show_all_still_work(open_review):
    page, _ = open_review(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    long_text = page.locator("#row-1 .stmt-text")
    folded = long_text.bounding_box()["height"]
    page.locator('label[for="fold-1"]').click()
    assert long_text.bounding_box()["height"] > 3 * folded
    question = page.locator(".src-line", has_text="Mr President, when will the first trains run")
    question.locator('input[name="at"]').check()
    page.select_option("#line-action", "drop")
    page.get_by_role("button", name="Apply to the chosen line").click()
    expect(heading(page)).to_have_text("Preview: 21 statements (transcript)")
    expect(page.locator("#repairs li")).to_have_text(
        ["Not a statement: “Q: Mr President, when will the first trains run, and who pa…”"]
    )


def test_the_review_has_no_axe_violations_and_holds_under_the_policy(open_review, live_server):
    page, watch = open_review(viewport={"width": 1280, "height": 800})
    response = page.request.get(live_server.url + URL)
    assert directives(response.headers["content-security-policy"]) == POLICY
    page.get_by_role("button", name=OFFER).click()
    expect(heading(page)).to_have_text("Preview: 30 statements (transcript)")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []
    assert watch.errors == [] and watch.violations == []
