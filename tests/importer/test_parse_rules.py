"""Rules added for texts the development corpus does not show (invented people and places)."""

import datetime

import pytest

from conferences.importer.parse import parse
from conferences.importer.parse.dates import clean_title, dateline, parse_date
from conferences.importer.parse.names import label_name, post_holders


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tuesday 3rd May 2022", datetime.date(2022, 5, 3)),
        ("May 3rd, 2022", datetime.date(2022, 5, 3)),
        ("3.5.2022", datetime.date(2022, 5, 3)),
    ],
)
def test_parse_date_reads_ordinals_and_dotted_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "line, place, date, rest",
    [
        ("GENEVA, May 3 (Reuters) - Vesmark agreed", "Geneva", None, "Vesmark agreed"),
        ("WASHINGTON \u2014 The minister said", "Washington", None, "The minister said"),
        (
            "Port Aster, 12 June 2024 / Synthetic Wire / The ministry said",
            "Port Aster",
            datetime.date(2024, 6, 12),
            "The ministry said",
        ),
        ("VESMARK CITY, May 3rd, 2022 \u2014 Go", "Vesmark City", datetime.date(2022, 5, 3), "Go"),
        ("PORT ASTER, Tuesday 3rd May 2022", "Port Aster", datetime.date(2022, 5, 3), ""),
    ],
)
def test_dateline_forms(line, place, date, rest):
    found = dateline(line)
    assert found is not None
    assert found[:2] == (place, date)
    assert line[found[2] :] == rest


def test_weekday_before_a_date_is_not_a_place():
    assert dateline("Friday, January 14, 2022") is None


def test_clean_title_drops_a_trailing_date():
    assert clean_title("Regular Press Briefing by Spokesperson Ilse Marwick, 12 June 2024") == (
        "Regular Press Briefing by Spokesperson Ilse Marwick"
    )


def test_post_holders_finds_people_named_with_their_post():
    text = "Noon briefing by Lorenzo Avila, Spokesman for the Secretary-General."
    assert post_holders(text, "spokesman") == ["Lorenzo Avila"]
    assert post_holders("Interview of Foreign Minister Dario Kessel with the Courier") == [
        "Dario Kessel"
    ]


def test_label_with_a_comma_keeps_the_name_side():
    assert label_name("Official Spokesperson, Ilse Marwick") == "Ilse Marwick"
    assert label_name("Ilse Marwick, Spokesperson") == "Ilse Marwick"


def test_label_name_leaves_out_letters_after_the_name():
    assert label_name("THE HON TOMAS EKDAHL MP, PRIME MINISTER") == "Tomas Ekdahl"
    assert label_name("Dr Ilse Marwick QC") == "Ilse Marwick"
    assert label_name("Ilse Marwick, Lithuanian Foreign Minister") == "Ilse Marwick"


def test_crlf_line_endings_keep_offsets_into_the_pasted_text():
    text = (
        "Ilse Marwick:\u00a0Good afternoon.\r\n\r\n"
        "Question:\tIs he travelling?\r\n\r\nIlse Marwick: Yes.\r\n"
    )
    doc = parse(text)
    assert [(t.label, t.text) for t in doc.turns] == [
        ("Ilse Marwick", "Good afternoon."),
        ("Question", "Is he travelling?"),
        ("Ilse Marwick", "Yes."),
    ]
    for turn in doc.turns:
        assert text[turn.start : turn.end] == turn.text


def test_prose_with_a_comma_before_a_colon_is_not_a_label():
    text = (
        "Ilse Marwick: Good afternoon.\n"
        "Question: And the river?\n"
        "Ilse Marwick: Yes, Mariam, Of Course: we will see.\n"
    )
    labels = [t.label for t in parse(text).turns]
    assert labels == ["Ilse Marwick", "Question", "Ilse Marwick"]


def test_role_label_takes_the_name_the_header_gives():
    text = (
        "Briefing by Lorenzo Avila, Spokesman for the Secretary-General\n\n"
        "Spokesman: Good afternoon.\n\nQuestion: Any news?\n\nSpokesman: None.\n"
    )
    speakers = [t.speaker for t in parse(text).turns]
    assert speakers == ["Lorenzo Avila", None, "Lorenzo Avila"]


def test_role_label_stays_a_role_when_the_header_names_two_holders():
    text = (
        "Briefing by Spokesperson Ilse Marwick and Spokesperson Omar Tanzi\n\n"
        "Spokesperson: Good afternoon.\n\nQuestion: Any news?\n\nSpokesperson: None.\n"
    )
    assert parse(text).turns[0].speaker == "Spokesperson"


