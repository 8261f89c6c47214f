"""Open the store that settings describe: an embedded Chroma folder or a Chroma server."""

from __future__ import annotations

from corpusqa.settings import Settings
from corpusqa.store.base import VectorStore


def open_store(settings: Settings) -> VectorStore:
    from corpusqa.store.chroma import ChromaStore, chroma_client

    return ChromaStore(chroma_client(settings), settings)
