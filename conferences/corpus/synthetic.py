"""A synthetic archive for load tests and benchmarks (`manage.py generate_corpus`).

Everything is invented and says so: speakers and organisations carry "(synthetic)" in their
names, countries are fictional (each filed under a real ISO code so that country filters work),
and the words come from a fixed vocabulary of about 300 diplomatic words and, for half
the sentences, from a real English frequency list of 60,000 words (`words.real_words`). The
same seed gives the same archive: every choice is drawn from `random.Random` streams seeded from
it (never from the clock or the database), dates end on a fixed day, and public ids come from a
seeded permutation of the statement's position, so they are unique without remembering the ones
already drawn.

Two halves: `Corpus` turns (statements, seed) into plain row tuples, one conference at a time,
without touching the database; `generate()` writes them in batches inside one transaction (COPY on
PostgreSQL, executemany elsewhere), so memory stays flat and a failure leaves nothing behind.
Rows are written raw: no signal fires and no history is recorded (the synthetic archive has none).
The vocabulary lives in words.py.
"""

import datetime
import io
import random
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max, Q
from django.utils.text import slugify

from ..models import (
    Conference,
    Organization,
    RetiredStatement,
    Role,
    SourceDocument,
    Speaker,
    SpeakerAlias,
    Statement,
    Topic,
    facets,
)
from ..text.ids import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH, content_hash
from ..text.names import normalize_name
from .words import (
    ADJECTIVES,
    CLOSINGS,
    COUNTRIES,
    INTERNATIONAL,
    MODALS,
    NOUNS,
    OPENERS,
    PREPOSITIONS,
    QUESTIONS,
    ROLE_TITLES,
    SUBJECTS,
    SURNAME_ENDINGS,
    SYLLABLES_FAMILY,
    SYLLABLES_GIVEN,
    TAILS,
    TOPICS,
    VERBS,
    real_words,
)

MIN_SIZE, MAX_SIZE = 20, 200  # statements per conference
LAST_DAY = datetime.date(2025, 12, 31)  # fixed: a seed means the same archive on any day
FIRST_DAY = datetime.date(LAST_DAY.year - 24, 1, 1)  # 25 calendar years
MIN_WORDS, MAX_WORDS = 10, 400  # per statement
REAL_SHARE = 0.5  # of the sentences: words drawn from the real frequency list
REAL_LENGTH = (6, 18)  # words in such a sentence
DRAFT_SHARE = 0.02
MARK = "(synthetic)"

# Choices ------------------------------------------------------------------------------------------


class Zipf:
    """Index 0..n-1 with weight 1/(rank**s): the first few are drawn far more often."""

    def __init__(self, rng: random.Random, n: int, s: float = 1.1):
        self.random = rng.random
        self.cum = list(accumulate(1 / (rank**s) for rank in range(1, n + 1)))
        self.total, self.hi = self.cum[-1], n - 1

    def __call__(self) -> int:
        return bisect(self.cum, self.random() * self.total, 0, self.hi)


def conference_sizes(total: int, rng: random.Random) -> list[int]:
    """Sizes between MIN_SIZE and MAX_SIZE (log-normal, median 60) adding up to `total` exactly:
    a draw that would leave less than MIN_SIZE behind is adjusted, so the last one fits too."""
    if total < MIN_SIZE:
        raise ValueError(f"An archive needs at least {MIN_SIZE} statements (one conference).")
    sizes, remaining = [], total
    while remaining:
        size = min(MAX_SIZE, max(MIN_SIZE, round(rng.lognormvariate(4.1, 0.55))))
        if remaining - size < MIN_SIZE:
            size = remaining if remaining <= MAX_SIZE else remaining - MIN_SIZE
        sizes.append(size)
        remaining -= size
    return sizes


