"""Load the seed article as a published demo conference, through the importer.

Running it again changes nothing: the importer refuses a text it has already stored.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from conferences.corpus.demo import DEMO_DIR
from conferences.importer.service import RowDecision, build_preview, make_plan
from conferences.importer.writer import DuplicateSource, NewSpeaker, create_speaker, write
from conferences.models import Conference, Speaker, Topic


def demo_topics(keywords_by_name: dict[str, list[str]]) -> dict[str, Topic]:
    topics = {}
    for name, keywords in keywords_by_name.items():
        topic, _ = Topic.objects.get_or_create(
            name=name, defaults={"slug": slugify(name), "keywords": "\n".join(keywords)}
        )
        topics[name] = topic
    return topics


def demo_speaker(spec: dict) -> Speaker:
    """The demo's speaker with his aliases and role, so that the importer recognises him."""
    try:
        return Speaker.objects.get_by_name(spec["name"])
    except Speaker.DoesNotExist:
        role = spec["role"]
        return create_speaker(
            NewSpeaker(
                name=spec["name"],
                aliases=spec["aliases"],
                country=spec["country"],
                role_title=role["title"],
                role_organization=role["organization"],
                role_started_on=datetime.date.fromisoformat(role["started_on"]),
            )
        )


class Command(BaseCommand):
    help = "Load the demo: the seed article about Sergey Lavrov's 2022 press conference."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an archive that has no conference yet (used by `make run`).",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Conference.objects.exists():
            self.stdout.write("The archive already has conferences; the demo is not loaded.")
            return
        spec = json.loads((DEMO_DIR / "seed.json").read_text(encoding="utf-8"))
        text = (DEMO_DIR / spec["text_file"]).read_text(encoding="utf-8")
        try:
            with transaction.atomic():
                result = write(self.plan(spec, text))
        except DuplicateSource as exc:
            self.stdout.write(f"The demo is already loaded: {exc.source.conference}.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo: {len(result.statements)} statements in {result.conference}."
            )
        )

    def plan(self, spec: dict, text: str):
        topics = demo_topics(spec["topics"])
        speaker = demo_speaker(spec["speaker"])
        preview = build_preview(text, kind="article")
        if len(preview.rows) != len(spec["quotes"]):
            raise CommandError(
                f"The importer found {len(preview.rows)} quotes in the demo article; "
                f"the demo expects {len(spec['quotes'])}."
            )
        # The editor's choices: every quote is the minister's, tagged with the demo's topics.
        decisions = {
            row.index: RowDecision(speaker=speaker, topics=[topics[n] for n in quote["topics"]])
            for row, quote in zip(preview.rows, spec["quotes"], strict=True)
        }
        conference, source = spec["conference"], spec["source"]
        plan = make_plan(
            preview,
            title=conference["title"],
            date=datetime.date.fromisoformat(conference["date"]),
            place=conference["place"],
            outlet=source["outlet"],
            publish=True,
            decisions=decisions,
        )
        plan.country = conference["country"]
        plan.conference_kind = conference["kind"]
        plan.host = conference["host"]
        plan.source_title = source["title"]
        plan.via = source["via"]
        plan.language = source["language"]
        return plan
