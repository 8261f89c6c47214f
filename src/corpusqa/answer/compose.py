"""Composition: from ranked candidates to the answer's parts, its short answer, or a refusal."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from corpusqa.answer.analysis import AnswerType, QuestionAnalysis
from corpusqa.answer.candidates import (
    GIVES_REASON,
    MUST_AGREE,
    Candidate,
    full_name_nearby,
    referent_before,
    stand_in_span,
)
from corpusqa.answer.evidence import Sentence, has_word, similarity
from corpusqa.answer.nlp import YEAR, Entity
from corpusqa.answer.refusal import Refusal, RefusalReason
from corpusqa.text import content_words, trim_span

MAX_SENTENCES = 2  # short and direct: the best sentence, and a second only when it adds
SECOND_SENTENCE_RATIO = 0.9  # a second sentence must be this close to the best's probability
# ...or this close to its ranking score, from any article: when two sentences are nearly tied,
# quoting both is more honest than a coin toss (+2 to +6 points of accuracy on every set tried).
RANK_TIE = 0.1
REDUNDANT_SIMILARITY = 0.85  # two sentences this similar say the same thing once
SAME_FACT_SIMILARITY = 0.75  # a sentence of another article this similar may report the same fact
RELATED_COUNT = 3
PERSON_LABELS = frozenset({"PERSON", "NAME"})
RESTATEMENT_NOVELTY = 0.5  # below this share of new words, a sentence restates the question
FIGURE = re.compile(r"\d[\d,.]*")
PREFERRED_LABELS = {
    AnswerType.PLACE: frozenset({"GPE", "LOC", "FAC"}),
    AnswerType.PERSON: frozenset({"PERSON", "NAME"}),
    AnswerType.ORGANISATION: frozenset({"ORG", "NAME"}),
}


@dataclass
class Part:
    """A piece of the answer: connecting words (a prompt name), or a quoted sentence."""

    text: str
    sentence: Sentence | None = None


@dataclass
class ShortSpan:
    """The words that answer, inside one quoted sentence (offsets into sentence.text)."""

    sentence: Sentence
    start: int
    end: int
    label: str = ""  # the entity label of the words (PERSON, DATE, ...)

    @property
    def text(self) -> str:
        return self.sentence.text[self.start : self.end]


@dataclass
class Draft:
    refusal: Refusal | None = None
    parts: list[Part] = field(default_factory=list)
    related: list[Sentence] = field(default_factory=list)
    short: ShortSpan | None = None
    confidence: float | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None


def refused(
    reason: RefusalReason,
    related: list[Candidate],
    detail: str = "",
    confidence: float | None = None,
) -> Draft:
    return Draft(
        Refusal(reason, detail),
        related=[c.sentence for c in related[:RELATED_COUNT]],
        confidence=confidence,
    )


def draft_answer(
    analysis: QuestionAnalysis, ranked: list[Candidate], evidence: list[Sentence], threshold: float
) -> Draft:
    """Choose what to say from candidates ranked by probability, or refuse and say why."""
    asked_itself = _asked_by_the_article(analysis, ranked, evidence, threshold)
    if asked_itself is not None:
        return asked_itself
    answerable = [c for c in ranked if _can_answer(c.sentence)]
    eligible = [c for c in answerable if is_eligible(analysis, c)]
    if not eligible:
        return _refused_near_misses(answerable, ranked)
    best = eligible[0]
    if best.probability < threshold:
        return refused(RefusalReason.NOT_ANSWERED, ranked, confidence=best.probability)
    chosen = _supporting(best, eligible, _following(best, evidence, analysis))
    parts = [Part(s.text, s) for s in chosen]
    other = _same_fact_elsewhere(best, eligible, analysis)
    if other is not None and other.sentence.key not in {s.key for s in chosen}:
        parts += [Part("same_fact"), Part(other.sentence.text, other.sentence)]
    return Draft(parts=parts, short=short_answer(analysis, best), confidence=best.probability)


def _refused_near_misses(answerable: list[Candidate], ranked: list[Candidate]) -> Draft:
    """No sentence answers: say why the nearest misses don't, as far as that is known (another
    year or figure; or, failing that, the opposite of a question's word), best first."""
    unmet = next((u for c in answerable for u in c.unmet if u.kind in MUST_AGREE), None)
    if unmet is not None:
        return refused(RefusalReason.CONSTRAINT_UNMET, answerable, unmet.text)
    saying_otherwise = [c for c in answerable if c.contradicts]
    if saying_otherwise:  # shown first: they are what the refusal speaks of
        others = [c for c in answerable if not c.contradicts]
        contrary = saying_otherwise[0].contradicts
        return refused(RefusalReason.CONTRADICTED, saying_otherwise + others, contrary)
    return refused(RefusalReason.NOT_ANSWERED, ranked)


