"""The vector-store interface every backend implements, and the records it keeps."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corpusqa.types import Chunk


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    metadata: dict[str, Any]
    similarity: float | None = None  # cosine similarity to the query, when from a query


# The sha256 of a file whose chunks are being written: listed (a chat still finds the article,
# and an ingest killed meanwhile redoes it, or removes it with the file), never up to date.
PENDING = ""


@dataclass(frozen=True)
class FileRecord:
    """The manifest entry of one ingested file: PENDING while its chunks are written, then its
    content hash once all of them are."""

    source: str
    sha256: str
    size: int
    mtime_ns: int
    chunks: int
    title: str = ""
    short_lines: frozenset[str] = field(default_factory=frozenset)
    date: str = ""
    publisher: str = ""
    indexed_at: float = 0.0  # Unix time its chunks were written; 0 for stores older than this

    @property
    def pending(self) -> bool:
        return self.sha256 == PENDING


class VectorStore(ABC):
    """Chunks with vectors, a file manifest, and store-level info (model, revision)."""

    @abstractmethod
    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Insert or overwrite chunks by id."""

    @abstractmethod
    def delete_source(self, source: str, keep: Collection[str] = ()) -> None:
        """Remove every chunk of one file but those whose ids are in `keep` (its new chunks,
        written first: a reader never sees the file without chunks)."""

    @abstractmethod
    def query(self, vector: np.ndarray, k: int, sources: Sequence[str] = ()) -> list[StoredChunk]:
        """The k nearest chunks, best first; only chunks of `sources` when it is given (a filter
        inside the search, so that a narrow scope still gets k chunks)."""

    @abstractmethod
    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        """Chunks by id, in the order asked; missing ids are left out."""

    @abstractmethod
    def iter_chunks(self, page_size: int = 5000) -> Iterator[StoredChunk]:
        """Every chunk, page by page, without vectors."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def files(self) -> dict[str, FileRecord]: ...

    @abstractmethod
    def put_files(self, records: Sequence[FileRecord]) -> None:
        """Insert or overwrite manifest entries, in one write (no round trip per file)."""

    def put_file(self, record: FileRecord) -> None:
        self.put_files([record])

    @abstractmethod
    def delete_file(self, source: str) -> None: ...

    @abstractmethod
    def info(self) -> dict[str, Any]:
        """Store-level values: embedding_model, dimension, revision."""

    @abstractmethod
    def update_info(self, **values: Any) -> None: ...

    @abstractmethod
    def reset(self) -> None:
        """Drop everything (used by ingest --rebuild)."""

    def refresh(self) -> None:
        """See what other processes wrote since this handle was opened (default: nothing to do)."""
        return None  # a backend whose reads always see every process's writes needs nothing

    def revision(self) -> int:
        return int(self.info().get("revision", 0))

    def bump_revision(self) -> int:
        revision = self.revision() + 1
        self.update_info(revision=revision)
        return revision
