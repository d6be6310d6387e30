"""The fixed vocabulary of the synthetic archive (conferences/corpus/synthetic.py): words, invented
countries and names, and topics. Everything here is invented for load tests; nothing names a
real person."""

import functools
from itertools import accumulate

# The vocabulary -----------------------------------------------------------------------------------
# Each class is drawn Zipf-like in the order written: the first words are the common ones.
SUBJECTS = (
    "We|Our government|The ministry|The minister|Our delegation|Both sides|The parties|"
    "Our partners|The government of {country}|{country}|The council|The secretariat|Our side|"
    "The international community|All parties|Our allies|The presidency|The working group|"
    "Our experts|The mediators"
).split("|")
MODALS = "will|must|should|can|cannot|would|may|will continue to|will not|could".split("|")
VERBS = """support reject welcome condemn discuss review strengthen defend respect protect promote
    examine address resolve resume suspend negotiate ratify sign implement monitor consider pursue
    uphold encourage reaffirm clarify assess coordinate facilitate restore expand reduce maintain
    oppose endorse deepen secure preserve advance propose postpone extend honour observe verify
    guarantee settle raise recognise share""".split()
ADJECTIVES = """bilateral multilateral regional international strategic economic humanitarian
    maritime territorial constructive peaceful comprehensive mutual sovereign legitimate sustainable
    political military diplomatic democratic transparent practical lasting urgent joint collective
    fundamental reliable responsible stable balanced nuclear civilian commercial cultural financial
    legal historic open broad genuine concrete frank productive fair secure existing new important
    current""".split()
NOUNS = """agreement dialogue cooperation security stability sovereignty integrity sanctions
    negotiations treaty partnership talks relations region border ceasefire conflict crisis process
    framework mechanism commitment obligations principles interests trade investment energy supply
    corridor pipeline tariffs exports imports aid assistance refugees migration climate emissions
    fisheries waters shipping navigation ports airspace delegation mission embassy consulate envoy
    summit visit meeting consultations roadmap resolution council charter declaration memorandum
    protocol convention inspection verification disarmament weapons exercises troops forces
    deployment alliance neighbours citizens people government parliament elections reforms rights
    law justice court tribunal measures proposal initiative position concerns situation
    developments progress efforts steps guarantees provisions terms deadline vaccines health food
    grain water infrastructure technology networks tourism education culture heritage minorities
    journalists media""".split()
PREPOSITIONS = """with between on for against within across under through towards in of beyond
    alongside regarding""".split()
TAILS = (
    "without delay|as soon as possible|in good faith|step by step|in full|on equal terms|"
    "at all levels|in the near future|without preconditions|in the coming weeks|"
    "for the benefit of all|in line with international law|within the agreed framework|"
    "once again|together with our partners"
).split("|")
OPENERS = (
    "Today|As before|In this regard|At the same time|Once again|First of all|Frankly|As you know|"
    "Without doubt|Above all|In our view|For this reason|Nevertheless|Moreover|"
    "In the coming weeks|This year|Last month|Since then|Let me be clear|In any case"
).split("|")
QUESTIONS = (
    "Could you comment on|What is your position on|How do you assess|Can you tell us more about|"
    "What do you expect from|Is there any progress on|Will you raise|Do you support|"
    "How will you respond to|What is the timeline for|Can you confirm|Are you concerned about"
).split("|")
CLOSINGS = (
    "Thank you.|Thank you very much.|That is all for today.|We will keep you informed.|"
    "Thank you for your questions."
).split("|")
ROLE_TITLES = (
    "Spokesperson of the Ministry of Foreign Affairs|Minister of Foreign Affairs|"
    "Deputy Minister of Foreign Affairs|Ambassador at Large|Prime Minister|President"
).split("|")
# Fictional countries, each filed under a real ISO code, with an invented capital.
COUNTRIES = [
    tuple(entry.split(":"))
    for entry in """Norlandia:NO:Norhaven Eastmark:EE:Estberg Vellmark:SE:Vellport
    Dervania:DE:Dervgrad Frandor:FR:Frandell Kestria:KE:Kesmouth Brasilona:BR:Brastad
    Indara:IN:Indaford Japonia:JP:Japoville Canadore:CA:Canaport Meridia:MX:Merigrad
    Austrel:AU:Austhaven Turvania:TR:Turberg Egyra:EG:Egyport Nigaro:NG:Nigaford
    Argentel:AR:Argenstad Polessia:PL:Polegrad Italora:IT:Italhaven Espadia:ES:Espaberg
    Chinara:CN:Chinaport Korvania:KR:Korvstad Zantera:ZA:Zanford Saudora:SA:Saudhaven
    Vietara:VN:Vietberg Peruvia:PE:Perugrad Kazara:KZ:Kazport Morrocia:MA:Morraford
    Chilora:CL:Chilstad Finnara:FI:Finnhaven Ostmark:AT:Ostberg""".split()
]
INTERNATIONAL = (
    "Council of the Northern Seas|Union of Coastal States|Assembly of Nations|"
    "Continental Trade Forum|Commission for River Basins"
).split("|")
SYLLABLES_GIVEN = "Vel Ara Tor Mir Kes Lio Dar Yun Eri Osk Nal Rhe Sav Ilo Zen Fai Bru Cal".split()
SYLLABLES_FAMILY = """an dar ko ru tha mel vor lis quen bra ost fen gar hul ixa jor kev lun mav
    nor pel ras sun tev ulm""".split()