def test_editorial_note_above_the_first_label_is_not_a_turn():
    text = (
        "The following is a near-verbatim transcript of the briefing by the Spokesman.\n\n"
        "Spokesman: Good afternoon.\n\nQuestion: Any news?\n\nSpokesman: None.\n"
    )
    assert [t.label for t in parse(text).turns] == ["Spokesman", "Question", "Spokesman"]


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ('"We will not yield," said the trade minister, Nadia Okoro, on Monday.', "Nadia Okoro"),
        ('The trade minister, Nadia Okoro, said: "We will not yield."', "Nadia Okoro"),
        ('"We will not yield," Nadia Okoro, the trade minister, said.', "Nadia Okoro"),
        ('"We will not yield," a senior Altaran official said.', "senior Altaran official"),
        ('"We will not yield," said a spokesman for the ministry.', "spokesman for the ministry"),
        ('"We will not yield," the Altaran Foreign Ministry said.', "Altaran Foreign Ministry"),
    ],
)
def test_attribution_forms(sentence, speaker):
    text = "Minister Dario Kessel opened the talks on Monday.\n\n" + sentence
    doc = parse(text, kind="article")
    assert [t.speaker for t in doc.turns] == [speaker]


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ("„Wir weichen nicht zurück“, sagte die Außenministerin Nadia Okoro.", "Nadia Okoro"),
        ("„Wir weichen nicht zurück“, so Okoro.", "Nadia Okoro"),
        ("Nadia Okoro sieht »keinen Grund zur Eile«.", "Nadia Okoro"),
        ("« Nous ne céderons pas », a déclaré Nadia Okoro.", "Nadia Okoro"),
        ("« Nous ne céderons pas », selon Okoro.", "Nadia Okoro"),
        ("«No vamos a ceder», afirmó Okoro.", "Nadia Okoro"),
        ("Según Okoro, el acuerdo sigue siendo «el mejor posible».", "Nadia Okoro"),
        ("«Мы не уступим», — заявила Окоро.", "Окоро"),
        # a capitalised German noun opening the sentence is no name: the minister stays Okoro
        (
            "Im Gegenzug lobte sie die Fischer. „Wir weichen nicht“, so die Ministerin.",
            "Nadia Okoro",
        ),
    ],
)
def test_attribution_in_other_languages(sentence, speaker):
    text = "Die Ministerin Nadia Okoro, la ministre Nadia Okoro, la ministra Nadia Okoro.\n\n"
    doc = parse(text + sentence, kind="article")
    assert [t.speaker for t in doc.turns] == [speaker]


def test_pronoun_refers_to_the_person_a_sentence_just_introduced():
    text = (
        '"We have waited long enough," said Dario Kessel, the foreign minister.\n\n'
        "Altara's foreign minister Amira Haddan was more cautious. "
        '"The hard part starts now," she said.\n'
    )
    doc = parse(text, kind="article")
    assert [t.speaker for t in doc.turns] == ["Dario Kessel", "Amira Haddan"]


def test_headline_ending_in_a_quote_is_the_title_not_a_statement():
    text = (
        'Minister says river plan is "non-negotiable"\n\n'
        'VESMARK CITY, May 3rd, 2022 \u2014 "We will build," Minister Dario Kessel said.\n'
    )
    doc = parse(text, kind="article")
    assert doc.title == 'Minister says river plan is "non-negotiable"'
    assert (doc.date, doc.place) == (datetime.date(2022, 5, 3), "Vesmark City")
    assert [t.text for t in doc.turns] == ["We will build,"]


def test_a_wrapped_first_line_of_a_single_label_is_speech_not_a_headline():
    text = (
        "Remarks by President Selma Varga on the river plan\n\n"
        "THE PRESIDENT:  Good morning, folks.  For a few weeks now, an\n"
        "overwhelming share of the people has made it clear that they\n"
        "support the river plan.  And the assembly took the first step.\n\n"
        "And I want to thank everyone who supported it.\n"
    )
    doc = parse(text)
    assert [(t.label, t.speaker) for t in doc.turns] == [("THE PRESIDENT", "Selma Varga")]
    assert " ".join(doc.turns[0].text.split()).startswith(
        "Good morning, folks. For a few weeks now"
    )


ARTICLE_BODY = (
    'PORT ASTER, May 3 (Norland Wire) - "We will not give up the harbour," Foreign Minister '
    "Ilse Marwick told reporters on Friday.\n\n"
    '"The talks go on," said Dario Kessel, her Eastmark counterpart.\n'
)


