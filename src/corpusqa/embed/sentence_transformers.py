"""sentence-transformers embedder, loaded from a local path only (nothing downloads here)."""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from corpusqa.embed.base import Embedder


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, model_path: Path, name: str, device: str = "cpu") -> None:
        self.model_path = model_path
        self.name = name
        self.device = device
        self._model: Any = None
        # The chat loads the model in a background thread while an upload may want it too:
        # load it once (cached_property stopped serialising this in Python 3.12).
        self._loading = threading.Lock()

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._loading:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer  # lazy: torch is slow

                    self._model = SentenceTransformer(
                        str(self.model_path), device=self.device, local_files_only=True
                    )
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model (and torch) is in memory already."""
        return self._model is not None

    @cached_property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        # encode() sorts by length internally, so each batch pads to similar lengths.
        vectors: np.ndarray = self.model.encode(
            texts, batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True
        )
        return vectors
