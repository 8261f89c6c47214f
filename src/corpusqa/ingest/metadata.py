"""Title, date and publisher of an article, taken from what its text states."""

from __future__ import annotations

import re

from corpusqa.ingest.clean import BARE_LINK, DATE_LABEL, DATE_LINE
from corpusqa.text import sentence_spans
from corpusqa.types import ArticleMeta

TITLE_MAX_CHARS = 200
HEAD_LINES = 12  # datelines and site names sit at the top of a page
PUBLISHER_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[–—|-]\s+(?P<publisher>[^–—|-]{2,40})$")
# A byline and a date on one line ("By Jane Doe | April 15, 2024"): the parts are split here.
HEADER_PARTS = re.compile(r"\s+[|·•—–-]\s+")
HEADER_LINE_CHARS = 100  # a byline is short; a longer line is body text


def article_meta(text: str, segments: list[tuple[int, int]]) -> ArticleMeta:
    """Metadata for one document, given the spans the cleaner kept."""
    head = [line.strip() for line in text.split("\n")[:HEAD_LINES] if line.strip()]
    title, publisher = _split_publisher(_title(text, segments))
    return ArticleMeta(
        title=title,
        date=_date(head),
        publisher=publisher or _domain(head),
    )


def _title(text: str, segments: list[tuple[int, int]]) -> str:
    if not segments:
        return ""
    start, end = segments[0]
    first_line = text[start:end].split("\n", 1)[0].strip().lstrip("\ufeff")
    if len(first_line) <= TITLE_MAX_CHARS:
        return first_line
    sentence_start, sentence_end = sentence_spans(text, start, end)[0]
    return _shorten(text[sentence_start:sentence_end], 100)


def _date(head: list[str]) -> str:
    """The first line of the head that is a date, or the first date part of a header line;
    without a label before it ("Published: 7 August 2024" is dated 7 August 2024)."""
    dates = [line for line in head if DATE_LINE.match(line)] or [
        part
        for line in head
        if len(line) <= HEADER_LINE_CHARS
        for part in _ends(HEADER_PARTS.split(line))
        if DATE_LINE.match(part)
    ]
    # When a page gives both, the date it was published, not the date it was last updated.
    dates.sort(key=lambda d: d.lower().startswith(("updated", "last updated")))
    return DATE_LABEL.sub("", dates[0]) if dates else ""


def _ends(parts: list[str]) -> list[str]:
    """The first and last parts of a header line ("By X | date", "date · By X"): a date in the
    middle of a line ("The strike began — March 3 — and ...") is the body's."""
    return [p.strip() for p in (parts[0], parts[-1])] if len(parts) > 1 else []


def _shorten(sentence: str, limit: int) -> str:
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _split_publisher(title: str) -> tuple[str, str]:
    match = PUBLISHER_SUFFIX.match(title)
    if match and len(match.group("publisher").split()) <= 4:
        return match.group("title").strip(), match.group("publisher").strip()
    return title, ""


def _domain(head: list[str]) -> str:
    for line in head:
        if BARE_LINK.match(line):
            return re.sub(r"^(?:https?://)?(?:www\.)?", "", line).split("/", 1)[0]
    return ""