@pytest.mark.parametrize(
    "head",
    [
        "Editor's Note: This article was updated on Monday to add the minister's remarks.\n\n",
        "CORRECTION: An earlier version misspelt the name of the harbour.\n\n",
        "Marwick: U.S. Will Stand With Norlandia as Long as It Takes\n\n",
        "Marwick's press conference: the minister warns her neighbours\n\n",
        "By Anna Holt\n\nLive updates\n\nAnna Holt\n\nThe talks resumed.\n\nAnna Holt\n\n",
    ],
)
def test_english_articles_stay_articles_whatever_stands_above_them(head):
    doc = parse(head + ARTICLE_BODY)
    assert doc.kind == "article"
    assert [t.speaker for t in doc.turns] == ["Ilse Marwick", "Dario Kessel"]


def test_a_topic_line_inside_a_wrapped_speech_is_no_speaker():
    text = (
        "MS. DARROW:  Good afternoon.  The talks resumed today, and the minister\n"
        "will travel to Port Aster on Monday.\n\n"
        "Senator Kessel: the minister spoke with him this morning and they\n"
        "agreed to meet again in the spring.\n\n"
        "Q  Will the treaty be signed?\n\n"
        "MS. DARROW:  We hope so.\n"
    )
    assert [t.label for t in parse(text).turns] == ["MS. DARROW", "Q", "MS. DARROW"]


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ('"We will stay," said Foreign Minister Dao Minh Son.', "Dao Minh Son"),
        ('"We will stay," said Will Harlan, the trade envoy.', "Will Harlan"),
        ('"We will stay," said General Secretary To Vann.', "Vann"),  # 'to' reads as a title
    ],
)
def test_english_names_keep_words_that_are_common_in_other_languages(sentence, speaker):
    doc = parse(sentence, kind="article")
    assert [t.speaker for t in doc.turns] == [speaker]


def test_german_so_after_a_quote_is_not_read_in_english():
    text = 'The bill was "dead on arrival," so Republicans will try again next year.\n'
    assert [t.speaker for t in parse(text, kind="article").turns] in ([], [None])


@pytest.mark.parametrize(
    "line",
    [
        "R. Kessel was convicted of fraud in March.",
        "A - B testing of the new harbour signs went well.",
        "Question - does the minister know?",
    ],
)
def test_answer_and_dash_forms_need_their_own_shape(line):
    assert not [t for t in parse(line + "\n\nMore words follow here.\n").turns if t.label]


def test_dashes_make_an_interview_only_when_they_take_turns_asking_and_answering():
    interview = (
        "Valdora, 3 April. The deputy minister Tomas Ekdahl spoke to the Courier.\n"
        "- Mr Ekdahl, is the meeting on 13 April confirmed?\n"
        "- It is possible on the 13th, and on the 14th as well. Nothing is fixed yet.\n"
    )
    doc = parse(interview)
    assert [(t.kind, t.speaker) for t in doc.turns] == [
        ("question", None),
        ("answer", "Tomas Ekdahl"),
    ]
    # a list whose items ask nothing, and a report's dialogue-dash quotes, are no interview
    listing = (
        "The plan has three parts:\n"
        "- Funding for social housing rises by five percent this year.\n"
        "- A cap on rent increases holds for two more years.\n"
    )
    assert parse(listing).kind == "article"
    report = (
        "Валдора. Министр ответил журналистам.\n"
        "— Мы готовы к переговорам? Да, готовы, — сказал Коваль.\n"
        "— Это логичный шаг для всех сторон, — добавил он.\n"
    )
    assert all(t.label != "-" and t.label != "—" for t in parse(report).turns)


def test_a_first_person_pronoun_never_names_the_speaker():
    # sentences glued without a space, as a careless page prints them
    text = (
        "Over the coming decade, Valdora-Altara ties are expected to deepen further after"
        " years of close work.Speaking to reporters at the Aster guesthouse, Altaran Foreign"
        ' Minister Dr. T Ekdahl said Valdora was a key partner for Altara and the "see the'
        " next ten years of (joint projects) as a time with plenty of room for cooperation."
        '"I would say above all we should look at ports . . . I would choose ports as the main'
        ' goal for both sides," he addedThis could bring in other states such as Norland.'
    )
    assert [t.speaker for t in parse(text, kind="article").turns] == ["T Ekdahl", "T Ekdahl"]


