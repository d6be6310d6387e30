"""/api/v1/: the same filters as /statements/, published material only, revalidation,
throttling, paging, a valid OpenAPI 3 schema and a constant number of queries."""

import datetime
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date
from openapi_spec_validator import validate

from conferences.models import Conference, Statement

from ..factories import (
    ConferenceFactory,
    OrganizationFactory,
    RoleFactory,
    SourceDocumentFactory,
    SpeakerFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ["statements", "conferences", "speakers", "topics", "organisations"]


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The throttle counts requests in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


def page_ids(client, query: str) -> list[str]:
    """The public ids /statements/ shows for `query`, in order (its permalinks /s/<id>/)."""
    response = client.get(f"/statements/?{query}")
    assert response.status_code == 200, query
    return re.findall(r'href="/s/([^/"]+)/" class="permalink-link"', response.content.decode())


def api_rows(client, endpoint: str, query: str, page_size: int = 2) -> list[dict]:
    """Every row of an API list, following its `next` links from a small page size."""
    url = f"/api/v1/{endpoint}/?{query}&page_size={page_size}"
    rows = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        body = response.json()
        rows += body["results"]
        url = body["next"]
        if url:
            assert url.startswith("http://testserver/api/v1/")
    assert len(rows) == body["count"]
    return rows


QUERIES = [
    "",
    "speaker={quintero}",
    "speaker={quintero}&speaker={eberle}",
    "topic=fisheries",
    "topic=maritime",  # with its sub-topic, fisheries
    "country=NO",
    "kind=answer",
    "fidelity=reported_quote",
    "organization=ministry-of-norlandia",
    "conference={spring}",
    "date_from=2023-04-02&date_to=2023-12-31",
    "date_from=2024-01-01",
    "year=2024",
    "q=fishing",
    "q=quotas&sort=oldest",
    "q=quotas+or+borders&sort=relevance",
    "sort=oldest",
    "sort=newest&kind=answer&country=NO",
]


def fill(query: str, archive) -> str:
    return query.format(
        quintero=archive["quintero"].pk,
        eberle=archive["eberle"].pk,
        spring=archive["spring"].pk,
    )


@pytest.mark.parametrize("template", QUERIES)
def test_statement_list_matches_the_page_in_order(client, archive, template):
    query = fill(template, archive)
    expected = page_ids(client, query)
    assert expected  # every query above selects something
    assert [row["public_id"] for row in api_rows(client, "statements", query)] == expected


@pytest.mark.parametrize("template", QUERIES)
def test_other_lists_count_the_statements_the_page_shows(client, archive, template):
    query = fill(template, archive)
    statements = api_rows(client, "statements", query, page_size=100)
    assert [row["public_id"] for row in statements] == page_ids(client, query)
    filtered = any(not part.startswith("sort=") for part in query.split("&") if part)
    ids = [row["public_id"] for row in statements]
    hosts = Counter(
        Statement.objects.filter(public_id__in=ids, conference__host__isnull=False).values_list(
            "conference__host__slug", flat=True
        )
    )

    speakers = Counter(row["speaker"]["slug"] for row in statements)
    names = {row["speaker"]["slug"]: row["speaker"]["name"] for row in statements}
    rows = api_rows(client, "speakers", query)
    assert [(row["slug"], row["statements_count"]) for row in rows] == sorted(
        speakers.items(), key=lambda item: names[item[0]]
    )

    conferences = Counter(row["conference"]["id"] for row in statements)
    rows = api_rows(client, "conferences", query)
    got = {row["id"]: row["statements_count"] for row in rows}
    if filtered:
        assert got == dict(conferences)
    else:
        assert got == {archive["spring"].pk: 3, archive["winter"].pk: 2}

    # A topic counts its sub-topics' statements too (fisheries is part of maritime), once each.
    parents = {"fisheries": "maritime"}
    topics = Counter(
        slug
        for row in statements
        for slug in {t["slug"] for t in row["topics"]}
        | {parents[t["slug"]] for t in row["topics"] if t["slug"] in parents}
    )
    rows = api_rows(client, "topics", query)
    got = {row["slug"]: row["statements_count"] for row in rows}
    if filtered:
        assert got == dict(topics)
    else:
        assert got == {"fisheries": 2, "maritime": 3, "trade": 1, "secret": 0}

    rows = api_rows(client, "organisations", query)
    got = {row["slug"]: row["statements_count"] for row in rows}
    if filtered:
        assert got == dict(hosts)
    else:
        assert got == {"ministry-of-norlandia": 3, "norland-wire": 0, "hidden-ministry": 0}


def test_statement_fields(client, archive):
    statement = archive["statements"]["fishing"]
    spring = archive["spring"]
    response = client.get(f"/api/v1/statements/{statement.public_id}/")
    assert response.status_code == 200
    assert response.json() == {
        "public_id": statement.public_id,
        "url": f"http://testserver/s/{statement.public_id}/",
        "api_url": f"http://testserver/api/v1/statements/{statement.public_id}/",
        "text": "The fishing quotas protect the coast.",
        "kind": "answer",
        "fidelity": "verbatim",
        "sequence": 1,
        "label": "QUINTERO",
        "speaker": {
            "id": archive["quintero"].pk,
            "name": "Alva Quintero",
            "slug": "alva-quintero",
            "country": "NO",
            "url": "http://testserver/speakers/alva-quintero/",
            "api_url": "http://testserver/api/v1/speakers/alva-quintero/",
        },
        "role": "Minister of Coastal Affairs",
        "conference": {
            "id": spring.pk,
            "title": "Spring briefing",
            "date": "2023-04-02",
            "place": "Port Aster",
            "url": "http://testserver/conferences/2023/04/02/spring/",
            "api_url": f"http://testserver/api/v1/conferences/{spring.pk}/",
        },
        "topics": [{"slug": "fisheries", "name": "Fisheries"}],
        "source": {
            "url": "https://norland.example/spring",
            "outlet": "Norland Wire",
            "via": "Eastmark Post",
        },
        "snippet": None,
    }
    listed = api_rows(client, "statements", f"speaker={archive['quintero'].pk}&sort=oldest")
    assert listed[0] == response.json()
    assert [row["role"] for row in listed] == [
        "Minister of Coastal Affairs",
        "Minister of Coastal Affairs",
        "Prime Minister",
    ]
    assert [row["source"] for row in listed][-1] is None


def test_search_adds_an_escaped_highlighted_snippet(client, archive):
    rows = api_rows(client, "statements", "q=quotas&sort=oldest")
    assert [row["snippet"] for row in rows] == [
        "The fishing <mark>quotas</mark> protect the coast.",
        "Will the <mark>quotas</mark> change next year?",
    ]


def test_speaker_topic_organisation_and_conference_fields(client, archive):
    quintero = archive["quintero"]
    speaker = client.get("/api/v1/speakers/alva-quintero/").json()
    assert speaker == {
        "id": quintero.pk,
        "name": "Alva Quintero",
        "slug": "alva-quintero",
        "country": "NO",
        "url": "http://testserver/speakers/alva-quintero/",
        "api_url": "http://testserver/api/v1/speakers/alva-quintero/",
        "kind": "official",
        "roles": [
            {
                "title": "Prime Minister",
                "organization": None,
                "country": None,
                "started_on": "2024-01-01",
                "ended_on": None,
            },
            {
                "title": "Minister of Coastal Affairs",
                "organization": None,
                "country": None,
                "started_on": "2022-01-01",
                "ended_on": "2023-12-31",
            },
        ],
        "statements_count": 3,
        "statements_api_url": f"http://testserver/api/v1/statements/?speaker={quintero.pk}",
    }
    assert client.get("/api/v1/topics/fisheries/").json() == {
        "slug": "fisheries",
        "name": "Fisheries",
        "id": archive["statements"]["fishing"].topics.get().pk,
        "description": "",
        "parent": "maritime",
        "url": "http://testserver/topics/fisheries/",
        "api_url": "http://testserver/api/v1/topics/fisheries/",
        "statements_count": 2,
        "statements_api_url": "http://testserver/api/v1/statements/?topic=fisheries",
    }
    organisation = client.get("/api/v1/organisations/ministry-of-norlandia/").json()
    assert organisation["statements_count"] == 3
    assert organisation["kind"] == "ministry"
    assert organisation["website"] is None
    spring = archive["spring"]
    conference = client.get(f"/api/v1/conferences/{spring.pk}/").json()
    assert conference["host"] == {
        "slug": "ministry-of-norlandia",
        "name": "Ministry of Norlandia",
        "api_url": "http://testserver/api/v1/organisations/ministry-of-norlandia/",
    }
    assert conference["statements_count"] == 3
    assert conference["kind"] == "press_conference"
    assert conference["statements_api_url"] == (
        f"http://testserver/api/v1/statements/?conference={spring.pk}"
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("speaker=abc", "speaker", "“abc” is not a valid value."),
        (
            "speaker=999999",
            "speaker",
            "Select a valid choice. 999999 is not one of the available choices.",
        ),
        (
            "topic=nowhere",
            "topic",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ("country=XX", "country", "Select a valid choice. XX is not one of the available choices."),
        ("kind=shout", "kind", "Select a valid choice. shout is not one of the available choices."),
        (
            "fidelity=rumour",
            "fidelity",
            "Select a valid choice. rumour is not one of the available choices.",
        ),
        ("date_from=yesterday", "date_from", "Enter a valid date."),
        ("year=abc", "year", "Enter a number."),
        ("year=1200", "year", "Ensure this value is greater than or equal to 1900."),
        (
            "sort=random",
            "sort",
            "Select a valid choice. random is not one of the available choices.",
        ),
        ("page=9", "page", "There is no page “9”: the results have 1 page(s)."),
        ("page=abc", "page", "There is no page “abc”: the results have 1 page(s)."),
        ("page_size=0", "page_size", "“0” is not a positive whole number."),
        ("page_size=many", "page_size", "“many” is not a positive whole number."),
    ],
)
@pytest.mark.parametrize("endpoint", LISTS)
def test_bad_values_are_400_with_the_field(client, archive, endpoint, query, field, message):
    response = client.get(f"/api/v1/{endpoint}/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {field: [message]}}


def test_drafts_appear_in_no_endpoint(client, archive):
    draft, hidden = archive["draft"], archive["hidden"]
    for query in ["", "q=unpublished", "q=quotas", "topic=secret", "kind=answer"]:
        for endpoint in LISTS:
            body = client.get(f"/api/v1/{endpoint}/?{query}&page_size=100").content.decode()
            for leak in (hidden.public_id, "Unpublished", "Draft briefing", "ines-ghost"):
                assert leak not in body, (endpoint, query, leak)
    assert client.get("/api/v1/statements/?q=unpublished").json()["count"] == 0
    assert client.get(f"/api/v1/statements/{hidden.public_id}/").status_code == 404
    assert client.get(f"/api/v1/conferences/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/speakers/ines-ghost/").status_code == 404
    assert client.get("/api/v1/topics/secret/").json()["statements_count"] == 0
    assert client.get("/api/v1/organisations/hidden-ministry/").json()["statements_count"] == 0
    assert client.get("/api/v1/speakers/alva-quintero/").json()["statements_count"] == 3
    response = client.get(f"/api/v1/statements/?conference={draft.pk}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["conference"]


def test_pagination_links_are_absolute(client, archive):
    first = client.get("/api/v1/statements/?kind=answer&page_size=2").json()
    assert first["count"] == 3
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/statements/?kind=answer&page=2&page_size=2"
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/statements/?kind=answer&page_size=2"
    assert len(second["results"]) == 1
    assert len(client.get("/api/v1/statements/").json()["results"]) == 5
    # More than 100 a page is asked for: 100 it is (here, all five).
    assert len(client.get("/api/v1/statements/?page_size=1000").json()["results"]) == 5


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/statements/?kind=answer",
        "/api/v1/statements/{public_id}/",
        "/api/v1/conferences/",
        "/api/v1/conferences/{spring}/",
        "/api/v1/speakers/?topic=fisheries",
        "/api/v1/speakers/alva-quintero/",
        "/api/v1/topics/",
        "/api/v1/topics/fisheries/",
        "/api/v1/organisations/",
        "/api/v1/organisations/ministry-of-norlandia/",
    ],
)
def test_etag_and_last_modified_revalidate(client, archive, path):
    statement = archive["statements"]["fishing"]
    path = path.format(public_id=statement.public_id, spring=archive["spring"].pk)
    response = client.get(path)
    assert response.status_code == 200
    etag = response["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304
    assert client.get(path, headers={"if-none-match": '"stale"'}).status_code == 200
    is_list = (path.endswith("/") and path.count("/") == 4) or "?" in path
    if is_list:
        # Lists revalidate by ETag only (see the list_modified comment in the view).
        assert "Last-Modified" not in response
        modified = None
    else:
        modified = response["Last-Modified"]
        assert client.get(path, headers={"if-modified-since": modified}).status_code == 304
    # An edit moves Last-Modified on; where the body shows the text, the ETag changes too.
    Statement.objects.filter(pk=statement.pk).update(
        text="The fishing quotas protect the whole coast.",
        updated_at=statement.updated_at + datetime.timedelta(days=1),
    )
    if modified:
        changed = client.get(path, headers={"if-modified-since": modified})
        assert changed.status_code == 200
        assert changed["Last-Modified"] != modified
    if "statements" in path:
        assert client.get(path, headers={"if-none-match": etag}).status_code == 200


def test_last_modified_is_the_newest_change_concerned(client, archive):
    statement = archive["statements"]["fishing"]
    moment = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    Statement.objects.filter(pk=statement.pk).update(updated_at=moment)
    expected = http_date(moment.timestamp())
    assert client.get(f"/api/v1/statements/{statement.public_id}/")["Last-Modified"] == expected


def test_an_unpublished_conference_never_revalidates_a_stale_list(client, archive):
    before = client.get("/api/v1/statements/")
    archive["winter"].status = Conference.Status.DRAFT
    archive["winter"].save()
    after = client.get("/api/v1/statements/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after.json()["count"] == before.json()["count"] - 2


def test_anonymous_clients_are_throttled(client, archive, settings):
    settings.PODIUM_API_ANON_RATE = "3/minute"
    statuses = [client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/statements/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert int(response["Retry-After"]) > 0


def test_schema_is_valid_openapi_3(client, archive):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == [
        "/api/v1/conferences/",
        "/api/v1/conferences/{id}/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{slug}/",
        "/api/v1/speakers/",
        "/api/v1/speakers/{slug}/",
        "/api/v1/statements/",
        "/api/v1/statements/{public_id}/",
        "/api/v1/topics/",
        "/api/v1/topics/{slug}/",
    ]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/speakers/"]["get"]["parameters"]}
    assert parameters == {
        "q",
        "speaker",
        "country",
        "organization",
        "topic",
        "conference",
        "kind",
        "fidelity",
        "date_from",
        "date_to",
        "year",
        "sort",
        "page",
        "page_size",
    }
    fields = schema["components"]["schemas"]["Statement"]["properties"]
    assert list(fields) == [
        "public_id",
        "url",
        "api_url",
        "text",
        "kind",
        "fidelity",
        "sequence",
        "label",
        "speaker",
        "role",
        "conference",
        "topics",
        "source",
        "snippet",
    ]


def test_docs_page_lists_endpoints_and_fields_without_inline_scripts(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<code>GET /api/v1/statements/</code>" in html
    assert "<code>public_id</code>" in html
    assert "<code>page_size</code>" in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/podium.js" defer>']


def test_api_root_links_everything(client):
    assert client.get("/api/v1/").json() == {
        "statements": "http://testserver/api/v1/statements/",
        "conferences": "http://testserver/api/v1/conferences/",
        "speakers": "http://testserver/api/v1/speakers/",
        "topics": "http://testserver/api/v1/topics/",
        "organisations": "http://testserver/api/v1/organisations/",
        "schema": "http://testserver/api/v1/schema/",
        "docs": "http://testserver/api/v1/docs/",
    }


def make_rows(n):
    """n published conferences, speakers with roles, topics and sourced statements."""
    outlet = OrganizationFactory(kind="media")
    topics = [TopicFactory() for _ in range(n)]
    for i in range(n):
        conference = ConferenceFactory(
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=10 * i),
            host=OrganizationFactory(),
        )
        speaker = SpeakerFactory(country="NO")
        RoleFactory(speaker=speaker, organization=OrganizationFactory())
        source = SourceDocumentFactory(conference=conference, outlet=outlet)
        statement = StatementFactory(
            conference=conference,
            speaker=speaker,
            source=source,
            sequence=1,
            text=f"Synthetic fisheries remark {i}.",
        )
        statement.topics.set(topics[: i + 1])


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


LIST_URLS = [f"/api/v1/{endpoint}/" for endpoint in LISTS] + [
    "/api/v1/statements/?q=fisheries",
    "/api/v1/speakers/?country=NO&year=2020",
    "/api/v1/topics/?q=fisheries",
]


def test_list_queries_do_not_grow_with_rows(client):
    make_rows(1)
    one = [query_count(client, url) for url in LIST_URLS]
    make_rows(24)
    assert client.get("/api/v1/statements/").json()["count"] == 25
    assert len(client.get("/api/v1/statements/").json()["results"]) == 25
    assert [query_count(client, url) for url in LIST_URLS] == one
    assert max(one) <= 6
