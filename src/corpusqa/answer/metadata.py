"""Answers about an article itself (its title, author, date, publisher, editor), cited to the
lines of its page that state them."""

from __future__ import annotations

import re
from collections.abc import Callable

from corpusqa.answer.analysis import MetadataField
from corpusqa.answer.compose import Draft, Part, ShortSpan
from corpusqa.answer.evidence import Sentence
from corpusqa.answer.refusal import Refusal, RefusalReason
from corpusqa.text import content_words
from corpusqa.types import Passage

HEAD_LINES = 15  # bylines, datelines and site names sit at the top of a page
BYLINE = re.compile(
    r"^\s*(?:by|written by|author:?)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})", re.I
)
# News pages often close with the editor's credit: "(Edited by Theres Sudeep)".
EDITED_BY = re.compile(
    r"^[^\w\n]*edited[ \t]+by:?[ \t]+(?P<name>(?-i:[A-Z])[\w.'’-]+(?:[ \t]+(?-i:[A-Z])[\w.'’-]+){0,3})",
    re.I | re.M,
)
# Opinion pages often close with the author's bio instead of a byline: "Jane Doe is a senior
# fellow at the Example Institute." A name of two to four capitalised words, then a role.
AUTHOR_BIO = re.compile(
    r"^(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+(?:is|was)\s+(?:a|an|the)\s"
    r"[^.\n]{0,160}\b(?:at|of|for|with)\s+(?:the\s+)?[A-Z][^\n]{0,160}$"
)
BIO_LINE_MAX_CHARS = 300
TITLE_NAMED = 0.5  # share of a title's words the question must contain to name that article
CAPITALISED = re.compile(r"\b[A-Z][\w.-]{3,}")


def metadata_draft(
    field: MetadataField, question: str, passages: list[Passage], text_of: Callable[[str], str]
) -> Draft:
    """Answer from the best-matching article's header; refuse when the article does not say.

    `text_of` reads a source's text as verified quotes see it; only the chosen article is read.
    """
    passage = _named_article(question, passages)
    text = text_of(passage.source)
    line = _header_line(field, passage, text)
    if line is None:
        title = _line_containing(text, passage.title) if passage.title else None
        related = [_sentence(passage, text, *title)] if title else []
        return Draft(Refusal(RefusalReason.METADATA_MISSING, str(field)), related=related)
    start, end, value_start, value_end = line
    sentence = _sentence(passage, text, start, end)
    short = ShortSpan(sentence, value_start - start, value_end - start)
    return Draft(parts=[Part(sentence.text, sentence)], short=short, confidence=1.0)


def _header_line(
    field: MetadataField, passage: Passage, text: str
) -> tuple[int, int, int, int] | None:
    """(line start, line end, value start, value end) of the line that states the field: a
    header line, or for an editor the credit at the page's foot."""
    if field is MetadataField.AUTHOR:
        return _byline(text) or _author_bio(text)
    if field is MetadataField.EDITOR:
        return _edited_by(text)
    value = {
        MetadataField.TITLE: passage.title,
        MetadataField.DATE: passage.date,
        MetadataField.PUBLISHER: passage.publisher,
    }[field]
    if not value:
        return None
    found = _line_containing(text, value)
    if found is None:
        return None
    start, end = found
    at = text.index(value, start)
    return start, end, at, at + len(value)


def _byline(text: str) -> tuple[int, int, int, int] | None:
    position = 0
    for line in text.split("\n")[:HEAD_LINES]:
        match = BYLINE.match(line)
        if match:
            return (
                position,
                position + len(line.rstrip()),
                position + match.start("name"),
                position + match.end("name"),
            )
        position += len(line) + 1
    return None


def _edited_by(text: str) -> tuple[int, int, int, int] | None:
    """The editor's credit line, wherever it stands (usually after the last paragraph)."""
    match = EDITED_BY.search(text)
    if match is None:
        return None
    start = text.rfind("\n", 0, match.start("name")) + 1
    end = text.find("\n", match.end())
    end = len(text) if end < 0 else end
    return start, len(text[:end].rstrip()), match.start("name"), match.end("name")


def _author_bio(text: str) -> tuple[int, int, int, int] | None:
    """A bio line after the article's last paragraph ("Jane Doe is a fellow at X.").

    Only short lines in the article's last third, after its last long paragraph, count, and
    the subject must be a name: a sentence of the body that introduces someone ("X is a senator
    of ...", "The Prime Minister is a member of ...") is not a byline.
    """
    found, position = None, 0
    for line in text.split("\n"):
        stripped = line.strip()
        match = AUTHOR_BIO.match(stripped)
        if len(stripped) > BIO_LINE_MAX_CHARS:
            found = None  # more body follows: an earlier match was part of the article
        elif match and position >= len(text) * 2 // 3 and _is_name(match.group("name")):
            at = position + line.index(stripped)
            found = (at, at + len(stripped), at + match.start("name"), at + match.end("name"))
        position += len(line) + 1
    return found


def _is_name(words: str) -> bool:
    return len(content_words(words.split()[0])) == 1


def _named_article(question: str, passages: list[Passage]) -> Passage:
    """The passage of the article the question names: by most of its title's words, else by
    its publisher ("the Gatestone piece"), else the best match."""
    asked = set(content_words(question))
    # Most title words shared first: a short title ("What are Hamas commanders doing in
    # Pakistan?") is mostly covered by any question about its subject.
    named = [
        (rank, shared, share)
        for rank, p in enumerate(passages)
        for shared, share in [_title_words_shared(asked, p.title)]
        if share >= TITLE_NAMED
    ]
    if named:
        # Then the larger share, then the better-retrieved passage.
        rank, _, _ = max(named, key=lambda n: (n[1], n[2], -n[0]))
        return passages[rank]
    names = {_squashed(w) for w in CAPITALISED.findall(question)}
    by_publisher = (p for p in passages if p.publisher and _names_publisher(names, p.publisher))
    return next(by_publisher, passages[0])


def _title_words_shared(asked: set[str], title: str) -> tuple[int, float]:
    """How many of a title's words the question has, and what share of the title they are."""
    title_words = set(content_words(title))
    # Two words at least: a one-word title ("Hamas") is named by any question about it.
    if len(title_words) < 2:
        return 0, 0.0
    shared = len(title_words & asked)
    return shared, shared / len(title_words)


def _names_publisher(names: set[str], publisher: str) -> bool:
    """Whether a capitalised word of the question is the publisher's name, or the start of
    it ("Gatestone" for "gatestoneinstitute.org")."""
    squashed = _squashed(publisher)
    return any(len(name) >= 4 and squashed.startswith(name) for name in names)


def _squashed(text: str) -> str:
    return re.sub(r"\W", "", text.lower().removeprefix("www."))


def _line_containing(text: str, value: str) -> tuple[int, int] | None:
    head_end = sum(len(line) + 1 for line in text.split("\n")[:HEAD_LINES])
    at = text.find(value, 0, head_end + len(value))
    if at < 0:
        return None
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else len(text[:end].rstrip())


def _sentence(passage: Passage, text: str, start: int, end: int) -> Sentence:
    return Sentence(passage.source, passage.title, start, end, text[start:end], 0)
