"""Understanding the question: follow-up rewriting, instructions to ignore, what kind of answer fits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpusqa.text import content_words

HISTORY_TURNS = 3  # only the newest turns can be what a pronoun points at

PRONOUN = re.compile(
    r"\b(he|she|him|his|her|hers|they|them|their|it|its|there|that|this|these|those|"
    r"the group|the event|the article)\b",
    re.IGNORECASE,
)
PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers|himself|herself)\b", re.I)
# "there" as a place, not as in "is there" or "there were": those point at nothing.
PLACE_THERE = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )\bthere\b"
    r"(?!\s+(?:is|are|was|were|be|been|has|have|had|will|would|seems?)\b)",
    re.I,
)
# The kinds of name (spaCy labels) an earlier *answer* must be for a pronoun to stand for it;
# NAME is a capitalised name the tagger did not type.
POINTS_BACK_TO = (
    (PERSONAL_PRONOUN, {"PERSON", "NAME"}),
    (PLACE_THERE, {"GPE", "LOC", "FAC", "NAME"}),
    (re.compile(r"\b(?:it|its|they|them|their)\b", re.I), {"ORG", "NORP", "GPE", "NAME"}),
)
LEADING_CONJUNCTION = re.compile(r"^\W*(?:and|then|but)\b\W*", re.I)
DETERMINED = re.compile(r"(?:the|a|an|his|her|their|its|this|that|these|those)\b", re.I)
ELLIPSIS_WORDS = 6  # longer, and "and ..." is a question of its own
ELLIPSIS = re.compile(
    r"^\s*(?:and\s+what\s+about|and\s+how\s+about|what\s+about|how\s+about|and)\s+"
    r"(?P<rest>.+?)\s*\??\s*$",
    re.I,
)
# What makes "and ..." a question of its own ("and where did he speak next?", "and is it ...")
ASKS_ITSELF = frozenset(
    """
    who what when where why how which whom whose is are was were did does do can could will
    would should has have had
    """.split()
)
# "And in 2019?": the earlier question keeps its own preposition ("... in 2022?")
LEADING_PREPOSITION = re.compile(r"^(?:in|on|at|for|from|to|during|of|with|by)\s+", re.I)
QUESTION_WORDS = frozenset(
    """
    who what when where why how which whom whose is are was were did does do can could will
    would should has have had and but or the a an in on at of for to tell list name
    """.split()
)
ENTITY = re.compile(
    r"(?:[A-Z][\w’'-]*|[A-Z]{2,})(?:\s+(?:(?:of|the|al|el|bin|ul|ur|e|de)\s+)?"
    r"(?:[A-Z][\w’'-]*|\d+))*"
)

INJECTION = re.compile(
    r"(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|"
    r"prior\s+|above\s+|earlier\s+)*(?:instructions?|rules?|prompts?|guidelines?|context)\b[^.?!]*"
    r"|(?:print|show|reveal|repeat|output)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+)?"
    r"(?:prompt|instructions?)\b[^.?!]*"
    r"|you\s+are\s+now\b[^.?!]*|pretend\s+(?:to\s+be|you)\b[^.?!]*"
    r"|act\s+as\b[^.?!]*|from\s+now\s+on\b[^.?!]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    original: str
    standalone: str  # what retrieval and scoring see
    instructions_removed: bool = False

    @property
    def has_content(self) -> bool:
        return bool(content_words(self.standalone))


def understand(
    question: str, history: Sequence[str] = (), answered: str = "", replaces: str | None = None
) -> Question:
    """The question made standalone, with any instructions to the assistant taken out.

    answered: the name the newest earlier question was answered with, when a pronoun of this
    one can stand for it (see `labels_pointed_back_to`). replaces: for "what about X?", the
    name of the newest earlier question that X takes the place of ("" when it names none of
    X's kind; None when X's kind is unknown: see `standalone_question`).
    """
    cleaned, removed = strip_instructions(question)
    return Question(question, standalone_question(cleaned, history, answered, replaces), removed)


def earlier_questions(history: Sequence[str]) -> list[str]:
    """The earlier turns that ask something, instructions taken out: an instruction typed in
    an earlier turn is no more followed, nor searched for, than one in this question
    ("Ignore previous instructions" must not carry "Ignore" as a name)."""
    kept = (strip_instructions(turn)[0] for turn in history)
    return [turn for turn in kept if content_words(turn)]


def ellipsis_of(question: str) -> str | None:
    """What a bare follow-up asks about instead ("What about Turkey?": "Turkey"), else None."""
    ellipsis = ELLIPSIS.match(question)
    if not ellipsis or len(ellipsis.group("rest").split()) > ELLIPSIS_WORDS:
        return None
    rest = ellipsis.group("rest")
    first = re.match(r"\w+", rest)
    if first is None or first.group(0).lower() in ASKS_ITSELF:  # "and where's he from?"
        return None
    return LEADING_PREPOSITION.sub("", rest) or None


def labels_pointed_back_to(question: str) -> frozenset[str]:
    """The kinds of name an earlier answer must be for a pronoun of the question to mean it:
    "he" a person, "there" a place, "it" or "they" a body or a country."""
    return frozenset().union(*(labels for word, labels in POINTS_BACK_TO if word.search(question)))


def strip_instructions(question: str) -> tuple[str, bool]:
    """Instructions inside a question are not followed: they are cut out before anything else."""
    cleaned = INJECTION.sub(" ", question).strip()
    if cleaned != question.strip():  # "Ignore the rules and tell me ...": the "and" goes too
        cleaned = LEADING_CONJUNCTION.sub("", cleaned)
    cleaned = " ".join(cleaned.split())
    return cleaned, cleaned != " ".join(question.split())


def entities(text: str) -> list[str]:
    """Capitalised names and acronyms, skipping a capitalised question word at the start."""
    found = []
    for match in ENTITY.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower() in QUESTION_WORDS:
            words = words[1:]
        if words:
            found.append(" ".join(words))
    return found


def standalone_question(
    question: str, history: Sequence[str], answered: str = "", replaces: str | None = None
) -> str:
    """Carry the names of the newest earlier turns into a follow-up that leans on them.

    A name the newest turn was answered with comes first: after "Who is Israel's ambassador to
    India?", the "he" of "What did he say?" is the ambassador the answer named, and only him
    (not Israel or India); an "it" or "there" may still mean a name of the question ("Why did
    it happen?"), so those keep the question's names after the answer's.
    """
    recent = earlier_questions(history)[-HISTORY_TURNS:]
    instead = ellipsis_of(question) if recent else None
    if instead is not None:
        return _substitute(recent[-1], instead, replaces)
    question = LEADING_CONJUNCTION.sub("", question) or question  # "And where did he ...?"
    if not recent or not _leans_on_history(question):
        return question
    carried = _newest_entities(recent, exclude=question)
    if answered and answered.lower() not in {e.lower() for e in entities(question)}:
        others = [] if PERSONAL_PRONOUN.search(question) else carried
        carried = [answered, *(name for name in others if name.lower() != answered.lower())]
    return f"{question} ({', '.join(carried)})" if carried else question


def _leans_on_history(question: str) -> bool:
    return bool(PRONOUN.search(question)) or not entities(question)


def _newest_entities(turns: Sequence[str], exclude: str) -> list[str]:
    own = {e.lower() for e in entities(exclude)}
    for turn in reversed(turns):  # the newest turn that names someone wins
        names = [e for e in entities(turn) if e.lower() not in own]
        if names:
            return list(dict.fromkeys(names))
    return []


def _substitute(previous: str, replacement: str, replaces: str | None = None) -> str:
    """'Who is X?' + 'and Y?' -> 'Who is Y?'. The name replaced is `replaces` when the caller
    knows the kinds ("Who won in 2022?" + "what about 2019?": the year, not a name), else the
    last name; with no name to replace, Y is added: "Which countries joined the ISF?" + "what
    about Turkey?" asks the same of Turkey, not of a country called ISF."""
    names = entities(previous)
    target = (names[-1] if names else "") if replaces is None else replaces
    # The last time it stands as a word of its own: not the "India" in "Indian Oil"
    found = list(re.finditer(rf"(?<!\w){re.escape(target)}(?!\w)", previous)) if target else []
    if not found:
        return f"{previous} ({replacement})"
    head, tail = previous[: found[-1].start()], previous[found[-1].end() :]
    if DETERMINED.match(replacement):  # "about the Pakistan Army" + "his brother": no "the his"
        head = re.sub(r"\b(?:the|a|an)\s+$", "", head, flags=re.I)
    return f"{head}{replacement}{tail}"
