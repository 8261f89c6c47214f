"""The default answerer: picks the sentences that answer the question, verbatim, or refuses."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from corpusqa.answer.evidence import Sentence, similarity
from corpusqa.answer.question import entities, fits_answer_type
from corpusqa.text import content_words, normalize
from corpusqa.types import Passage

MAX_SENTENCES = 2  # short and direct: the best sentence, and a second only when it adds
SECOND_SENTENCE_RATIO = 0.9  # a second sentence must score this close to the best
REDUNDANT_SIMILARITY = 0.85  # two sentences this similar say the same thing once
SAME_FACT_SIMILARITY = 0.6  # a sentence from another article this similar reports the same fact
OTHER_SOURCE_RATIO = 0.8
RELATED_COUNT = 3
RESTATEMENT_NOVELTY = 0.5  # below this share of new words, a sentence restates the question
ASKS_REASON = re.compile(r"^\W*why\b|\bwhat\s+(?:caused|is\s+the\s+reason)", re.IGNORECASE)
GIVES_REASON = re.compile(
    r"\b(?:because|since|due to|owing to|in order to|so that|aimed at|meant to|as a result)\b",
    re.IGNORECASE,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE_EXPRESSION = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|\b{_MONTH}\s+\d{{1,2}}\b|\b(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)


@dataclass
class Thresholds:
    """Below these, the evidence does not answer the question (calibrated by `corpusqa calibrate`)."""

    min_score: float
    min_coverage: float


@dataclass
class Part:
    """A piece of the answer: connecting words, or a quoted sentence that gets a [n] marker."""

    text: str
    sentence: Sentence | None = None


@dataclass
class Draft:
    refused: bool
    parts: list[Part] = field(default_factory=list)
    related: list[Sentence] = field(default_factory=list)
    reason: str = ""


def draft_answer(
    question: str, ranked: list[Sentence], passages: list[Passage], thresholds: Thresholds
) -> Draft:
    """Choose the answering sentences from ranked evidence, or explain why there are none."""
    missing = _unmentioned_names(question, passages)
    if missing:
        return Draft(True, related=ranked[:RELATED_COUNT], reason=f"mention {missing}")
    fitting = [s for s in ranked if _can_answer(s) and fits_answer_type(question, s.text)]
    best = fitting[0] if fitting else None
    if best is None or best.score < thresholds.min_score or best.coverage < thresholds.min_coverage:
        return Draft(True, related=ranked[:RELATED_COUNT])
    chosen = _supporting(best, fitting, _following(best, ranked, question))
    other = _other_source(best, fitting)
    return Draft(False, parts=_compose(chosen, other))


def _unmentioned_names(question: str, passages: list[Passage]) -> str:
    """A name the question asks about that no retrieved passage contains means: not covered."""
    haystack = normalize(" ".join(f"{p.text} {p.title} {p.publisher}" for p in passages))
    words = set(re.findall(r"\w+", haystack))
    for name in entities(question):
        for token in re.findall(r"\w+", normalize(name)):
            if len(token) > 2 and not token.isdigit() and not _close_word(token, words):
                return name
    return ""


def _close_word(token: str, words: set[str]) -> bool:
    """Spelling variants (Rawalkot / Rawalakot) and inflections count as present."""
    if token in words or any(w.startswith(token[:5]) for w in words if len(token) >= 6):
        return True
    return bool(difflib.get_close_matches(token, words, n=1, cutoff=0.8))


def _can_answer(sentence: Sentence) -> bool:
    """A headline or a question the article asks itself is not an answer."""
    return sentence.text != sentence.title and not sentence.text.rstrip("\"'”’ ").endswith("?")


def _following(best: Sentence, ranked: list[Sentence], question: str) -> Sentence | None:
    """The next sentence of the article, when the best one mostly restates the question.

    "Why is X uncomfortable with Y?" is best matched by "X is uncomfortable with Y."; the reason
    usually follows it.
    """
    asked = set(content_words(question))
    own = set(content_words(best.text))
    restates = not own or len(own - asked) / len(own) < RESTATEMENT_NOVELTY
    reason_missing = bool(ASKS_REASON.search(question)) and not GIVES_REASON.search(best.text)
    if not (restates or reason_missing):
        return None
    after = [s for s in ranked if s.source == best.source and best.end <= s.start <= best.end + 3]
    return after[0] if after else None


def _supporting(
    best: Sentence, fitting: list[Sentence], following: Sentence | None
) -> list[Sentence]:
    chosen = [best] if following is None else [best, following]
    for candidate in fitting[1:]:
        if len(chosen) == MAX_SENTENCES or candidate.score < SECOND_SENTENCE_RATIO * best.score:
            break
        same_article = candidate.source == best.source
        if same_article and all(similarity(candidate, c) < REDUNDANT_SIMILARITY for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda s: s.start)


def _other_source(best: Sentence, fitting: list[Sentence]) -> Sentence | None:
    """The best sentence of another article that states the same fact, if any."""
    for candidate in fitting[1:]:
        if candidate.score < OTHER_SOURCE_RATIO * best.score:
            return None
        if candidate.source != best.source and similarity(candidate, best) >= SAME_FACT_SIMILARITY:
            return candidate
    return None


def _compose(chosen: list[Sentence], other: Sentence | None) -> list[Part]:
    parts = [Part(s.text, s) for s in chosen]
    if other is None:
        return parts
    difference = _difference(chosen[0], other)
    if difference:
        return [
            Part(f"The articles differ on {difference}."),
            *parts,
            Part("Another article says:"),
            Part(other.text, other),
        ]
    return [*parts, Part("Another article reports the same:"), Part(other.text, other)]


def _difference(first: Sentence, second: Sentence) -> str:
    """What two reports of one fact disagree on: the year, the figures, or a name's spelling.

    Conservative on purpose: days and months are often relative ("a week after 7 October"), so
    only different years count as different dates.
    """
    first_years, second_years = _years(first.text), _years(second.text)
    if first_years and second_years and first_years.isdisjoint(second_years):
        return "the date"
    first_numbers, second_numbers = _figures(first.text), _figures(second.text)
    if first_numbers and second_numbers and first_numbers.isdisjoint(second_numbers):
        return "the figures"
    if _spelling_variants(first.text, second.text):
        return "the spelling of a name"
    return ""


def _years(text: str) -> set[str]:
    return set(re.findall(r"\b(?:1[89]|20)\d\d\b", text))


def _figures(text: str) -> set[str]:
    """Numbers that are not part of a date."""
    without_dates = DATE_EXPRESSION.sub(" ", text)
    return {m.group(0).rstrip(".,") for m in re.finditer(r"\d[\d,.]*", without_dates)}


def _spelling_variants(first: str, second: str) -> bool:
    names_first = {w for w in re.findall(r"\b[A-Z][a-z]{4,}\b", first)}
    names_second = {w for w in re.findall(r"\b[A-Z][a-z]{4,}\b", second)}
    only_first, only_second = names_first - names_second, names_second - names_first
    return any(
        difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.85
        for a in only_first
        for b in only_second
    )
