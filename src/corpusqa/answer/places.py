"""Which names are countries: "Which Bangladeshi city ...?" is not answered by "Pakistan"."""

from __future__ import annotations

import re
from functools import lru_cache

# Names news gives countries besides CLDR's own ("Bosnia & Herzegovina", "United States").
OTHER_COUNTRY_NAMES = (
    "us",
    "u.s.",
    "usa",
    "u.s.a.",
    "america",
    "uk",
    "u.k.",
    "britain",
    "great britain",
    "england",
    "scotland",
    "wales",
    "united states of america",
    "czech republic",
    "russian federation",
    "south korea",
    "north korea",
    "bosnia",
    "palestine",
    "turkey",
    "burma",
    "congo",
    "dr congo",
    "democratic republic of the congo",
    "ivory coast",
    "uae",
    "holland",
    "east timor",
    "swaziland",
)

# Countries that are, or share their name with, a city: "Singapore" answers "which city".
CITY_STATES = frozenset(
    {
        "singapore",
        "monaco",
        "luxembourg",
        "kuwait",
        "djibouti",
        "gibraltar",
        "andorra",
        "macao",
        "vatican city",
        "san marino",
    }
)


def is_a_country(name: str) -> bool:
    """Whether the name is a country's (or a territory's): "Pakistan", "the United States"."""
    plain = " ".join(name.lower().split()).removeprefix("the ")
    return plain in _country_names()


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    from babel import Locale  # loaded by the first "which city" question only

    territories = Locale("en").territories
    names = {name.lower() for code, name in territories.items() if code.isalpha()}
    # "Myanmar (Burma)", "Congo - Kinshasa", "Bosnia & Herzegovina": each name they hold
    names |= {re.split(r"\s+\(|\s+-\s+", name)[0] for name in names}
    names |= {name.replace(" & ", " and ") for name in names}
    return frozenset((names | set(OTHER_COUNTRY_NAMES)) - CITY_STATES)
