"""Tell article text from scraped-page boilerplate, keeping offsets into the text as read.

The cleaner never rewrites text: it returns the spans worth keeping, so every later span is still a
slice of the original file. Rules are generic: known phrases of news sites, link-list sections,
photo credits, lines repeated within a file or across files, and pull quotes that repeat nearby text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from corpusqa.text import content_words, line_spans, normalize, trim_span

SHORT_LINE_CHARS = 100

# Phrases that share a line with article text; cut out, the rest of the line survives.
INLINE_MARKERS = re.compile(
    r"^(?:story continues below (?:this )?ad(?:vertisement)?|advertisement|sponsored)\s*"
    r"|\s*(?:story continues below (?:this )?ad(?:vertisement)?|advertisement)$",
    re.IGNORECASE,
)

# Whole lines that are page furniture, not article text.
BOILERPLATE_LINE = re.compile(
    r"""^(?:
      advertisement|sponsored(?:\ content)?|scorecardresearch|
      (?:share|tweet|email|print|comment|save)(?:\ (?:this|on\ \w+))?(?:\ (?:article|story))?|
      follow\ us\b.*|text\ size\b.*|most\ (?:popular|read|viewed)\b.*|trending(?:\ now)?|
      leave\ a\ (?:reply|comment)\b.*|please\ enter\ your\b.*|
      (?:support|fund)\ (?:our|independent)\ journalism\b.*|
      add\ as\ a\ preferred\ source\b.*|with\ inputs?\ from\b.*|end\ of\ article|
      \(?edited\ by\b[^.]{0,60}\)?|tags?\b\W.*|
      stay\ informed\b.*|sign\ up\b.*|subscribe\b.*|
      (?:we\ use\ )?cookies?\b.*|(?:accept|reject)\ (?:all\ )?cookies\b.*|
      (?:read|watch|listen)\ (?:more|also|next)\b.*|
      (?-i:Home(?=[A-Z])).*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Prompts that may sit inside a longer line (site footers).
PROMPT_ANYWHERE = re.compile(
    r"follow\ \w+\ on\ (?:google|facebook|twitter|x|instagram|social\ media)|"
    r"subscribe\ (?:to\ )?our\ (?:youtube\ )?(?:channels?|newsletter)|"
    r"take\ a\ paid\ subscription|by\ clicking\ here|click\ here\ to|"
    r"sign\ up\ for\ (?:our|the)\ newsletter",
    re.IGNORECASE | re.VERBOSE,
)

# Headings that open a list of links to other stories.
LINK_LIST_HEADING = re.compile(
    r"^(?:more\ from\b|editor['’]?s\ picks?|see\ more\b|also\ read\b|read\ also\b|related\b|"
    r"recommended\b|you\ may\ (?:also\ )?like\b|more\ stories\b|latest\ (?:news|stories)$|"
    r"top\ stories$|don['’]t\ miss\b|popular\ (?:now|stories)\b)",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that open a page's footer (appeals, comment forms, author pages) near the end of a file.
FOOTER_START = re.compile(
    r"^(?:support\ our\ journalism|leave\ a\ (?:reply|comment)|"
    r"most\ (?:popular|read)\b|end\ of\ article|(?:see\ )?more\ from\ this\ author|"
    r"about\ the\ author|related\ (?:articles|stories)|you\ may\ also\ like)",
    re.IGNORECASE | re.VERBOSE,
)
FOOTER_ZONE = 0.6  # footers live in the last 40% of a page's lines

PHOTO_CREDIT = re.compile(
    r"(?:^|[\s.])(?:AFP|Reuters(?: File)?|AP(?: Photo)?|PTI|ANI|Getty Images|Shutterstock|"
    r"File Photo|Photo:?[^.]{0,40}|Image:?[^.]{0,40})$"
)
BARE_LINK = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.IGNORECASE)
# "Published: 7 August 2024", "Updated on March 3, 2024": the label before a date line.
LABEL = r"(?:published|updated|last\s+updated|posted|date)\b\s*(?:on\b)?\s*:?\s*"
DATE_LABEL = re.compile(rf"^{LABEL}", re.I)
DATE_LINE = re.compile(
    rf"^(?:{LABEL})?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:[a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+\w+,?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:[\s,|]+\d{1,2}:\d{2}.*)?$",
    re.IGNORECASE,
)
STATEMENT_END = re.compile(r"[.!…][\"'”’)\]]*$")
PULL_QUOTE_WINDOW = 40
PULL_QUOTE_OVERLAP = 0.85
PULL_QUOTE_MAX_CHARS = 300


@dataclass
class _Line:
    start: int
    end: int
    keep: bool = True


def line_key(line: str) -> str:
    """A short, stable key for a line, used to count repeats across files."""
    folded = " ".join(normalize(line).split())
    return hashlib.sha1(folded.encode()).hexdigest()[:16]


def short_line_keys(text: str) -> set[str]:
    """Keys of the short lines of a file; a line repeated in many files is boilerplate."""
    return {
        line_key(text[start:end])
        for start, end in line_spans(text)
        if end - start <= SHORT_LINE_CHARS
    }


def kept_segments(text: str, repeated: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of text that are the article; boilerplate lines split them.

    Args:
        text: the document as read.
        repeated: keys of short lines that occur in many files of the corpus.
    Returns:
        Sorted, non-overlapping (start, end) spans; each is a run of kept lines.
    """
    lines = [_Line(*_strip_markers(text, start, end)) for start, end in line_spans(text)]
    _drop_footer(text, lines)
    _drop_page_furniture(text, lines, repeated)
    _drop_link_lists(text, lines)
    _drop_in_file_repeats(text, lines)
    _drop_pull_quotes(text, lines)
    return _merge_runs(lines)


def _strip_markers(text: str, start: int, end: int) -> tuple[int, int]:
    for _ in range(2):  # a marker can lead and another trail the same line
        match = INLINE_MARKERS.search(text, start, end)
        if not match:
            break
        if match.start() == start:
            start = match.end()
        else:
            end = match.start()
        start, end = trim_span(text, start, end)
    return start, end


def is_furniture(line: str) -> bool:
    """A line that no article would say: ads, prompts, credits, bare links, datelines."""
    return bool(
        not line
        or BOILERPLATE_LINE.match(line)
        or PROMPT_ANYWHERE.search(line)
        or BARE_LINK.match(line)
        or DATE_LINE.match(line)
        or (len(line) < 400 and PHOTO_CREDIT.search(line))
        or not any(ch.isalpha() for ch in line)
    )


def _drop_footer(text: str, lines: list[_Line]) -> None:
    first_candidate = int(len(lines) * FOOTER_ZONE)
    for index in range(first_candidate, len(lines)):
        if FOOTER_START.match(text[lines[index].start : lines[index].end]):
            for line in lines[index:]:
                line.keep = False
            return


def _drop_page_furniture(text: str, lines: list[_Line], repeated: frozenset[str]) -> None:
    for line in lines:
        content = text[line.start : line.end]
        if is_furniture(content) or (
            len(content) <= SHORT_LINE_CHARS and line_key(content) in repeated
        ):
            line.keep = False


def _looks_like_link(line: str) -> bool:
    """Story teasers: short headlines; a statement ending in '.' or '!' ends the list."""
    return (len(line) <= 200 and not STATEMENT_END.search(line)) or len(line) <= 3


def _drop_link_lists(text: str, lines: list[_Line]) -> None:
    in_list = False
    for line in lines:
        content = text[line.start : line.end]
        if LINK_LIST_HEADING.match(content):
            line.keep, in_list = False, True
        elif in_list and _looks_like_link(content):
            line.keep = False
        else:
            in_list = False


def _drop_in_file_repeats(text: str, lines: list[_Line]) -> None:
    counts: dict[str, int] = {}
    for line in lines:
        if line.end - line.start <= SHORT_LINE_CHARS:
            key = line_key(text[line.start : line.end])
            counts[key] = counts.get(key, 0) + 1
    for line in lines:
        short = line.end - line.start <= SHORT_LINE_CHARS
        if short and counts.get(line_key(text[line.start : line.end]), 0) > 1:
            line.keep = False


def _drop_pull_quotes(text: str, lines: list[_Line]) -> None:
    """A short line whose words nearly all stand in a longer line nearby repeats it."""
    # Only text kept by the other rules can be the source of a repeat.
    line_words = [
        set(content_words(text[line.start : line.end])) if line.keep else set() for line in lines
    ]
    # The first kept line is the headline, which often restates the lede ("Brenner breaks
    # course record at Port Ellery Marathon" over "Lukas Brenner smashed the Port Ellery
    # Marathon course record..."): the article's title, never a pull quote.
    headline = next((i for i, line in enumerate(lines) if line.keep and line_words[i]), -1)
    for index, line in enumerate(lines):
        short = line.end - line.start <= PULL_QUOTE_MAX_CHARS
        if index != headline and line.keep and short and len(line_words[index]) >= 6:
            line.keep = not _repeats_neighbour(line_words, index)


def _repeats_neighbour(line_words: list[set[str]], index: int) -> bool:
    mine = line_words[index]
    low, high = max(0, index - PULL_QUOTE_WINDOW), min(len(line_words), index + PULL_QUOTE_WINDOW)
    for other in range(low, high):
        theirs = line_words[other]
        # Ties keep the first copy; otherwise the longer line is the source.
        is_source = len(theirs) > len(mine) or (len(theirs) == len(mine) and other < index)
        if other != index and is_source and len(mine & theirs) >= PULL_QUOTE_OVERLAP * len(mine):
            return True
    return False


def _merge_runs(lines: list[_Line]) -> list[tuple[int, int]]:
    segments: list[tuple[int, int]] = []
    run_start: int | None = None
    run_end = 0
    for line in lines:
        if line.keep and line.start < line.end:
            run_start = line.start if run_start is None else run_start
            run_end = line.end
        elif run_start is not None:
            segments.append((run_start, run_end))
            run_start = None
    if run_start is not None:
        segments.append((run_start, run_end))
    return segments