# Misreads a review found in the rules of this round, each pinned with a text of our own.
REVIEWED_ARTICLES = [
    (  # a surname opening its sentence is still a name
        "Foreign Minister Amira Haddan arrived in Valdora on Monday.\n\n"
        'Okonkwo told reporters: "This is a disaster for the country."',
        ["Okonkwo"],
    ),
    (
        "Министр Амира Хаддан прибыла в Валдору.\n\n"
        "Белов, посол Норланда, заявил: «Переговоры продолжатся».",
        ["Белов"],
    ),
    (
        "La ministre Amira Haddan est arrivée lundi à Valdora.\n\n"
        "Blanc, le porte-parole du gouvernement, a ajouté : « Rien n'est décidé. »"
        " Le drapeau blanc flottait sur le palais.",
        ["Blanc"],
    ),
    (  # a name ending like a German adjective is still a name
        "Valdora appointed Craig Norris as its envoy. Craig Norris said he was honoured."
        ' "I will start work next week," he added.',
        ["Craig Norris"],
    ),
    (  # the Italian article after the verb is no pronoun
        "Il ministro Marco Bellini è arrivato a Valdora. Durante la conferenza stampa ha detto"
        " il ministro della Difesa Luca Ferri: «Le truppe resteranno a casa».",
        ["Luca Ferri"],
    ),
    (  # asked to do something: the one asking still speaks next
        "Foreign Minister Amira Haddan named a new envoy on Monday. Haddan asked Piet Vos to"
        ' lead the talks with Norland. "He is the right man," she said.',
        ["Amira Haddan"],
    ),
    (  # a one-word answer after a reporting verb is a quote
        'Asked whether observers would be invited, Lukas Brandt said "Yes".',
        ["Lukas Brandt"],
    ),
]


@pytest.mark.parametrize(("text", "speakers"), REVIEWED_ARTICLES)
def test_reviewed_article_misreads_stay_fixed(text, speakers):
    assert [t.speaker for t in parse(text, kind="article").turns] == speakers


def test_reviewed_layout_misreads_stay_fixed():
    explainer = (
        "Altara election: what you need to know\n\n"
        "- Who is standing? Five parties have registered for the vote.\n\n"
        "- What is at stake? The control of the river authority.\n\n"
        '"This is the most important election in a generation," Tamsin Rook said.\n'
    )
    doc = parse(explainer)
    assert doc.kind == "article"
    assert [t.speaker for t in doc.turns] == ["Tamsin Rook"]
    joint = (
        "Press conference with Prime Minister Tamsin Rook and President Piet Vos\n\n"
        "Piet Vos\n\nThank you, Prime Minister. It is a pleasure to welcome you to Norland.\n\n"
        "Tamsin Rook\n\nThank you, Piet. I agree with everything you said today.\n"
    )
    assert [t.speaker for t in parse(joint).turns] == ["Piet Vos", "Tamsin Rook"]
    announced = (
        "Valdora to host regional summit\n\n"
        "The foreign ministry will hold a press conference on 14 June 2025 in Valdora,"
        " it said on Monday.\n\n"
        '"All ten member states have confirmed," spokesperson Noor Selani said.\n'
    )
    assert parse(announced).date is None
    corrected = (
        "Norland rejects ceasefire proposal\n\nThe government said no on Monday.\n\n"
        "The talks will resume next week.\n\n"
        "CORRECTION: An earlier version misspelled the minister's name.\n"
    )
    assert parse(corrected).place is None


def test_question_dash_short_dash_turns_and_glued_q_and_a():
    named = (
        "Joint press conference with Amira Haddan and Piet Vos\n\n"
        "Amira Haddan - Thank you, Piet. We had a long and useful meeting.\n\n"
        "Question - Will the ferry workers be compensated?\n\n"
        "Amira Haddan - Yes, fully.\n"
    )
    assert [(t.kind, t.speaker) for t in parse(named).turns] == [
        ("remark", "Amira Haddan"),
        ("question", None),
        ("answer", "Amira Haddan"),
    ]
    short = (
        "Interview with Foreign Minister Amira Haddan, Valdora Radio\n\n"
        "- Minister, how did the talks go?\n- Better than expected.\n"
        "- Will you go back to Norland?\n- Yes, next month.\n"
    )
    assert [t.speaker for t in parse(short).turns] == [None, "Amira Haddan", None, "Amira Haddan"]
    glued = (
        "Q: Minister, will the border open?A: Within two weeks.Q: And the ferry?A: Next month."
        " HADDAN: Thank you all, and thank you for coming to Port Selm today.\n"
    )
    assert [t.text for t in parse(glued).turns][:4] == [
        "Minister, will the border open?",
        "Within two weeks.",
        "And the ferry?",
        "Next month.",
    ]
