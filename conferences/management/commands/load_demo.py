"""Load the seed article as a published demo conference. Running it again changes nothing."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.text import slugify

from conferences.importer.writer import (
    DuplicateSource,
    ImportPlan,
    NewSpeaker,
    PlannedStatement,
    write,
)
from conferences.models import Conference, SourceDocument, Speaker, Statement, Topic

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def demo_topics(keywords_by_name: dict[str, list[str]]) -> dict[str, Topic]:
    topics = {}
    for name, keywords in keywords_by_name.items():
        topic, _ = Topic.objects.get_or_create(
            name=name, defaults={"slug": slugify(name), "keywords": "\n".join(keywords)}
        )
        topics[name] = topic
    return topics


def demo_speaker(spec: dict) -> Speaker | NewSpeaker:
    try:
        return Speaker.objects.get_by_name(spec["name"])
    except Speaker.DoesNotExist:
        role = spec["role"]
        return NewSpeaker(
            name=spec["name"],
            aliases=spec["aliases"],
            country=spec["country"],
            role_title=role["title"],
            role_organization=role["organization"],
            role_started_on=datetime.date.fromisoformat(role["started_on"]),
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
        topics = demo_topics(spec["topics"])
        speaker = demo_speaker(spec["speaker"])
        conference, source = spec["conference"], spec["source"]
        plan = ImportPlan(
            text=text,
            source_kind=SourceDocument.Kind.NEWS_ARTICLE,
            title=conference["title"],
            date=datetime.date.fromisoformat(conference["date"]),
            place=conference["place"],
            country=conference["country"],
            conference_kind=conference["kind"],
            host=conference["host"],
            status=Conference.Status.PUBLISHED,
            source_title=source["title"],
            outlet=source["outlet"],
            via=source["via"],
            language=source["language"],
            statements=[
                PlannedStatement(
                    speaker=speaker,
                    text=text[quote["start"] : quote["end"]],
                    start=quote["start"],
                    end=quote["end"],
                    fidelity=Statement.Fidelity.REPORTED_QUOTE,
                    topics=[topics[name] for name in quote["topics"]],
                )
                for quote in spec["quotes"]
            ],
        )
        try:
            result = write(plan)
        except DuplicateSource as exc:
            self.stdout.write(f"The demo is already loaded: {exc.source.conference}.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo: {len(result.statements)} statements in {result.conference}."
            )
        )
