"""Trust nothing a model writes: each sentence it keeps must be supported by a passage it cites."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from corpusqa.answer.evidence import Sentence, embed_sentences, has_word, sentences_of
from corpusqa.embed import Embedder
from corpusqa.text import content_words, sentence_spans
from corpusqa.types import Passage

_MARKER_BODY = r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]"
MARKER = re.compile(_MARKER_BODY)
# "Fact. [1]" is how models often cite: the marker belongs to the sentence before the stop.
MARKER_AFTER_STOP = re.compile(rf"([.!?])((?:\s*{_MARKER_BODY})+)")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class Claim:
    """One sentence a model wrote, its markers taken out."""

    text: str
    cited: list[int]


@dataclass
class SupportRule:
    min_overlap: float  # share of the claim's words found in the evidence sentence
    min_similarity: float  # embedding cosine between claim and evidence sentence


@dataclass
class Grounding:
    """The outcome of checking a model's answer, sentence by sentence."""

    kept: list[tuple[str, Sentence]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    supported_words: int = 0
    total_words: int = 0

    @property
    def supported_share(self) -> float:
        return self.supported_words / self.total_words if self.total_words else 0.0


def claims_of(text: str) -> list[Claim]:
    text = MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    claims = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        cited = [int(n) for marker in MARKER.findall(sentence) for n in re.findall(r"\d+", marker)]
        plain = re.sub(r"\s+([.!?,;:])", r"\1", MARKER.sub("", sentence)).strip()
        if plain:
            claims.append(Claim(plain, cited))
    return claims


def settled_claims(buffer: str) -> list[Claim]:
    """The claims of a stream so far that can no longer change: all but the one being written,
    and not the one before it while a marker may still be arriving for it."""
    claims = claims_of(buffer)
    pending = 2 if claims and claims[-1].text.startswith("[") else 1
    return claims[: max(0, len(claims) - pending)]


class Grounder:
    """Checks claims against the numbered passages (passage n is passages[n - 1])."""

    def __init__(
        self,
        passages: Sequence[Passage],
        embedder: Embedder,
        vector_cache: dict[str, np.ndarray],
        rule: SupportRule,
    ) -> None:
        self.embedder = embedder
        self.rule = rule
        self.by_number = {n: sentences_of([p]) for n, p in enumerate(passages, start=1)}
        every = [s for sentences in self.by_number.values() for s in sentences]
        embed_sentences(every, embedder, vector_cache)
        self.result = Grounding()

    def check(self, claim: Claim) -> Sentence | None:
        """The evidence sentence that supports the claim, or None (and the claim is removed)."""
        words = content_words(claim.text)
        if not words:
            return None  # filler such as "Sure!" is neither fact nor loss
        self.result.total_words += len(words)
        evidence = self._best_support(claim, words)
        if evidence is None:
            self.result.removed.append(claim.text)
            return None
        self.result.supported_words += len(words)
        self.result.kept.append((claim.text, evidence))
        return evidence

    def _best_support(self, claim: Claim, words: list[str]) -> Sentence | None:
        vector = self.embedder.embed_one(claim.text)
        cited = [n for n in dict.fromkeys(claim.cited) if n in self.by_number]
        # The passages the model cited come first; a fact it cited wrongly but that another
        # passage states is still a verified fact, and is cited to that passage.
        for numbers in (cited, [n for n in self.by_number if n not in cited]):
            candidates = [s for n in numbers for s in self.by_number[n]]
            best = self._best_of(claim, words, vector, candidates)
            if best is not None:
                return best
        return None

    def _best_of(
        self, claim: Claim, words: list[str], vector: np.ndarray, candidates: list[Sentence]
    ) -> Sentence | None:
        numbers = set(NUMBER.findall(claim.text))
        best, best_score = None, 0.0
        for sentence in candidates:
            if not numbers <= set(NUMBER.findall(sentence.text)):
                continue  # a figure the evidence doesn't contain is an invented figure
            present = set(content_words(sentence.text))
            overlap = sum(has_word(present, w) for w in words) / len(words)
            assert sentence.vector is not None
            similarity = float(sentence.vector @ vector)
            if overlap < self.rule.min_overlap or similarity < self.rule.min_similarity:
                continue
            if overlap + similarity > best_score:
                best, best_score = sentence, overlap + similarity
        return best