SURNAME_ENDINGS = "in ar ov ek ane u is ett".split()
# (name, parent name, keywords): keywords are written into the statements on the topic.
TOPICS = [
    (name, parent, keywords.split(","))
    for name, parent, keywords in (
        line.strip().split("|")
        for line in """Security||security,defence
        Maritime security|Security|maritime security,shipping lanes,naval patrols
        Arms control|Security|arms control,disarmament talks,missile treaty
        Cybersecurity|Security|cyber attacks,cybersecurity,digital networks
        Counter-terrorism|Security|counter-terrorism,extremist groups
        Economy||economy,economic growth
        Trade|Economy|trade,tariffs,exports
        Energy|Economy|energy supply,gas pipeline,power grid
        Sanctions|Economy|sanctions,restrictive measures
        Investment|Economy|investment,joint ventures
        Humanitarian affairs||humanitarian aid,relief convoys
        Refugees and migration|Humanitarian affairs|refugees,migration,asylum seekers
        Food security|Humanitarian affairs|food security,grain exports
        Health|Humanitarian affairs|public health,vaccines
        Climate change||climate change,emissions,carbon targets
        Human rights||human rights,civil liberties
        Territorial disputes||territorial dispute,border demarcation
        Peace process||peace process,ceasefire,peace talks
        Elections||elections,electoral observers
        Consular affairs||consular assistance,detained citizens
        Fisheries||fishing quotas,fisheries
        Nuclear non-proliferation||non-proliferation,nuclear programme,enrichment
        Outer space||outer space,satellite launches
        Arctic affairs||Arctic,polar routes
        Water resources||water resources,river basin,dam
        Tourism||tourism,visitor numbers
        Education and culture||student exchanges,cultural centres
        Media freedom||press freedom,accredited journalists
        Visa policy||visa regime,visa-free travel
        Infrastructure||infrastructure,railway link,bridge
        Transport corridors||transport corridor,transit routes
        Agriculture||agriculture,farm exports
        Technology||technology transfer,semiconductors
        Disaster relief||disaster relief,earthquake recovery
        Rule of law||rule of law,judicial reform
        Development aid||development aid,concessional loans
        Regional organisations||regional organisations,regional bloc
        Bilateral visits||state visit,official visit
        Multilateral diplomacy||multilateral diplomacy,general assembly
        Border management||border crossings,border guards
        Minority rights||minority rights,language rights
        Cultural heritage||cultural heritage,looted artefacts""".splitlines()
    )
]


# Real words ---------------------------------------------------------------------------------------
# Half the sentences are drawn from a real English frequency list (wordfreq's "large" list, the
# 60,000 most frequent words made of letters only), each word with its real frequency, so that a
# search word is as rare or as common in the synthetic archive as in real text. wordfreq's data is
# frozen (its last release, 3.1), so the same seed still gives the same archive.
REAL_VOCABULARY = 60_000


@functools.cache
def real_words(size: int = REAL_VOCABULARY) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The `size` most frequent English words (lower case, two letters or more) and their
    cumulative frequencies, most frequent first."""
    from wordfreq import get_frequency_dict  # only generate_corpus needs it

    words, weights = [], []
    for word, frequency in get_frequency_dict("en", "large").items():
        if len(word) > 1 and word.isascii() and word.isalpha():
            words.append(word)
            weights.append(frequency)
            if len(words) == size:
                break
    return tuple(words), tuple(accumulate(weights))