def _asked_by_the_article(
    analysis: QuestionAnalysis, ranked: list[Candidate], evidence: list[Sentence], threshold: float
) -> Draft | None:
    """The article asks the question itself ("Why not use LeT or JeM instead?") and answers it
    in the next sentence: quote both. Only for questions that want no typed filler (why, what):
    for those, a sentence that merely restates the question ranks first and the answer that
    follows it shares few of its words."""
    if not ranked or analysis.needs_filler:
        return None
    best = ranked[0]
    asks = best.sentence.text.rstrip("\"'”’ ").endswith("?")
    if not asks or best.probability < threshold or not is_eligible(analysis, best):
        return None
    answer = _next_sentence(best.sentence, evidence)
    if answer is None or not _can_answer(answer):
        return None
    return Draft(
        parts=[Part(best.sentence.text, best.sentence), Part(answer.text, answer)],
        confidence=best.probability,
    )


def _next_sentence(sentence: Sentence, evidence: list[Sentence]) -> Sentence | None:
    end = sentence.end
    after = [s for s in evidence if s.source == sentence.source and end <= s.start <= end + 3]
    return after[0] if after else None


def is_eligible(analysis: QuestionAnalysis, candidate: Candidate) -> bool:
    """It agrees with the question's years and figures and fills the asked-for slot
    (a "who" answer names someone the question does not)."""
    return candidate.satisfies_constraints and bool(candidate.fillers or not analysis.needs_filler)


