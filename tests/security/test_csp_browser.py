"""The Content-Security-Policy in a real Chromium: no page Podium serves breaks it.

Every `securitypolicyviolation` event is reported to the test through a binding that Playwright
adds outside the page (so the policy does not block the watcher itself), and every console error
is kept too: Chromium prints one for each refused inline script, style or event handler. A first
test shows the watcher sees a violation when a page commits one.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from conferences.models import Conference, Statement

from ..ops.test_deploy import POLICY, directives

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-42"
# simple-history's history list has one inline style attribute: allowed by its hash, there only.
HISTORY_LIST_POLICY = {
    **POLICY,
    "style-src-attr": "'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
}

# Fictional: Norlandia, Port Aster and Ms. Darrow exist nowhere.
BRIEFING = """Press briefing on the Port Aster ferries
Port Aster, March 9, 2023

MS. DARROW: Good afternoon. The ferries to Eastmark run again from Monday.

QUESTION: Will the fares change?

MS. DARROW: The fares stay as they are.
"""

WATCHER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.podiumCspViolation(
    [event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber,
     event.sample].join(" | ")
  );
});
"""


class Watch:
    """The violations and console errors of every page opened in one browser context. A page
    answered with an error status on purpose logs a failed load: list its URL in `expected`."""

    def __init__(self, context):
        self.violations = []
        self.errors = []
        self.expected = set()
        context.expose_function("podiumCspViolation", self.on_violation)
        context.add_init_script(WATCHER)

    def on_violation(self, description):
        self.violations.append(description)

    def attach(self, page):
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if url.endswith("/favicon.ico") or url in self.expected:
            return
        self.errors.append(f"{url}: {message.text}")


@pytest.fixture
def watched(browser):
    context = browser.new_context()
    watch = Watch(context)
    page = context.new_page()
    watch.attach(page)
    yield page, watch
    context.close()


def visit(page, url, status=200, policy=POLICY):
    response = page.goto(url)
    assert response.status == status, url
    assert directives(response.headers["content-security-policy"]) == policy, url
    # A violation event is dispatched asynchronously: let the page settle before judging it.
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((done) => setTimeout(done, 50))")


def test_the_watcher_sees_an_inline_script_and_an_inline_style_being_refused(
    live_server, watched, archive
):
    page, watch = watched
    visit(page, live_server.url + "/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.head.append(script);
          document.body.setAttribute("style", "color: red");
        }"""
    )
    page.evaluate("() => new Promise((done) => setTimeout(done, 100))")
    assert page.evaluate("() => window.inlineRan === undefined") is True
    directives = sorted(line.split(" | ")[0] for line in watch.violations)
    assert directives == ["script-src-elem", "style-src-attr"]
    assert len(watch.errors) == 2
    assert all("Content Security Policy" in error for error in watch.errors)


def test_no_public_page_violates_the_policy(live_server, watched, archive):
    page, watch = watched
    statement = archive["statements"]["fishing"]
    paths = [
        reverse("conferences:home"),
        reverse("conferences:statements"),
        reverse("conferences:statements")
        + f"?q=quotas&speaker={archive['quintero'].pk}&topic=fisheries&kind=answer",
        reverse("conferences:statements") + "?q=%22fishing+quotas%22",
        statement.get_absolute_url(),
        archive["spring"].get_absolute_url(),
        archive["quintero"].get_absolute_url(),
        reverse("conferences:topic", args=["fisheries"]),
        reverse("conferences:conferences"),
        reverse("conferences:speakers"),
        reverse("conferences:topics"),
        reverse("api:docs"),
    ]
    for path in paths:
        visit(page, live_server.url + path)

    # The permalink carries its JSON-LD in a <script type="application/ld+json"> data block:
    # not executed, so the policy lets it be (and the visit above saw no violation).
    page.goto(live_server.url + statement.get_absolute_url())
    json_ld = page.locator('script[type="application/ld+json"]')
    expect(json_ld).to_have_count(1)
    assert '"@type": "Quotation"' in json_ld.text_content()

    missing = live_server.url + "/no-such-page/"
    watch.expected.add(missing)
    visit(page, missing, status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    assert watch.violations == [], "\n".join(watch.violations)
    assert watch.errors == [], "\n".join(watch.errors)


def test_the_removed_and_withdrawn_statement_pages_keep_the_policy(live_server, watched, archive):
    page, watch = watched
    chief = User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    from conferences.editorial import workflow

    removed = archive["statements"]["the"]
    removed_url = live_server.url + f"/s/{removed.public_id}/"
    removed.delete()
    withdrawn = archive["statements"]["borders"]
    workflow.move(archive["winter"], Conference.Status.WITHDRAWN, chief)
    withdrawn_url = live_server.url + withdrawn.get_absolute_url()
    watch.expected.update({removed_url, withdrawn_url})

    visit(page, removed_url, status=410)
    expect(page.get_by_role("heading", level=1)).to_have_text("This statement was removed")
    visit(page, withdrawn_url, status=410)
    expect(page.get_by_role("heading", level=1)).to_have_text("This statement was withdrawn")

    assert watch.violations == [], "\n".join(watch.violations)
    assert watch.errors == [], "\n".join(watch.errors)


def test_no_admin_page_violates_the_policy(live_server, watched, archive):
    page, watch = watched
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    spring = archive["spring"]
    statement = Statement.objects.filter(conference=spring).order_by("sequence").first()

    visit(page, live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(live_server.url + reverse("admin:index"))

    paths = [
        reverse("admin:index"),
        reverse("admin:conferences_conference_changelist"),
        reverse("admin:conferences_conference_changelist") + "?q=briefing",
        reverse("admin:conferences_conference_change", args=[spring.pk]),
        reverse("admin:conferences_conference_add"),
        reverse("admin:conferences_statement_changelist"),
        reverse("admin:conferences_statement_change", args=[statement.pk]),
        reverse("admin:conferences_statement_split", args=[statement.pk]),
        reverse("admin:conferences_statement_merge", args=[statement.pk]),
        reverse("admin:conferences_speaker_change", args=[archive["quintero"].pk]),
    ]
    for path in paths:
        visit(page, live_server.url + path)

    history = live_server.url + reverse("admin:conferences_conference_history", args=[spring.pk])
    visit(page, history, policy=HISTORY_LIST_POLICY)
    history = live_server.url + reverse("admin:conferences_statement_history", args=[statement.pk])
    visit(page, history, policy=HISTORY_LIST_POLICY)
    # A version on the history list: the form that restores it (strict policy again).
    with page.expect_response(lambda response: "/history/" in response.url) as version:
        page.locator("#change-history tbody a").first.click()
    assert directives(version.value.headers["content-security-policy"]) == POLICY
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revert")

    visit(page, live_server.url + reverse("admin:conferences_conference_import"))
    page.fill("#id_text", BRIEFING)
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="Preview: 3 statements (transcript)")).to_be_visible()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("ul.messagelist li.success")).to_have_count(1)
    imported = Conference.objects.get(title="Press briefing on the Port Aster ferries")
    assert imported.date == datetime.date(2023, 3, 9)

    # The workflow's buttons post the change form's sibling form.
    page.get_by_role("button", name="Send to review").click()
    expect(page.locator("#workflow-status")).to_contain_text("In review")

    assert watch.violations == [], "\n".join(watch.violations)
    assert watch.errors == [], "\n".join(watch.errors)