class PublicIds:
    """The n-th statement's public id: a keyed permutation (4-round Feistel on 40 bits, cycle-
    walked into the 31**8 ids of the alphabet), so that distinct positions never share an id."""

    SPACE = len(PUBLIC_ID_ALPHABET) ** PUBLIC_ID_LENGTH

    def __init__(self, rng: random.Random):
        self.keys = [rng.getrandbits(32) for _ in range(4)]

    def _permute(self, x: int) -> int:
        left, right = x >> 20, x & 0xFFFFF
        for key in self.keys:
            h = ((right ^ key) * 0x45D9F3B) & 0xFFFFFFFF
            h = ((h ^ (h >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
            left, right = right, left ^ ((h ^ (h >> 16)) & 0xFFFFF)
        return (left << 20) | right

    def __call__(self, n: int) -> str:
        x = self._permute(n)
        while x >= self.SPACE:
            x = self._permute(x)
        chars = []
        for _ in range(PUBLIC_ID_LENGTH):
            x, digit = divmod(x, len(PUBLIC_ID_ALPHABET))
            chars.append(PUBLIC_ID_ALPHABET[digit])
        return "".join(chars)


class Speech:
    """Sentences from the vocabulary; statement lengths log-normal within MIN_WORDS..MAX_WORDS
    (questions short, answers longer, opening remarks longest)."""

    LENGTH = {"question": (3.3, 0.5), "answer": (4.2, 0.75), "remark": (4.8, 0.6)}  # mu, sigma

    def __init__(self, rng: random.Random):
        self.rng = rng

        def picker(words, s=0.9):
            zipf = Zipf(rng, len(words), s)
            return lambda: words[zipf()]

        self.subject, self.modal, self.verb = picker(SUBJECTS), picker(MODALS), picker(VERBS)
        self.adj, self.noun, self.prep = picker(ADJECTIVES), picker(NOUNS), picker(PREPOSITIONS)
        self.tail, self.opener = picker(TAILS), picker(OPENERS)
        self.question_start, self.closing = picker(QUESTIONS), picker(CLOSINGS)
        self.country = picker([name for name, _, _ in COUNTRIES])
        self.words, self.frequencies = real_words()

    def real_sentence(self) -> str:
        """Words drawn by their real frequency: as many distinct words as a real archive has."""
        count = self.rng.randint(*REAL_LENGTH)
        words = self.rng.choices(self.words, cum_weights=self.frequencies, k=count)
        return f"{words[0].capitalize()} {' '.join(words[1:])}."

    def sentence(self) -> str:
        if self.rng.random() < REAL_SHARE:
            return self.real_sentence()
        r = self.rng.random()
        subject = self.subject().format(country=self.country())
        if r < 0.5:
            words = [subject, self.modal(), self.verb(), "the", self.adj(), self.noun()]
            if self.rng.random() < 0.6:
                words += [self.prep(), "the", self.noun()]
            if self.rng.random() < 0.3:
                words.append(self.tail())
            return " ".join(words) + "."
        if r < 0.7:
            return (
                f"{self.opener()}, {subject[0].lower()}{subject[1:]} {self.modal()} "
                f"{self.verb()} our {self.noun()} {self.prep()} {self.country()}."
            )
        if r < 0.85:
            return f"The question of {self.adj()} {self.noun()} remains {self.adj()}."
        if r < 0.93:
            return f"There is no alternative to {self.adj()} {self.noun()} {self.tail()}."
        return f"{subject} {self.modal()} {self.verb()} the {self.noun()} and the {self.noun()}."

    def text(self, kind: str, keywords: list[str]) -> str:
        mu, sigma = self.LENGTH[kind]
        target = min(MAX_WORDS - 30, max(MIN_WORDS, round(self.rng.lognormvariate(mu, sigma))))
        sentences = [
            f"{self.subject().format(country=self.country())} {self.modal()} {self.verb()} "
            f"the {keyword} {self.tail()}."
            for keyword in keywords
        ]
        last = None
        if kind == "question":
            last = (
                f"{self.question_start()} the {self.adj()} {self.noun()} "
                f"{self.prep()} {self.country()}?"
            )
        elif kind == "remark" and self.rng.random() < 0.3:
            last = self.closing()
        count = sum(s.count(" ") + 1 for s in ([*sentences, last] if last else sentences))
        while count < target:
            sentences.append(self.sentence())
            count += sentences[-1].count(" ") + 1
        return " ".join([*sentences, last] if last else sentences)


# People and organisations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    slug: str
    surname: str
    country: str  # ISO code
    kind: str  # official or journalist
    organization: str  # an organisation's name: a ministry or an outlet
    role: str  # an official's post; "" for journalists


def ministry(country: str) -> str:
    return f"Ministry of Foreign Affairs of {country} {MARK}"


def organizations() -> list[tuple[str, str, str]]:
    """(name, kind, ISO code) of every synthetic organisation."""
    rows = [(ministry(name), "ministry", code) for name, code, _ in COUNTRIES]
    rows += [(f"{name} Wire {MARK}", "media", code) for name, code, _ in COUNTRIES]
    return rows + [(f"{name} {MARK}", "international", "") for name in INTERNATIONAL]


def people(seed: int, officials: int, journalists: int) -> tuple[list, list]:
    """Invented names made of syllables, each unique, with MARK in the display name.

    Officials and journalists come from streams of their own that depend on the seed alone, so
    that a larger archive, or one appended with the same seed, has the same people first."""
    seen: set[str] = set()

    def cast(kind: str, count: int) -> list[Person]:
        rng = random.Random(f"{seed}:{kind}")  # noqa: S311
        country = Zipf(rng, len(COUNTRIES), 0.8)
        made = []
        while len(made) < count:
            given = rng.choice(SYLLABLES_GIVEN) + rng.choice(SYLLABLES_FAMILY[:12])
            surname = (rng.choice(SYLLABLES_FAMILY) + rng.choice(SYLLABLES_FAMILY)).capitalize()
            surname += rng.choice(SURNAME_ENDINGS)
            name = f"{given} {surname} {MARK}"
            land, code, _ = COUNTRIES[country()]
            role = ROLE_TITLES[min(len(ROLE_TITLES) - 1, int(rng.expovariate(0.8)))]
            if name in seen:
                continue
            seen.add(name)
            if kind == "official":
                made.append(Person(name, slugify(name), surname, code, kind, ministry(land), role))
            else:
                outlet = f"{land} Wire {MARK}"
                made.append(Person(name, slugify(name), surname, code, kind, outlet, ""))
        return made

    return cast("official", officials), cast("journalist", journalists)


# Rows ---------------------------------------------------------------------------------------------

COLUMNS = {  # the order in which batches are written
    Speaker: ("id", "name", "slug", "country", "kind", "organization_id", "description"),
    SpeakerAlias: ("id", "speaker_id", "name", "normalized"),
    Role: ("id", "speaker_id", "title", "organization_id", "country", "started_on", "ended_on"),
    Conference: (
        "id", "title", "slug", "date", "place", "country", "host_id", "kind", "language",
        "status", "status_changed_at", "status_changed_by_id", "created_at", "updated_at",
    ),
    SourceDocument: (
        "id", "conference_id", "kind", "title", "url", "outlet_id", "via", "published_on",
        "language", "text", "content_hash", "created_at",
    ),
    Statement: (
        "id", "public_id", "conference_id", "source_id", "speaker_id", "label", "sequence",
        "text", "kind", "fidelity", "source_start", "source_end", "content_hash", "created_at",
        "updated_at",
    ),
    Statement.topics.through: ("statement_id", "topic_id"),
}  # fmt: skip
PUBLIC_ID = COLUMNS[Statement].index("public_id")
KINDS = "briefing press_conference joint_press_conference interview statement other".split()
KIND_WEIGHTS = list(accumulate((36, 30, 12, 10, 7, 5)))
KIND_LABELS = dict(Conference.Kind.choices)
FIDELITIES = ["verbatim"] * 94 + ["near_verbatim"] * 5 + ["paraphrase"]
TOPIC_COUNTS = list(accumulate((30, 42, 20, 8)))  # 0, 1, 2 or 3 topics per statement


@dataclass
class Ids:
    """The first id reserved in each table, and the rows that exist already."""

    conference: int
    source: int
    statement: int
    speaker: int
    alias: int
    role: int
    organizations: dict[str, int]  # by name
    topics: list[int]  # in TOPICS order
    speakers: dict[str, int] = field(default_factory=dict)  # synthetic speakers, by slug
    taken_slugs: set = field(default_factory=set)  # (date, slug) of existing conferences


class Corpus:
    """The archive of `total` statements for `seed`, as rows, one conference at a time.

    `salt` (empty for a new archive) makes an archive appended to another one differ from it."""

    def __init__(self, total: int, seed: int, salt: str = ""):
        key = f"{seed}:{salt}" if salt else str(seed)
        self.seed, self.total = seed, total
        self.sizes = conference_sizes(total, random.Random(f"{key}:sizes"))  # noqa: S311
        self.rng = rng = random.Random(f"{key}:archive")  # noqa: S311
        self.public_id = PublicIds(random.Random(f"{key}:ids"))  # noqa: S311
        span = (LAST_DAY - FIRST_DAY).days + 1
        # More conferences in later years, as archives grow: u**0.8 leans towards the end.
        offsets = sorted(int(rng.random() ** 0.8 * span) for _ in self.sizes)
        self.dates = [FIRST_DAY + datetime.timedelta(days=days) for days in offsets]
        self.officials, self.journalists = people(
            seed,  # not salted: an appended archive has the same people
            officials=min(3000, max(12, total // 400)),
            journalists=min(4000, max(10, total // 300)),
        )
        self.official = Zipf(rng, len(self.officials), 1.1)
        self.journalist = Zipf(rng, len(self.journalists), 1.0)
        self.topic = Zipf(rng, len(TOPICS), 1.0)
        self.speech = Speech(rng)
        self.places = {code: place for _, code, place in COUNTRIES}
        self.ids: Ids | None = None
        self.speaker_ids: dict[str, int] = {}  # by slug
        self.speakers_made = self.roles_made = 0
        self.slugs_of_day: tuple = (None, set())
        self.position = 0  # statements made so far

    def conferences(self, ids: Ids):
        """Per conference, a dict of new rows by model (its new speakers included)."""
        self.ids = ids
        for number, (size, day) in enumerate(zip(self.sizes, self.dates, strict=True)):
            yield self.conference(number, size, day)

    def speaker(self, person: Person, rows: dict) -> int:
        pk = self.speaker_ids.get(person.slug) or self.ids.speakers.get(person.slug)
        if pk is None:
            n = self.speakers_made
            pk, org = self.ids.speaker + n, self.ids.organizations[person.organization]
            self.speakers_made += 1
            about = f"A fictional {person.kind} of Podium's synthetic archive; not a real person."
            rows[Speaker].append((pk, person.name, person.slug, person.country, person.kind,
                                  org if person.kind == "journalist" else None, about))  # fmt: skip
            alias = (self.ids.alias + n, pk, person.name, normalize_name(person.name))
            rows[SpeakerAlias].append(alias)
            if person.role:
                rows[Role].append((self.ids.role + self.roles_made, pk, person.role, org,
                                   person.country, None, None))  # fmt: skip
                self.roles_made += 1
        self.speaker_ids[person.slug] = pk
        return pk

    def slug(self, title: str, day: datetime.date) -> str:
        """Unique on its date, as the database requires."""
        if self.slugs_of_day[0] != day:
            self.slugs_of_day = (day, set())  # dates come in order: forget the day before
        taken = self.slugs_of_day[1]
        base = slug = slugify(title)[:190]
        n = 1
        while slug in taken or (day, slug) in self.ids.taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug

    def conference(self, number: int, size: int, day: datetime.date) -> dict:
        rng, ids = self.rng, self.ids
        rows = {model: [] for model in COLUMNS}
        kind = rng.choices(KINDS, cum_weights=KIND_WEIGHTS)[0]
        principals = [self.officials[self.official()]]
        while kind == "joint_press_conference" and len(principals) < 2:
            other = self.officials[self.official()]
            if other != principals[0]:
                principals.append(other)
        reporters = list(dict.fromkeys(self.journalists[self.journalist()] for _ in range(12)))
        reporters = reporters[: 1 if kind == "interview" else rng.randint(3, 12)]
        focus = list(dict.fromkeys(self.topic() for _ in range(rng.randint(2, 5))))
        subject = TOPICS[focus[0]][0].lower()
        if kind == "interview":
            title = f"Interview of {principals[0].name} on {subject}"
        else:
            names = " and ".join(p.name for p in principals)
            title = f"{KIND_LABELS[kind]} by {names} on {subject}"
        slug = self.slug(title, day)
        at = datetime.datetime.combine(
            day, datetime.time(rng.randint(8, 18), rng.choice((0, 15, 30, 45))), datetime.UTC
        )
        published = rng.random() >= DRAFT_SHARE
        country = principals[0].country
        host = principals[0].organization
        if rng.random() < 0.08:
            host = f"{rng.choice(INTERNATIONAL)} {MARK}"
        conference_id, source_id = ids.conference + number, ids.source + number
        rows[Conference].append(
            (conference_id, title, slug, day, self.places[country], country,
             ids.organizations[host], kind, "en", "published" if published else "draft",
             at + datetime.timedelta(hours=3) if published else None, None, at, at)
        )  # fmt: skip
        header = (
            f"{title}\n{self.places[country]}, {day:%B} {day.day}, {day.year}\n"
            f"Synthetic transcript no. {conference_id} made by Podium's generate_corpus "
            f"(seed {self.seed}): the speakers and their words are invented.\n\n"
        )
        parts, offset, topics = [header], len(header), []
        for turn, (person, statement_kind) in enumerate(
            self.turns(kind, size, principals, reporters)
        ):
            label = "QUESTION" if person.kind == "journalist" else person.surname.upper()
            if statement_kind != "answer" or rng.random() >= 0.8:  # an answer keeps the topics
                k = rng.choices((0, 1, 2, 3), cum_weights=TOPIC_COUNTS)[0]
                topics = list(dict.fromkeys(rng.choice(focus) for _ in range(k)))
            text = self.speech.text(statement_kind, [rng.choice(TOPICS[t][2]) for t in topics])
            start = offset + len(label) + 2
            parts.append(f"{label}: {text}\n\n")
            offset += len(parts[-1])
            pk = ids.statement + self.position
            rows[Statement].append(
                (pk, self.public_id(self.position), conference_id, source_id,
                 self.speaker(person, rows), label, turn + 1, text, statement_kind,
                 FIDELITIES[int(rng.random() * len(FIDELITIES))], start, start + len(text),
                 content_hash(text), at, at)
            )  # fmt: skip
            rows[Statement.topics.through] += [(pk, ids.topics[t]) for t in topics]
            self.position += 1
        text = "".join(parts)
        rows[SourceDocument].append(
            (source_id, conference_id, "official_transcript", f"Transcript: {title}"[:300],
             f"https://synthetic.invalid/{day:%Y/%m/%d}/{slug}/", ids.organizations[host], "",
             day, "en", text, content_hash(text), at)
        )  # fmt: skip
        return rows

    def turns(self, kind: str, size: int, principals: list, reporters: list) -> list:
        """Who speaks, in order: opening remarks, then questions each followed by an answer (at
        a joint conference sometimes by both principals); never ends on a question."""
        rng = self.rng
        turns = []
        if kind != "interview":
            for principal in principals:
                turns += [(principal, "remark")] * (1 + (rng.random() < 0.3))
        while len(turns) < size:
            turns.append((rng.choice(reporters), "question"))
            turns.append((rng.choice(principals), "answer"))
            if len(principals) > 1 and rng.random() < 0.3:
                other = principals[turns[-1][0] == principals[0]]
                turns.append((other, "answer"))
            elif rng.random() < 0.05:
                turns.append((turns[-1][0], "remark"))
        turns = turns[:size]
        if turns[-1][1] == "question":
            turns[-1] = (principals[0], "remark")
        return turns


# Writing ------------------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_cell(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


class Writer:
    """Raw batched inserts with explicit ids: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, using: str):
        self.connection = connections[using]
        self.postgresql = self.connection.vendor == "postgresql"
        self.tables = {}
        for model, names in COLUMNS.items():
            fields = [model._meta.get_field(name) for name in names]
            types = [f.get_internal_type() for f in fields]
            dates = [i for i, t in enumerate(types) if t == "DateField"]
            times = [i for i, t in enumerate(types) if t == "DateTimeField"]
            self.tables[model] = (model._meta.db_table, [f.column for f in fields], dates, times)

    def reserve(self, model, count: int) -> int:
        """The first of `count` fresh ids for `model`; on PostgreSQL the sequence is moved past
        them (SQLite's AUTOINCREMENT follows explicit ids by itself)."""
        table = model._meta.db_table
        highest = model._base_manager.using(self.connection.alias).aggregate(n=Max("pk"))["n"]
        with self.connection.cursor() as cursor:
            if self.postgresql:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = max(cursor.fetchone()[0], (highest or 0) + 1)
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
                return first
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return max(highest or 0, row[0] if row else 0) + 1

    def write(self, model, rows: list) -> None:
        if not rows:
            return
        table, columns, dates, times = self.tables[model]
        if dates or times:
            adapt = self.connection.ops.adapt_datetimefield_value
            rows = [list(row) for row in rows]
            for row in rows:
                for i in dates:
                    row[i] = row[i] and row[i].isoformat()
                for i in times:
                    row[i] = row[i] and (row[i].isoformat() if self.postgresql else adapt(row[i]))
        with self.connection.cursor() as cursor:
            # The driver's own cursor: Django's debug cursor would keep every batch in memory.
            if self.postgresql:
                data = "".join("\t".join(map(_copy_cell, row)) + "\n" for row in rows)
                sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                cursor.cursor.copy_expert(sql, io.StringIO(data))
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
                cursor.cursor.executemany(sql, rows)

    def analyze(self) -> None:
        if self.postgresql:
            with self.connection.cursor() as cursor:
                for table, *_ in self.tables.values():
                    cursor.execute(f"ANALYZE {table}")


# The whole run ------------------------------------------------------------------------------------


class ArchiveNotEmpty(Exception):
    pass


@dataclass
class Summary:
    conferences: int
    statements: int
    speakers: int
    seconds: float


def is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    return not Conference.objects.using(using).exists()


def ensure_organizations(using: str) -> dict[str, int]:
    """Ids of the synthetic organisations by name, creating those missing (no signals)."""
    specs = {slugify(name): (name, kind, code) for name, kind, code in organizations()}
    found = Organization.objects.using(using).filter(slug__in=specs)
    have = set(found.values_list("slug", flat=True))
    Organization.objects.using(using).bulk_create(
        Organization(name=name, slug=slug, kind=kind, country=code)
        for slug, (name, kind, code) in specs.items()
        if slug not in have
    )
    return {specs[slug][0]: pk for slug, pk in found.values_list("slug", "pk")}


def ensure_topics(using: str) -> list[int]:
    """Ids of the synthetic topics in TOPICS order, reusing any topic of the same name or slug."""
    manager = Topic.objects.using(using)

    def known() -> dict[str, int]:
        slugs = [slugify(name) for name, _, _ in TOPICS]
        rows = manager.filter(Q(slug__in=slugs) | Q(name__in=[n for n, _, _ in TOPICS]))
        return {key: pk for name, slug, pk in rows.values_list("name", "slug", "pk")
                for key in (name, slug)}  # fmt: skip

    for with_parent in (False, True):  # parents first
        ids = known()
        manager.bulk_create(
            Topic(name=name, slug=slugify(name), parent_id=ids.get(parent),
                  keywords="\n".join(keywords), description="A topic of the synthetic archive.")
            for name, parent, keywords in TOPICS
            if bool(parent) == with_parent and name not in ids and slugify(name) not in ids
        )  # fmt: skip
    ids = known()
    return [ids.get(name) or ids[slugify(name)] for name, _, _ in TOPICS]


def _free_public_ids(corpus: Corpus, rows: list, using: str, spare: list[int]) -> list:
    """Rows whose public id is used (or was, and is retired) get the next spare id instead."""
    while True:
        wanted = [row[PUBLIC_ID] for row in rows]
        taken = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for model in (Statement, RetiredStatement):
                found = model._base_manager.using(using).filter(public_id__in=chunk)
                taken.update(found.values_list("public_id", flat=True))
        if not taken:
            return rows
        for i, row in enumerate(rows):
            if row[PUBLIC_ID] in taken:
                rows[i] = (*row[:PUBLIC_ID], corpus.public_id(spare[0]), *row[PUBLIC_ID + 1 :])
                spare[0] += 1


def generate(
    statements: int,
    seed: int = 1,
    *,
    batch_size: int = 10_000,
    append: bool = False,
    progress: Callable[[int, int], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> Summary:
    """Write a synthetic archive of exactly `statements` statements in one transaction.

    Refuses (ArchiveNotEmpty) a database that has conferences unless `append`; an appended
    archive is salted with the existing rows, so appending the same seed twice adds new rows."""
    started = time.monotonic()
    empty = is_empty(using)
    if not empty and not append:
        raise ArchiveNotEmpty("The archive already has conferences.")
    writer = Writer(using)
    with transaction.atomic(using=using):
        salt = ""
        if not empty:
            highest = Conference.objects.using(using).aggregate(n=Max("pk"))["n"]
            salt = f"after-{highest}"
        corpus = Corpus(statements, seed, salt)
        people = len(corpus.officials) + len(corpus.journalists)
        ids = Ids(
            conference=writer.reserve(Conference, len(corpus.sizes)),
            source=writer.reserve(SourceDocument, len(corpus.sizes)),
            statement=writer.reserve(Statement, statements),
            speaker=writer.reserve(Speaker, people),
            alias=writer.reserve(SpeakerAlias, people),
            role=writer.reserve(Role, len(corpus.officials)),
            organizations=ensure_organizations(using),
            topics=ensure_topics(using),
            speakers=dict(
                Speaker.objects.using(using)
                .filter(slug__endswith="-synthetic")
                .values_list("slug", "pk")
            ),
        )
        if not empty:
            ids.taken_slugs = set(Conference.objects.using(using).values_list("date", "slug"))
        check_ids = not empty or RetiredStatement.objects.using(using).exists()
        spare = [statements]  # positions past the archive: public ids unused by this run
        batch = {model: [] for model in COLUMNS}

        def flush():
            if check_ids:
                batch[Statement] = _free_public_ids(corpus, batch[Statement], using, spare)
            for model, rows in batch.items():
                writer.write(model, rows)
                rows.clear()
            if progress:
                progress(corpus.position, statements)

        for rows in corpus.conferences(ids):
            for model, new in rows.items():
                batch[model] += new
            if len(batch[Statement]) >= batch_size:
                flush()
        flush()
        facets.refresh_all(using)  # the rows were written raw, without signals
    writer.analyze()
    return Summary(len(corpus.sizes), statements, corpus.speakers_made, time.monotonic() - started)
