"""Open the store that settings describe: an embedded Chroma folder or a Chroma server."""

from __future__ import annotations

from corpusqa.settings import Settings
from corpusqa.store.base import VectorStore


def open_store(settings: Settings) -> VectorStore:
    from corpusqa.store.chroma import ChromaStore, chroma_client

    return ChromaStore(chroma_client(settings), settings)


def open_empty_store(settings: Settings) -> VectorStore:
    """The store, emptied; an embedded store too damaged to open is deleted and made anew."""
    from corpusqa.store.chroma import delete_embedded_store

    try:
        store = open_store(settings)
        store.reset()
        return store
    except Exception:  # a damaged store fails in many ways; a server's must be mended there
        if settings.uses_server():
            raise
    delete_embedded_store(settings.store_dir)
    store = open_store(settings)
    store.reset()
    return store
