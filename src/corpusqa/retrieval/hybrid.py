"""Hybrid retrieval over the store: dense (Chroma HNSW) and BM25, fused by reciprocal rank."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from functools import cached_property, lru_cache

import numpy as np

from corpusqa.embed import Embedder, make_embedder
from corpusqa.retrieval.fusion import reciprocal_rank_fusion
from corpusqa.settings import Settings
from corpusqa.store import StoredChunk, VectorStore, lexical, open_store
from corpusqa.types import Passage

REVISION_CHECK_SECONDS = 2.0  # how stale a serving process may be after another process ingests


class Retriever:
    """Ranked passages for a query; loads the model and indexes once, then answers fast."""

    def __init__(
        self, settings: Settings, store: VectorStore | None = None, embedder: Embedder | None = None
    ) -> None:
        self.settings = settings
        self._store = store
        self._embedder = embedder
        self._lexical: lexical.LexicalIndex | None = None
        self._checked_at = 0.0
        self._revision_lock = threading.Lock()

    @cached_property
    def store(self) -> VectorStore:
        return self._store or open_store(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder or make_embedder(self.settings.embedding_model, self.settings)

    def embed_query(self, query: str) -> np.ndarray:
        return _cached_query_vector(self.embedder, query)

    def search(
        self, query: str, k: int | None = None, sources: Sequence[str] = ()
    ) -> list[Passage]:
        """The top-k passages for query, best first; from `sources` only when it is given."""
        k = k or self.settings.top_k
        candidates = max(k, self.settings.candidates)
        index = self.lexical_index()  # first: it reopens the store when another process wrote
        dense = self.store.query(self.embed_query(query), candidates, sources)
        sparse = index.search(query, candidates, sources)
        fused = reciprocal_rank_fusion(
            [[c.id for c in dense], [i for i, _ in sparse]], k=self.settings.rrf_k
        )[:k]
        chunks = {c.id: c for c in dense}
        chunks.update({c.id: c for c in self.store.get([i for i, _ in fused if i not in chunks])})
        bm25 = dict(sparse)
        return [_passage(chunks[i], score, bm25.get(i)) for i, score in fused if i in chunks]

    def all_passages(self) -> Iterator[Passage]:
        """Every stored chunk as a passage (no score): for warming caches over a small corpus."""
        for chunk in self.store.iter_chunks():
            yield _passage(chunk, 0.0, None)

    def corpus_mentions(self, word: str) -> bool:
        """Whether the word occurs anywhere in the corpus (not only in what a search returned)."""
        return self.lexical_index().mentions(word)

    def lexical_index(self) -> lexical.LexicalIndex:
        """The BM25 index of the store's current revision (re-checked every few seconds)."""
        with self._revision_lock:  # chat requests arrive on several threads
            now = time.monotonic()
            if self._lexical is None or now - self._checked_at > REVISION_CHECK_SECONDS:
                self._checked_at = now
                revision = self.store.revision()
                if self._lexical is not None and self._lexical.revision != revision:
                    self.store.refresh()  # the dense side must see the same revision as BM25
                if self._lexical is None or self._lexical.revision != revision:
                    self._lexical = lexical.load_or_build(self.store, self.settings.store_dir)
            return self._lexical

    @staticmethod
    def forget_query_vectors() -> None:
        """Empty the per-process cache of question vectors (a benchmark times embedding too)."""
        _cached_query_vector.cache_clear()

    def notice_change(self) -> None:
        """Check the store's revision on the next search: this process has just written to it,
        and its next question must see the change."""
        with self._revision_lock:
            self._checked_at = float("-inf")

    def quick_warm_up(self) -> None:
        """The indexes, and whatever embedding one question loads (for some embedders less than
        warm_up loads: see QuickStartEmbedder)."""
        self.embed_query("warm up")
        self.lexical_index()

    def warm_up(self) -> None:
        """Load the model and the indexes now rather than on the first question."""
        self.embedder.warm_up()
        self.lexical_index()


@lru_cache(maxsize=512)
def _cached_query_vector(embedder: Embedder, query: str) -> np.ndarray:
    return embedder.embed_one(query)


def _passage(chunk: StoredChunk, score: float, bm25_score: float | None) -> Passage:
    meta = chunk.metadata
    return Passage(
        id=chunk.id,
        source=str(meta["source"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=chunk.text,
        title=str(meta.get("title", "")),
        date=str(meta.get("date", "")),
        publisher=str(meta.get("publisher", "")),
        score=round(score, 6),
        dense_score=None if chunk.similarity is None else round(chunk.similarity, 6),
        bm25_score=None if bm25_score is None else round(bm25_score, 4),
    )
