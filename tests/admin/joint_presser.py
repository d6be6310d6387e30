"""A fictional joint press conference of about 3,000 words for the review screen's tests.

Two leaders of invented countries (Valdora, Norland), a moderator and journalists; every word is
made up here. The Norland prime minister's label, 'H.E. Tomas Ekdahl, Prime Minister of
Norland:', is a shape the importer does not read as a label on its own: his turns run into the
turn before them until an editor says it is a label.
"""

PRESIDENT = "PRESIDENT KESSEL"
PRIME_MINISTER = "H.E. Tomas Ekdahl, Prime Minister of Norland"
MODERATOR = "MODERATOR"

_SENTENCES = [
    "We spent the morning on the northern trade corridor and the afternoon on the ports.",
    "Our ministers will meet again in the autumn to review the timetable.",
    "The agreement covers rail freight, customs checks and the shared inspection posts.",
    "Farmers on both sides of the border have waited a long time for this decision.",
    "We also discussed the fisheries quota and agreed to ask the joint commission for advice.",
    "Nothing in today's text changes the rules on state aid that both countries apply.",
    "The first trains should run on the new line before the end of next year.",
    "We will publish the full text of the memorandum on the ministry's website tonight.",
    "There is still work to do on the electricity interconnector, and we said so plainly.",
    "Our finance ministers will present the cost estimates to both parliaments in March.",
    "I want to thank the negotiating teams, who worked through the night on the annex.",
    "The border towns will get a fund for roads and schools paid for by both governments.",
    "We agreed that disputes under the agreement go first to a panel of three judges.",
    "Students from Norland will be able to study in Valdora on the same terms as our own.",
    "The customs union is not on the table, and I do not expect it to be soon.",
    "We talked about the storm damage on the coast and the help each side can send.",
    "Our police services will share information on smuggling through a common office.",
    "The harbour at Port Aster will handle twice as many containers when the works end.",
    "Both cabinets approved the plan last week, so today we could sign it here.",
    "We will invite the regional governors to the next meeting of the joint commission.",
]


def _paragraphs(seed: int, count: int, per: int) -> str:
    paragraphs = []
    for p in range(count):
        start = (seed * 7 + p * 3) % len(_SENTENCES)
        picked = [_SENTENCES[(start + k) % len(_SENTENCES)] for k in range(per)]
        paragraphs.append(" ".join(picked))
    return "\n\n".join(paragraphs)


def joint_press_conference() -> tuple[str, list[tuple[str, str]]]:
    """The text, and its turns in order: (label as printed, first words)."""
    turns: list[tuple[str, str]] = [
        (
            MODERATOR,
            "Good afternoon and welcome to the joint press conference of the President "
            "of Valdora and the Prime Minister of Norland. The President will speak first.",
        ),
        (PRESIDENT, "Thank you. " + _paragraphs(1, 6, 5)),
        (PRIME_MINISTER, "Thank you, Mr President. " + _paragraphs(2, 6, 5)),
        (
            MODERATOR,
            "Thank you both. We have time for a few questions. The first from the front row.",
        ),
    ]
    questions = [
        "Mr President, when will the first trains run, and who pays for the new line?",
        "Prime Minister, does the fisheries quota mean fewer boats for Norland's fleet?",
        "A question for both leaders: is the customs union off the table for good?",
        "Mr President, what will the border towns get from the new fund, and when?",
        "Prime Minister, will the parliament in Norland vote on the memorandum?",
        "Mr President, how will the panel of judges be chosen?",
        "Prime Minister, what help can Norland send to the storm-damaged coast?",
        "Mr President, will the students from Norland pay the same fees as Valdorans?",
        "Prime Minister, how many containers does Port Aster handle today?",
        "Mr President, did the cabinets change anything in the annex last week?",
        "A last question, for both of you: when do you meet again?",
    ]
    for n, question in enumerate(questions):
        turns.append(("Q", question))
        first, second = (PRESIDENT, PRIME_MINISTER) if n % 2 == 0 else (PRIME_MINISTER, PRESIDENT)
        turns.append((first, _paragraphs(10 + n, 3, 4)))
        if n % 3 == 2:
            turns.append((second, _paragraphs(30 + n, 1, 4)))
    turns.append((MODERATOR, "Thank you. This ends the press conference."))
    text = (
        "Joint Press Conference of the President of Valdora and the Prime Minister of Norland\n"
        "Port Aster, 3 May 2024\n\n"
        + "\n\n".join(f"{label}: {words}" for label, words in turns)
        + "\n"
    )
    return text, [(label, words.split("\n", 1)[0][:40]) for label, words in turns]