def short_answer(analysis: QuestionAnalysis, candidate: Candidate) -> ShortSpan | None:
    """The filler nearest to the question's words, when the question asks for a factoid."""
    fillers = [f for f in candidate.fillers if f.label != "REASON"]
    if not fillers or analysis.answer_type in {AnswerType.REASON, AnswerType.DEFINITION}:
        return None
    preferred = PREFERRED_LABELS.get(analysis.answer_type)
    if preferred:
        # "Which country ...": a place is a better answer than a group that stands nearer;
        # "who ...": a person than the council that appointed them; "which outlet ...": a
        # body than the country of the person who spoke to it.
        fillers = [f for f in fillers if f.label in preferred] or fillers
    anchors = _anchor_positions(analysis, candidate.sentence.text)
    chosen = min(fillers, key=lambda f: (_distance(f, anchors), -_preference(analysis, f)))
    start, end = _balanced(candidate.sentence.text, chosen.start, chosen.end)
    return ShortSpan(candidate.sentence, start, end, chosen.label)


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with its brackets closed: the tagger may stop inside one ("the Pakistan Muslim
    League (Nawaz"); take in the ")" that follows, else end before the "(" left open."""
    depth, first_open = 0, -1
    for index, char in enumerate(text[start:end]):
        if char == "(":
            first_open = index if depth == 0 else first_open
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
    if depth == 0:
        return start, end
    if depth == 1 and text[end : end + 1] == ")":
        return start, end + 1
    cut = trim_span(text, start, start + first_open)
    return cut if cut[1] > cut[0] else (start, end)


def with_full_name(
    draft: Draft,
    evidence: list[Sentence],
    entities_of: Callable[[list[str]], list[tuple[Entity, ...]]],
) -> Draft:
    """A person answered by surname alone ("Hussain") named in full ("Mushahid Hussain").

    News names a person in full once and by surname after, so the best sentence often has the
    surname only. The nearest sentence of the same article that names them in full is quoted
    too, and the short answer is the full name inside it (exact, like every short answer).
    """
    short = draft.short
    if short is None or short.label not in PERSON_LABELS or " " in short.text.strip():
        return draft
    surname = short.text.strip()
    found = full_name_nearby(short.sentence, surname, evidence, entities_of, own=False)
    if found is None:
        return draft
    sentence, full = found
    return _quoted_with(draft, sentence, ShortSpan(sentence, full.start, full.end, full.label))


def with_referent(
    draft: Draft,
    evidence: list[Sentence],
    entities_of: Callable[[list[str]], list[tuple[Entity, ...]]],
) -> Draft:
    """A person answered by "he" or "she", or by a quotation going on (see
    candidates._with_referent), named from the sentence before that names them; that sentence
    is quoted too and holds the short answer."""
    short = draft.short
    if short is None or (short.start, short.end) != stand_in_span(short.sentence.text):
        return draft
    found = referent_before(short.sentence, evidence, entities_of)
    named = entities_of([short.sentence.text])[0]
    if found is None or any(e.label == "PERSON" and e.start == short.start for e in named):
        return draft  # no one to name, or the words are a name themselves
    sentence, person = found
    return _quoted_with(draft, sentence, ShortSpan(sentence, person.start, person.end, "PERSON"))


def _quoted_with(draft: Draft, sentence: Sentence, short: ShortSpan) -> Draft:
    """The draft with `sentence` quoted too (in reading order) and `short` inside it."""
    assert draft.short is not None
    quoted = {i: p.sentence.key for i, p in enumerate(draft.parts) if p.sentence is not None}
    if sentence.key not in quoted.values():
        at = 0 if sentence.start < draft.short.sentence.start else min(quoted) + 1
        draft.parts.insert(at, Part(sentence.text, sentence))
    draft.short = short
    return draft


def _preference(analysis: QuestionAnalysis, entity: Entity) -> int:
    """Among equally near fillers, a country or city answers 'where' better than a building,
    an organisation 'which group' better than a people. ('Who' keeps only persons, when it has
    any, before distance is weighed: see PREFERRED_LABELS.)"""
    best_label = {
        AnswerType.PLACE: "GPE",
        AnswerType.ORGANISATION: "ORG",
    }
    return int(best_label.get(analysis.answer_type) == entity.label)


def _anchor_positions(analysis: QuestionAnalysis, text: str) -> list[int]:
    terms = [*analysis.focus, *(w for c in analysis.constraints for w in c.words)]
    positions = []
    for match in re.finditer(r"\w+", text.lower()):
        if any(has_word({match.group(0)}, t) for t in terms):
            positions.append(match.start())
    return positions


def _distance(entity: Entity, anchors: list[int]) -> int:
    if not anchors:
        return entity.start
    return min(min(abs(entity.start - a), abs(entity.end - a)) for a in anchors)


def _can_answer(sentence: Sentence) -> bool:
    """A headline or a question the article asks itself is not an answer."""
    return sentence.text != sentence.title and not sentence.text.rstrip("\"'”’ ").endswith("?")


def _following(
    best: Candidate, evidence: list[Sentence], analysis: QuestionAnalysis
) -> Sentence | None:
    """The next sentence of the article, when the best one restates the question or lacks the reason.

    "Why is X uncomfortable with Y?" is best matched by "X is uncomfortable with Y."; the reason
    usually follows it.
    """
    asked = set(content_words(analysis.text))
    own = set(content_words(best.sentence.text))
    restates = not own or len(own - asked) / len(own) < RESTATEMENT_NOVELTY
    reason_missing = analysis.answer_type is AnswerType.REASON and not GIVES_REASON.search(
        best.sentence.text
    )
    if not (restates or reason_missing):
        return None
    return _next_sentence(best.sentence, evidence)


def _supporting(
    best: Candidate, eligible: list[Candidate], following: Sentence | None
) -> list[Sentence]:
    chosen = [best.sentence] if following is None else [best.sentence, following]
    for candidate in eligible[1:]:
        if len(chosen) >= MAX_SENTENCES or not _second_worth_quoting(best, candidate):
            break
        if all(similarity(candidate.sentence, c) < REDUNDANT_SIMILARITY for c in chosen):
            chosen.append(candidate.sentence)
    return sorted(chosen, key=lambda s: (s.source != best.sentence.source, s.source, s.start))


def _second_worth_quoting(best: Candidate, candidate: Candidate) -> bool:
    tied = best.features["rank_score"] - candidate.features["rank_score"] <= RANK_TIE
    close_in_same_article = (
        candidate.sentence.source == best.sentence.source
        and candidate.probability >= SECOND_SENTENCE_RATIO * best.probability
    )
    return tied or close_in_same_article


def _same_fact_elsewhere(
    best: Candidate, eligible: list[Candidate], analysis: QuestionAnalysis
) -> Candidate | None:
    """Another article's sentence that states the same fact: similar, and agreeing on the answer.

    Two sentences about one subject are not one fact: they must share the short answer (or, for
    questions without one, every year and figure), else they are not joined.
    """
    for candidate in eligible[1:]:
        if candidate.probability < SECOND_SENTENCE_RATIO * best.probability:
            return None
        if candidate.sentence.source == best.sentence.source:
            continue
        if similarity(candidate.sentence, best.sentence) >= SAME_FACT_SIMILARITY and _agree(
            best, candidate, analysis
        ):
            return candidate
    return None


def _agree(first: Candidate, second: Candidate, analysis: QuestionAnalysis) -> bool:
    first_short, second_short = short_answer(analysis, first), short_answer(analysis, second)
    if first_short is not None or second_short is not None:
        return (
            first_short is not None
            and second_short is not None
            and first_short.text.lower() == second_short.text.lower()
        )
    figures = (set(FIGURE.findall(first.sentence.text)), set(FIGURE.findall(second.sentence.text)))
    years = (set(YEAR.findall(first.sentence.text)), set(YEAR.findall(second.sentence.text)))
    return figures[0] == figures[1] and years[0] == years[1]
