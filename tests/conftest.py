import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# every ORM call made from a live-server test with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def editor(client, db):
    """A staff member of the Editors group (made by a data migration), logged in.

    Transactional tests flush the database, the group included: use a superuser there."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor", password="not-a-real-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. With CI=true (or PODIUM_REQUIRE_BROWSER) a missing
    browser fails the run; locally the browser tests skip with a clear message."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") or os.environ.get("PODIUM_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run this.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
