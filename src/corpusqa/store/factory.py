"""Open the store that settings describe: Chroma (an embedded folder or a server), or your own
VectorStore named `module:Class` (resolved by corpusqa.registry.STORES, made with the settings)."""

from __future__ import annotations

from corpusqa.registry import STORES
from corpusqa.settings import Settings
from corpusqa.store.base import VectorStore


def open_store(settings: Settings) -> VectorStore:
    store: VectorStore = STORES.create(settings.store, settings)
    return store


def open_empty_store(settings: Settings) -> VectorStore:
    """The store, emptied; an embedded store too damaged to open is deleted and made anew."""
    from corpusqa.store.chroma import delete_embedded_store

    try:
        store = open_store(settings)
        store.reset()
        return store
    except Exception:  # a damaged store fails in many ways; a server's must be mended there
        if settings.uses_server() or settings.store != "chroma":
            raise
    delete_embedded_store(settings.store_dir)
    store = open_store(settings)
    store.reset()
    return store
