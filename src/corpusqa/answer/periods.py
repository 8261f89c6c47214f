"""Decades and centuries a question is set in ("in the 1960s", "the 11th century").

SQuAD 2.0 writes unanswerable questions by moving a sentence's century ("a centre of ivorywork
in the 1100s" for "in the 11th century", the 12th against the 11th); a user asks "what changed
in the 1990s?". A period agrees with a sentence that names it in either form ("the 1700s", "the
18th century"), a year inside it ("in 1066" is in the 11th century) or a decade inside it.
"""

from __future__ import annotations

import re

# "the 1960s", "the mid-1970s", "the 1100s" (a century: its years 1100-1199)
DECADE_OR_CENTURY = re.compile(r"\b(?P<decade>1\d\d0|20\d0|[1-9]\d0)s\b", re.I)
# "the '60s" in a sentence: a decade of the 20th century
SHORT_DECADE = re.compile(r"['’](?P<tens>\d)0s\b")
CENTURY = re.compile(r"\b(?P<number>\d{1,2})(?:st|nd|rd|th)[-\s]+century\b", re.I)
NUMBER = re.compile(r"(?<![\d.,])\d{3,4}(?!\d|[.,]\d|s\b)")


def periods_in(text: str) -> list[str]:
    """The decades and centuries the text names, as a reply would ("the 1960s", "the 11th
    century")."""
    found = [m.group(0) for m in DECADE_OR_CENTURY.finditer(text)]
    return [f"the {period}" for period in found + [m.group(0) for m in CENTURY.finditer(text)]]


def span_of(period: str) -> tuple[int, int] | None:
    """The first and last year of a period: "1960s" 1960-1969, "1100s" and "12th century"
    1100-1199 (a round hundred before 2000 is read as its century, as "the 1700s" is said)."""
    period = period.removeprefix("the ")
    century = CENTURY.fullmatch(period)
    if century:
        start = (int(century.group("number")) - 1) * 100
        return start, start + 99
    decade = DECADE_OR_CENTURY.fullmatch(period)
    if decade is None:
        return None
    start = int(decade.group("decade"))
    hundreds = start % 100 == 0 and start < 2000  # "the 2000s" is a decade, "the 1700s" a century
    return (start, start + 99) if hundreds else (start, start + 9)


def names_period(period: str, text: str) -> bool:
    """Whether the text names the period, a period inside it, or a year inside it."""
    span = span_of(period)
    if span is None:
        return False
    first, last = span
    named_periods = periods_in(text) + [
        f"the 19{m.group('tens')}0s" for m in SHORT_DECADE.finditer(text)
    ]
    for named in named_periods:
        inner = span_of(named)
        if inner is not None and first <= inner[0] and inner[1] <= last:
            return True
    return any(first <= int(year.group(0)) <= last for year in NUMBER.finditer(text))
