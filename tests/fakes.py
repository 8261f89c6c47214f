"""Fakes for the fast test tier: real subclasses of the interfaces, no model to load.

Used by name, as a user's own backend is (`embedding_model = "fakes:WordHashEmbedder"`): the
tests directory is on sys.path while pytest runs.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Collection, Sequence
from typing import ClassVar

import numpy as np

from corpusqa.answer import Answerer
from corpusqa.embed import Embedder
from corpusqa.settings import Settings
from corpusqa.store.chroma import ChromaStore, chroma_client
from corpusqa.types import Chunk

WORD = re.compile(r"\w+")


class WordHashEmbedder(Embedder):
    """Each word hashed into one of 256 dimensions: texts that share words are near, the same
    text always gives the same vector, and nothing is loaded."""

    name = "fakes:WordHashEmbedder"

    def __init__(self, settings: Settings | None = None) -> None:
        """Made with the settings, as every part named `module:Class` is; it needs none."""

    @property
    def dimension(self) -> int:
        return 256

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in WORD.findall(text.lower()):
                vectors[row, zlib.crc32(word.encode()) % self.dimension] += 1.0
        return vectors


class NotAPart:
    """Named where a part is expected, it is refused: it implements no interface."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings


class WatchedChromaStore(ChromaStore):
    """The real embedded Chroma store, counting after every chunk write how many chunks each
    file has left, and noting every file taken off the manifest: what a chat reading the store
    at that moment would find of it."""

    low_water: ClassVar[dict[str, int]] = {}  # source -> fewest chunks after a write
    unlisted: ClassVar[set[str]] = set()  # sources whose manifest entry was deleted

    def __init__(self, settings: Settings) -> None:
        super().__init__(chroma_client(settings), settings)

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        super().add(chunks, vectors)
        for source in {chunk.source for chunk in chunks}:
            self._watch(source)

    def delete_source(self, source: str, keep: Collection[str] = ()) -> None:
        super().delete_source(source, keep)
        self._watch(source)

    def delete_file(self, source: str) -> None:
        super().delete_file(source)
        self.unlisted.add(source)

    def _watch(self, source: str) -> None:
        held = len(self.chunks.get(where={"source": source}, include=[])["ids"])
        self.low_water[source] = min(held, self.low_water.get(source, held))


class SlowToWarmAnswerer(Answerer):
    """An answerer whose models take `delay` seconds longer to load, saying when they are in:
    what the chat's page-first start (warm_up_in_thread) must wait for."""

    def __init__(self, settings: Settings, delay: float = 1.5) -> None:
        super().__init__(settings)
        self.delay = delay
        self.events: list[str] = []

    def warm_up(self, in_background: bool = False) -> None:
        time.sleep(self.delay)
        super().warm_up(in_background)
        self.events.append("warmed")
