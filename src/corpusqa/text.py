"""Offset-keeping text helpers shared by chunking and answering: sentences, words, token estimates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Tokens that end with a period without ending a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cpl adm cmdr gov sen rep rev st jr sr no vs
    etc inc ltd co corp dept est fig approx jan feb mar apr jun jul aug sep sept oct nov dec
    mt ft u.s u.k u.n e.g i.e a.m p.m retd
    """.split()
)

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_LINE_ENDS = frozenset(".!?…:;\"'”’)]")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# How far back from a period to look for the word it ends: longer than any abbreviation. A
# search from the text's start tried every position before the period: quadratic in the text.
WORD_BEFORE_REACH = 64

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself also did does said says according tell told me please much many
    """.split()
)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """Half a UTF-16 pair is not text: JSON encoders and browsers fail on it; show U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def normalize(text: str) -> str:
    """Lower-cased, accent-folded, curly quotes straightened; for comparisons only."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return folded.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower()


def words(text: str) -> list[str]:
    """Normalised word tokens."""
    return _WORD.findall(normalize(text))


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, no one-letter tokens."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def estimate_tokens(text: str) -> int:
    """Word-piece count estimate; MiniLM's tokenizer gives about 1.3 pieces per English word."""
    return int(len(_WORD.findall(text)) * 1.3) + 1


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot_at: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot_at - WORD_BEFORE_REACH), dot_at)
    if not match:
        return False
    token = match.group(1).lower().rstrip(".")
    # A lone capital before a period is an initial ("D. P. Pandey"), not a sentence end.
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute (start, end) spans.

    A line break ends a sentence, except inside a hard-wrapped paragraph: a line that does not
    end a sentence, followed at once by a line starting in lower case, continues on it.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _unwrapped(text, line_spans(text, start, end)):
        spans.extend(_sentences_in_line(text, line_start, line_end))
    return spans


def _unwrapped(text: str, lines: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    current: tuple[int, int] | None = None
    for line in lines:
        if current is not None and _continues(text, current, line):
            current = (current[0], line[1])
            continue
        if current is not None:
            yield current
        current = line
    if current is not None:
        yield current


def _continues(text: str, line: tuple[int, int], following: tuple[int, int]) -> bool:
    between = text[line[1] : following[0]]
    return (
        between.count("\n") == 1
        and not between.strip()
        and text[line[1] - 1] not in _LINE_ENDS
        and text[following[0]].islower()
    )


def line_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The non-blank lines of text[start:end], each trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline == -1 else newline
        trimmed = trim_span(text, position, line_end)
        if trimmed[0] < trimmed[1]:
            yield trimmed
        position = line_end + 1


def _sentences_in_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        span = trim_span(text, sentence_start, match.end())
        if span[0] < span[1]:
            yield span
        sentence_start = match.end()
    span = trim_span(text, sentence_start, end)
    if span[0] < span[1]:
        yield span
