"""Evidence: the sentences of the retrieved passages, scored against the question."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corpusqa.embed import Embedder
from corpusqa.text import content_words, sentence_spans
from corpusqa.types import Passage

DENSE_WEIGHT = 0.5  # the rest of the score is lexical coverage of the question's words
MIN_SENTENCE_WORDS = 4  # headings and fragments are not answers


@dataclass
class Sentence:
    """One sentence of a passage, with offsets into its source file."""

    source: str
    title: str
    start: int
    end: int
    text: str
    passage_rank: int
    previous: str = ""  # the sentence before it in the article: context for its claims
    dense: float = 0.0
    coverage: float = 0.0
    vector: np.ndarray | None = None

    @property
    def score(self) -> float:
        return DENSE_WEIGHT * self.dense + (1 - DENSE_WEIGHT) * self.coverage

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.source, self.start, self.end)


def sentences_of(passages: Sequence[Passage]) -> list[Sentence]:
    """Distinct sentences of the passages (overlapping chunks share sentences)."""
    seen: dict[tuple[str, int, int], Sentence] = {}
    for rank, passage in enumerate(passages):
        previous = ""
        for start, end in sentence_spans(passage.text):
            text = passage.text[start:end]
            if len(text.split()) >= MIN_SENTENCE_WORDS:
                sentence = Sentence(
                    passage.source,
                    passage.title,
                    passage.start + start,
                    passage.start + end,
                    text,
                    rank,
                    previous,
                )
                seen.setdefault(sentence.key, sentence)
            previous = text
    return list(seen.values())


def score(
    question: str,
    question_vector: np.ndarray,
    sentences: list[Sentence],
    embedder: Embedder,
    vector_cache: dict[tuple[str, int, int], np.ndarray],
) -> list[Sentence]:
    """Fill in dense and lexical scores; returns the sentences best first."""
    embed_sentences(sentences, embedder, vector_cache)
    weights = _term_weights(question, sentences)
    total = sum(weights.values()) or 1.0
    for sentence in sentences:
        assert sentence.vector is not None
        sentence.dense = float(sentence.vector @ question_vector)
        present = set(content_words(sentence.text))
        sentence.coverage = sum(w for term, w in weights.items() if has_word(present, term)) / total
    return sorted(sentences, key=lambda s: -s.score)


def embed_sentences(
    sentences: list[Sentence],
    embedder: Embedder,
    cache: dict[tuple[str, int, int], np.ndarray],
) -> None:
    """Give each sentence its vector, embedding only those not in the cache."""
    missing = [s for s in sentences if s.key not in cache]
    for sentence, vector in zip(missing, embedder.embed([s.text for s in missing])):
        cache[sentence.key] = vector
    for sentence in sentences:
        sentence.vector = cache[sentence.key]


def _term_weights(question: str, sentences: list[Sentence]) -> dict[str, float]:
    """IDF of each question word over the candidate sentences; absent words weigh the most."""
    terms = list(dict.fromkeys(content_words(question)))
    document_frequency: Counter[str] = Counter()
    for sentence in sentences:
        present = set(content_words(sentence.text))
        document_frequency.update(term for term in terms if has_word(present, term))
    count = len(sentences) + 1
    return {term: math.log(1 + count / (document_frequency[term] + 0.5)) for term in terms}


def has_word(present: set[str], term: str) -> bool:
    """Loose match so that 'troops' finds 'troop' and 'Pakistani' finds 'Pakistan'."""
    if term in present:
        return True
    if len(term) <= 3:
        return False
    stem = term[: max(4, len(term) - 3)] if len(term) > 5 else term.rstrip("s")
    return any(word.startswith(stem) for word in present)


def similarity(first: Sentence, second: Sentence) -> float:
    assert first.vector is not None and second.vector is not None
    return float(first.vector @ second.vector)
