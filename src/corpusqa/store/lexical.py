"""The BM25 side of the store: built from the stored chunks, persisted beside them by revision."""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from corpusqa.store.base import VectorStore

INDEX_DIR = "bm25"


@cache
def _stemmer() -> Any:
    try:
        import Stemmer

        return Stemmer.Stemmer("english").stemWords
    except ImportError:  # stemming helps recall but is optional
        return None


def tokenize(texts: list[str]) -> Any:
    import bm25s

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), show_progress=False, return_ids=True
    )


@dataclass
class LexicalIndex:
    """BM25 over every chunk of one store revision; ids[i] is the chunk id of document i and
    sources[i] the file it came from."""

    retriever: Any
    ids: list[str]
    revision: int
    sources: list[str] = field(default_factory=list)

    def search(self, query: str, k: int, sources: Sequence[str] = ()) -> list[tuple[str, float]]:
        """The k best chunks; only chunks of `sources` when it is given (masked in the scoring,
        so a narrow scope still gets its k best rather than what is left of the corpus's)."""
        if not self.ids:
            return []
        tokens = tokenize([query])
        if not tokens.vocab or len(tokens.ids[0]) == 0:
            return []
        mask = self._mask(sources) if sources else None
        if mask is not None and not mask.any():
            return []
        documents, scores = self.retriever.retrieve(
            tokens, k=min(k, len(self.ids)), show_progress=False, n_threads=1, weight_mask=mask
        )
        return [
            (self.ids[int(doc)], float(score))
            for doc, score in zip(documents[0], scores[0])
            if score > 0
        ]

    def _mask(self, sources: Sequence[str]) -> Any:
        import numpy as np

        wanted = set(sources)
        return np.array([source in wanted for source in self.sources], dtype=np.float32)

    def mentions(self, word: str) -> bool:
        """Whether any chunk has this word (stemmed as the index is), or a longer form of it."""
        vocabulary = getattr(self.retriever, "vocab_dict", None) or {}
        stem = _stemmer()
        token = word.lower()
        stemmed = stem([token])[0] if stem else token
        if stemmed in vocabulary or token in vocabulary:
            return True
        return len(token) >= 6 and any(t.startswith(token[:5]) for t in vocabulary)


def build(store: VectorStore) -> LexicalIndex:
    """Index the store's chunks as they are now."""
    import bm25s

    revision = store.revision()
    ids: list[str] = []
    sources: list[str] = []
    texts: list[str] = []
    for chunk in store.iter_chunks():
        ids.append(chunk.id)
        sources.append(str(chunk.metadata.get("source", "")))
        texts.append(_indexed_text(chunk.text, chunk.metadata))
    retriever = bm25s.BM25()
    if texts:
        retriever.index(tokenize(texts), show_progress=False)
    return LexicalIndex(retriever, ids, revision, sources)


def _indexed_text(text: str, metadata: dict[str, Any]) -> str:
    # The title gives every chunk of an article the article's subject words.
    return f"{metadata.get('title', '')}\n{text}"


def save(index: LexicalIndex, store_dir: Path) -> None:
    """Write atomically: readers see the old index or the new one, never half of one."""
    target = store_dir / INDEX_DIR
    staging = Path(tempfile.mkdtemp(prefix=".bm25-", dir=store_dir))
    if index.ids:
        index.retriever.save(str(staging / "model"))
    meta = {"revision": index.revision, "ids": index.ids, "sources": index.sources}
    (staging / "ids.json").write_text(json.dumps(meta))
    old = store_dir / f".bm25-old-{index.revision}"
    shutil.rmtree(old, ignore_errors=True)  # left behind by a process killed mid-swap
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def load(store_dir: Path, revision: int) -> LexicalIndex | None:
    """The saved index if it matches the store's revision, else None."""
    import bm25s

    meta_path = store_dir / INDEX_DIR / "ids.json"
    try:
        meta = json.loads(meta_path.read_text())
        # An index saved before sources were kept cannot scope a search: build it again.
        if meta["revision"] != revision or len(meta.get("sources", [])) != len(meta["ids"]):
            return None
        model_dir = store_dir / INDEX_DIR / "model"
        retriever = bm25s.BM25.load(str(model_dir)) if meta["ids"] else bm25s.BM25()
    except (OSError, ValueError, KeyError):
        return None
    return LexicalIndex(retriever, list(meta["ids"]), revision, list(meta["sources"]))


def load_or_build(store: VectorStore, store_dir: Path) -> LexicalIndex:
    index = load(store_dir, store.revision())
    if index is None:
        index = build(store)
        # A read-only store still answers: the index then lives in memory only.
        with contextlib.suppress(OSError):
            save(index, store_dir)
    return index
