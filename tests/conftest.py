import datetime
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# every ORM call made from a live-server test with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from conferences.models import Conference

from .factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Each test starts with an empty cache and reads the archive's version afresh: a page or a
    count kept by an earlier test (whose rows were rolled back) is never served to the next.

    The caching clock stands still: the version is read again after a change to the archive
    (a signal) or when a test moves the clock on, never because the machine happened to be slow
    (query counts would then depend on timing)."""
    from django.core.cache import cache

    from conferences.ops import caching

    monkeypatch.setattr(caching, "clock", lambda: 1000.0)
    cache.clear()
    caching._versions.clear()
    yield
    cache.clear()
    caching._versions.clear()


@pytest.fixture
def editor(client, db):
    """A staff member of the Editors group (made by a data migration), logged in.

    Transactional tests flush the database, the group included: use a superuser there."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor", password="not-a-real-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(client, db):
    """A staff member of the Reviewers group (may publish, withdraw and change what is
    published), logged in. Like `editor`, not for transactional tests."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("reviewer", password="not-a-real-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    client.force_login(user)
    return user


@pytest.fixture
def archive(db):
    """Shared by the list page, API and export tests: three fictional speakers over two years,
    with topics, kinds and fidelities, and a draft conference whose speaker, topic and host have
    nothing published."""
    host = OrganizationFactory(name="Ministry of Norlandia", slug="ministry-of-norlandia")
    outlet = OrganizationFactory(name="Norland Wire", slug="norland-wire", kind="media")
    quintero = SpeakerFactory(name="Alva Quintero", slug="alva-quintero", country="NO")
    RoleFactory(
        speaker=quintero,
        title="Minister of Coastal Affairs",
        started_on=datetime.date(2022, 1, 1),
        ended_on=datetime.date(2023, 12, 31),
    )
    RoleFactory(speaker=quintero, title="Prime Minister", started_on=datetime.date(2024, 1, 1))
    eberle = SpeakerFactory(name="Tomas Eberle", slug="tomas-eberle", country="DE")
    oduya = SpeakerFactory(name="Bram Oduya", slug="bram-oduya", country="KE")
    maritime = TopicFactory(name="Maritime", slug="maritime")
    fisheries = TopicFactory(name="Fisheries", slug="fisheries", parent=maritime)
    trade = TopicFactory(name="Trade", slug="trade")
    spring = ConferenceFactory(
        title="Spring briefing", slug="spring", date=datetime.date(2023, 4, 2), host=host
    )
    winter = ConferenceFactory(
        title="Winter briefing", slug="winter", date=datetime.date(2024, 1, 9)
    )
    source = SourceDocumentFactory(
        conference=spring, url="https://norland.example/spring", outlet=outlet, via="Eastmark Post"
    )
    rows = [
        (
            spring,
            quintero,
            "answer",
            "verbatim",
            "The fishing quotas protect the coast.",
            [fisheries],
        ),
        (spring, eberle, "question", "verbatim", "Will the quotas change next year?", [fisheries]),
        (spring, quintero, "answer", "verbatim", "Trade with Eastmark grows every year.", [trade]),
        (winter, oduya, "remark", "reported_quote", "Maritime borders are settled.", [maritime]),
        (winter, quintero, "answer", "reported_quote", "Sanctions harm the fishing villages.", []),
    ]
    made = {}
    for sequence, (conference, speaker, kind, fidelity, text, topics) in enumerate(rows, 1):
        statement = StatementFactory(
            conference=conference,
            speaker=speaker,
            kind=kind,
            fidelity=fidelity,
            text=text,
            sequence=sequence,
            source=source if conference == spring else None,
            label=speaker.name.split()[-1].upper(),
        )
        statement.topics.set(topics)
        made[text.split()[1]] = statement
    # Nothing of a draft is public: not its speaker, topic, host, conference or statement.
    hidden_host = OrganizationFactory(name="Hidden Ministry", slug="hidden-ministry")
    draft = ConferenceFactory(
        title="Draft briefing",
        slug="draft",
        date=datetime.date(2024, 2, 1),
        host=hidden_host,
        status=Conference.Status.DRAFT,
    )
    ghost = SpeakerFactory(name="Ines Ghost", slug="ines-ghost", country="NO")
    secret = TopicFactory(name="Secret", slug="secret")
    for sequence, speaker in enumerate([ghost, quintero], 1):
        hidden = StatementFactory(
            conference=draft,
            speaker=speaker,
            sequence=sequence,
            kind="answer",
            text=f"Unpublished fishing quotas draft {sequence}.",
        )
        hidden.topics.set([secret, fisheries])
    return {
        "quintero": quintero,
        "eberle": eberle,
        "oduya": oduya,
        "spring": spring,
        "winter": winter,
        "draft": draft,
        "hidden": hidden,
        "statements": made,
    }


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


@pytest.fixture
def site(settings):
    """The fictional web site of tests/pages.py, for the import's "paste a link", with
    private addresses allowed (it lives on 127.0.0.1)."""
    from .pages import serving

    settings.PODIUM_FETCH_ALLOW_PRIVATE = True
    settings.PODIUM_FETCH_TIMEOUT = 5
    with serving() as site:
        yield site
