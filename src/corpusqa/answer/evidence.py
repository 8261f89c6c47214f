"""Evidence: the sentences of the retrieved passages, with offsets, vectors and word matching."""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from corpusqa.embed import Embedder
from corpusqa.text import STOPWORDS, line_spans, normalize, sentence_spans
from corpusqa.types import Passage

MIN_SENTENCE_WORDS = 4  # headings and fragments are not answers
# A sentence that opens by referring back ("It sheltered...", "The country boasts...") names
# its subject in an earlier sentence: the context then reaches one sentence further back.
REFERS_BACK = re.compile(
    r"^\W*(?:(?:yet|but|and|however|so|still|also|now|then|instead|later|there)\b,?\s*)?"
    r"(?:it|its|he|his|she|her|they|their|this|these|those|the (?:country|nation|state|group|"
    r"organi[sz]ation|company|city|party|government|army|agency|movement|region|empire|church|"
    r"team|firm|man|woman|leader|president|minister|official|move|visit|meeting))\b",
    re.I,
)
CONTEXT_SENTENCES = 2  # sentences before a sentence that are its context
CONTEXT_REACH = 3  # and at most: a chain of references back to a name rarely runs longer


@dataclass
class Sentence:
    """One sentence of a passage, with offsets into its source file."""

    source: str
    title: str
    start: int
    end: int
    text: str
    passage_rank: int
    # The sentences before it in the passage (context_before): the context for its claims.
    previous: str = ""
    just_before: str = ""  # the one sentence before it
    passage: str = ""  # the whole passage with its title and publisher: where its names may be
    date: str = ""  # the article's date, as its header states it
    lede: str = ""  # its story's first sentence (lede_of), where a news story says where
    dense: float = 0.0
    # Its similarity read under its story's headline (CandidateScorer.under_headline)
    dense_in_story: float = 0.0
    coverage: float = 0.0
    vector: np.ndarray | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.source, self.start, self.end)


LEDE_MIN_WORDS = 12  # a headline, byline or dateline line is shorter than the first paragraph


@lru_cache(maxsize=256)  # by the file's text: each sentence of a question's pool asks
def lede_of(text: str) -> str:
    """A story's first sentence: the first sentence of its first line long enough to be prose.

    A news story says where what it reports happened once, at the start ("won the women's race
    at the Calder Valley Marathon in Ashby on Sunday"); the sentences after it leave the place
    to it ("The men's race was won by Samir Haddad").
    """
    for start, end in line_spans(text, 0, len(text)):
        if len(text[start:end].split()) >= LEDE_MIN_WORDS:
            first = sentence_spans(text, start, end)[:1]
            return text[first[0][0] : first[0][1]] if first else text[start:end]
    return ""


def sentences_of(passages: Sequence[Passage]) -> list[Sentence]:
    """Distinct sentences of the passages (overlapping chunks share sentences)."""
    seen: dict[tuple[str, int, int], Sentence] = {}
    for rank, passage in enumerate(passages):
        before: list[str] = []
        around = surroundings(passage)
        for start, end in _spans_of(passage.text):
            text = passage.text[start:end]
            if len(text.split()) >= MIN_SENTENCE_WORDS:
                sentence = Sentence(
                    passage.source,
                    passage.title,
                    passage.start + start,
                    passage.start + end,
                    text,
                    rank,
                    context_before(before),
                    before[-1] if before else "",
                    around,
                    date=passage.date,
                )
                seen.setdefault(sentence.key, sentence)
            before.append(text)
    return list(seen.values())


def context_before(before: Sequence[str]) -> str:
    """The two sentences before, and one more when the earliest of them refers back to it.

    Two, not one: a sentence's setting is often stated two sentences up ("... a conference in
    Qatar on the ISF. Among those invited were ... However, Turkey was not invited"). Measured
    against one: answers +2 to +4 points on the five-article sets, squad2-a +0.7; on a second
    SQuAD sample refusals -2.6 points (a constraint met further from the answer).
    """
    reach = min(CONTEXT_SENTENCES, len(before))
    while reach < min(CONTEXT_REACH, len(before)) and REFERS_BACK.match(before[-reach]):
        reach += 1
    return " ".join(before[-reach:])


@lru_cache(maxsize=20_000)
def _spans_of(text: str) -> tuple[tuple[int, int], ...]:
    # Cached: the same passages come back for question after question.
    return tuple(sentence_spans(text))


VECTOR_CACHE_LIMIT = 100_000


def embed_sentences(
    sentences: list[Sentence], embedder: Embedder, cache: dict[str, np.ndarray]
) -> None:
    """Give each sentence its vector, embedding only those not in the cache.

    Keyed by the text, not the place: a file replaced in the corpus can hold other text at the
    same offsets, and the same sentence in two articles is embedded once.
    """
    embed_missing((s.text for s in sentences), embedder, cache, VECTOR_CACHE_LIMIT)
    for sentence in sentences:
        sentence.vector = cache[sentence.text]


def embed_missing(
    texts: Iterable[str], embedder: Embedder, cache: dict[str, np.ndarray], limit: int
) -> None:
    """Put a vector for every text in the cache, embedding those it lacks in one call.

    A cache that would grow past `limit` is emptied first, and then all the texts are embedded.
    """
    wanted = list(dict.fromkeys(texts))
    missing = [text for text in wanted if text not in cache]
    if len(cache) + len(missing) > limit:
        cache.clear()
        missing = wanted
    if missing:
        for text, vector in zip(missing, embedder.embed(missing)):
            cache[text] = vector


