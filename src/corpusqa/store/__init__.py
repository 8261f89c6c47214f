"""Vector stores: where chunks, their vectors and the file manifest live."""

from corpusqa.errors import StoreError
from corpusqa.store.base import PENDING, FileRecord, StoredChunk, VectorStore
from corpusqa.store.factory import open_empty_store, open_store

__all__ = [
    "PENDING",
    "FileRecord",
    "StoreError",
    "StoredChunk",
    "VectorStore",
    "open_empty_store",
    "open_store",
]
