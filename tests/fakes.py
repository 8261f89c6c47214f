"""Fakes for the fast test tier: real subclasses of the interfaces, no model to load.

Used by name, as a user's own backend is (`embedding_model = "fakes:WordHashEmbedder"`): the
tests directory is on sys.path while pytest runs.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from corpusqa.embed import Embedder
from corpusqa.settings import Settings

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
