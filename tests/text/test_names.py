"""Name matching lives in one place: normalize_name and Speaker.objects.get_by_name."""

import pytest

from conferences.models import Speaker, SpeakerAlias
from conferences.text.names import normalize_name

from ..factories import SpeakerFactory


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Sergei Lavrov", "sergei lavrov"),
        ("SERGEY LAVROV", "sergey lavrov"),
        ("MR PRICE", "price"),
        ("MS. PSAKI", "psaki"),
        ("Foreign Minister Lavrov", "lavrov"),
        ("SECRETARY BLINKEN", "blinken"),
        ("Secretary of State Blinken", "blinken"),
        ("H.E. Wang Yi", "wang yi"),
        ("Ambassador Élodie Brûlé-Marchand", "elodie brule marchand"),
        ("the Foreign Minister", "the foreign minister"),
        ("Minister", "minister"),
        ("He Yafei", "he yafei"),
        ("  ", ""),
    ],
)
def test_normalize_name(printed, expected):
    assert normalize_name(printed) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "asked",
    [
        "Alva Quintero",
        "ALVA QUINTERO",
        "alva quintero",
        "Álva Quíntero",
        "Mr. Alva Quintero",
        "Foreign Minister Alva Quintero",
        "Ambassador Alva-Quintero",
        "Quintero",
        "MINISTER QUINTERO",
        "Spokesperson Quintero",
        "Alvah Quintero",
    ],
)
def test_get_by_name_resolves_every_variant(asked):
    speaker = SpeakerFactory(name="Alva Quintero")
    other = SpeakerFactory(name="Bram Oduya")
    for name in ["Alva Quintero", "Quintero", "Alvah Quintero"]:
        SpeakerAlias.of(speaker, name).save()
    SpeakerAlias.of(other, "Bram Oduya").save()
    assert Speaker.objects.get_by_name(asked) == speaker


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["Quinterro", "Alva", "", "Mr."])
def test_get_by_name_raises_for_unknown_names(asked):
    speaker = SpeakerFactory(name="Alva Quintero")
    SpeakerAlias.of(speaker, "Alva Quintero").save()
    with pytest.raises(Speaker.DoesNotExist):
        Speaker.objects.get_by_name(asked)