def has_word(present: Set[str], term: str) -> bool:
    """Loose match so that 'troops' finds 'troop' and 'Pakistani' finds 'Pakistan'."""
    if term in present or f"{term}'s" in present:  # "men" in "the men's race"
        return True
    if len(term) <= 3:
        return False
    stem = term[: max(4, len(term) - 3)] if len(term) > 5 else term.rstrip("s")
    if isinstance(present, frozenset):
        return _any_starts_with(present, stem)
    return any(word.startswith(stem) for word in present)


def _any_starts_with(words: frozenset[str], stem: str) -> bool:
    """A binary search of the sorted words: the scan of every word for every question word
    was a fifth of a warm answer."""
    ordered = _sorted_words(words)
    at = bisect_left(ordered, stem)
    return at < len(ordered) and ordered[at].startswith(stem)


@lru_cache(maxsize=50_000)
def _sorted_words(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(words))


def surroundings(passage: Passage) -> str:
    """A passage with its title and publisher: everywhere a name of the question may stand."""
    return f"{passage.title} {passage.publisher} {passage.text}"


@lru_cache(maxsize=2_000)
def tokens_of(text: str) -> frozenset[str]:
    """Every word of a text, split as Constraint.words splits ("Khyber-Pakhtunkhwa" is two).

    Cached: each passage's surroundings are looked up once per question for every name.
    """
    return frozenset(re.findall(r"\w+", normalize(text)))


def has_close_word(token: str, words: Set[str]) -> bool:
    """Spelling variants (Rawalkot / Rawalakot), inflections and a place's people (China /
    Chinese) count as present."""
    if isinstance(words, frozenset):
        return _has_close_word(token, words)  # a passage's words, asked again per candidate
    return _close(token, words)


@lru_cache(maxsize=50_000)
def _has_close_word(token: str, words: frozenset[str]) -> bool:
    return _close(token, words)


def _close(token: str, words: Set[str]) -> bool:
    if token in words or any(w.startswith(token[:5]) for w in words if len(token) >= 6):
        return True
    if any(_demonym(token, w) or _demonym(w, token) for w in words):
        return True
    return bool(difflib.get_close_matches(token, list(words), n=1, cutoff=0.8))


# What a place's name becomes as its people's: China-Chinese, Italy-Italian, Iraq-Iraqi.
DEMONYM_ENDINGS = frozenset({"", "ese", "ian", "ians", "ish", "an", "ans", "i", "is"})


def _demonym(place: str, word: str) -> bool:
    """Whether the word names the people of the place ("chinese" for "china")."""
    root = place[:-1] if place[-1:] in {"a", "e", "y", "o"} else place
    return (
        len(root) >= 4
        and word != place
        and word.startswith(root)
        and word[len(root) :] in DEMONYM_ENDINGS
    )


# Capitals, a small letter at most between two ("ISI", "PML-N", "LeT", "PoK"); not "Lt", "Mr".
ACRONYM = re.compile(r"^[A-Z](?:[a-z]?[A-Z&.-]){1,8}$")
ACRONYM_IN_TEXT = re.compile(r"(?<![\w-])[A-Z](?:[a-z]?[A-Z&.-]){1,8}(?![A-Za-z0-9])")
# Small words inside a name that its acronym skips: "Tehreek-e-Taliban", "Bank of England".
# ("and" is not one: "Ukraine and Syria" must not spell "US".)
CONNECTORS = frozenset({"of", "for", "the", "e", "i", "de", "al", "ul", "&"})


ROMAN_NUMERAL = re.compile(r"I{1,3}|IV|VI{0,3}|IX|X")


def spells_out(acronym: str, text: str) -> bool:
    """Whether the text names in full what the acronym stands for ("PML-N": "Pakistan Muslim
    League (Nawaz)"; "ISI": "Inter-Services Intelligence"; "TTP": "Tehreek-e-Taliban
    Pakistan"), so that the name is there."""
    if not ACRONYM.match(acronym):
        return False
    letters = re.sub(r"[^A-Z]", "", acronym)
    words = [w for w in re.split(r"[\s(),’'-]+", text) if w]
    for start, word in enumerate(words):
        if word[0] != letters[0]:
            continue
        initials = ""
        for following in words[start:]:
            if ROMAN_NUMERAL.fullmatch(following):
                initials += following  # "WWII": "World War II"
            elif following[0].isupper() and following.lower() not in STOPWORDS:
                initials += following[0]  # "In Syria" is not a name: "In" opens a sentence
            elif following.lower() not in CONNECTORS:
                break
            if len(initials) >= len(letters):
                break
        if initials == letters:
            return True
    return False


def initials_of(name: str) -> str:
    """The capitals an acronym of the name has: "Lashkar-e-Taiba" LT, "Pakistan-occupied
    Kashmir" PK; empty for a name of one word (its capital alone is no acronym)."""
    words = [w for w in re.split(r"[\s(),’'-]+", name) if w]
    capitals = [w[0] for w in words if w[0].isupper() and w.lower() not in STOPWORDS]
    return "".join(capitals) if len(capitals) > 1 else ""


def abbreviates(name: str, text: str) -> bool:
    """Whether the text names the name by its acronym ("LeT" for "Lashkar-e-Taiba")."""
    initials = initials_of(name)
    return bool(initials) and any(
        re.sub(r"[^A-Z]", "", found) == initials for found in ACRONYM_IN_TEXT.findall(text)
    )


def named_by_acronym(name: str, text: str) -> bool:
    """Whether the text spells out the name's acronym, or gives the name as its acronym."""
    return spells_out(name, text) or abbreviates(name, text)


def similarity(first: Sentence, second: Sentence) -> float:
    assert first.vector is not None and second.vector is not None
    return float(first.vector @ second.vector)
