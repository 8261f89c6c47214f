"""Chroma backend: chunks in one collection, the file manifest in a second, info in metadata."""

from __future__ import annotations

import functools
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from corpusqa.errors import StoreError
from corpusqa.settings import Settings
from corpusqa.store.base import FileRecord, StoredChunk, VectorStore
from corpusqa.store.folder import prepare_store_folder
from corpusqa.types import Chunk

log = logging.getLogger(__name__)
LOCK_PAUSES = (0.1, 0.3, 0.6, 1.0, 2.0)  # seconds: about 4 s in all before giving up the change

WRITE_BATCH = 4000  # below Chroma's max batch size, so one add() is one round trip
INFO_PREFIX = "corpusqa_"
T = TypeVar("T")


def _is_locked(error: Exception) -> bool:
    return "database is locked" in str(error)


def _when_unlocked(write: Callable[[], T]) -> T:
    """`write` again after a pause while SQLite says another writer holds the store's lock (a
    moment, under load); the last try's error is raised."""
    for pause in LOCK_PAUSES:
        try:
            return write()
        except Exception as error:
            if not _is_locked(error):
                raise
            time.sleep(pause)
    return write()


def chroma_client(settings: Settings) -> Any:
    """A PersistentClient on store_dir, or an HttpClient when a server is configured."""
    import chromadb

    if settings.uses_server():
        return _http_client(chromadb, _client_settings(), settings)
    prepare_store_folder(settings.store_dir)
    try:
        return embedded_client(settings.store_dir)
    except Exception as error:  # Chroma raises many types for a damaged folder
        raise StoreError(
            f"cannot open the store at {settings.store_dir} ({error}); "
            "rebuild it with `corpusqa ingest --rebuild`"
        ) from None


def embedded_client(folder: Path) -> Any:
    """Chroma's embedded client on a folder, telemetry off (the bench uses it for scratch
    collections too)."""
    import chromadb

    return chromadb.PersistentClient(path=str(folder), settings=_client_settings())


def _client_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def _http_client(chromadb: Any, chroma_settings: Any, settings: Settings) -> Any:
    headers = {"Authorization": f"Bearer {settings.chroma_token}"} if settings.chroma_token else {}
    address = f"{settings.chroma_host}:{settings.chroma_port}"
    try:
        client = chromadb.HttpClient(
            host=settings.chroma_host,
            port=settings.chroma_port,
            headers=headers,
            settings=chroma_settings,
        )
        client.heartbeat()
    except Exception:
        raise StoreError(
            f"cannot reach the Chroma server at {address}: start it with "
            f"`chroma run --path DIR --host {settings.chroma_host} --port {settings.chroma_port}` "
            "or unset CORPUSQA_CHROMA_HOST to use the embedded store"
        ) from None
    return client


def delete_embedded_store(store_dir: Path) -> None:
    """Remove what Chroma and corpusqa keep in store_dir, and nothing else that lives there."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # else a cached client keeps the damaged files open
    for path in store_dir.iterdir():
        if path.name.startswith("chroma.sqlite3"):
            path.unlink()
        elif path.is_dir() and (
            _is_uuid(path.name)
            or path.name in {"bm25", "sentence_cache"}
            or path.name.startswith(".bm25")
        ):
            shutil.rmtree(path)


def _is_uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


def _damage_is_a_store_error(method: Callable[..., T]) -> Callable[..., T]:
    """Chroma reports a damaged or unreachable store with many error types; users get one."""

    @functools.wraps(method)
    def guarded(self: ChromaStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as error:
            fix = (
                "check that the Chroma server is running, or rebuild with `corpusqa ingest --rebuild`"
                if self.settings.uses_server()
                else "rebuild it with `corpusqa ingest --rebuild`"
            )
            raise StoreError(
                f"the store at {self.settings.store_address()} cannot be used ({type(error).__name__}: "
                f"{str(error)[:200]}); {fix}"
            ) from error

    return guarded


def open_chroma_store(settings: Settings) -> ChromaStore:
    """The built-in store (corpusqa.registry.STORES names it "chroma")."""
    return ChromaStore(chroma_client(settings), settings)


class ChromaStore(VectorStore):
    def __init__(self, client: Any, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.chunks = self._collection(settings.collection)
        self.manifest = self._collection(f"{settings.collection}_files", space="l2")

    def _collection(self, name: str, space: str = "cosine") -> Any:
        configuration = {
            "hnsw": {
                "space": space,
                "ef_construction": self.settings.hnsw_ef_construction,
                "ef_search": self.settings.hnsw_ef_search,
                "max_neighbors": self.settings.hnsw_max_neighbors,
            }
        }
        try:
            collection = _when_unlocked(
                lambda: self.client.get_or_create_collection(
                    name=name, configuration=configuration, embedding_function=None
                )
            )
            return self._with_current_ef_search(collection)
        except Exception as error:
            if _is_locked(error):
                raise StoreError(
                    f"the store's collection '{name}' is busy: another process is writing to "
                    "it; try again in a moment"
                ) from None
            raise StoreError(
                f"the store's collection '{name}' cannot be opened ({error}); "
                "rebuild it with `corpusqa ingest --rebuild`"
            ) from None

    def _with_current_ef_search(self, collection: Any) -> Any:
        # A store keeps the parameters it was created with; ef_search is the one HNSW parameter
        # Chroma lets an existing collection change, so a raised setting reaches old stores too.
        wanted = self.settings.hnsw_ef_search
        if (collection.configuration.get("hnsw") or {}).get("ef_search") == wanted:
            return collection
        # The change is a write: another writer (an ingest, a second client of the same
        # folder) may hold SQLite's lock for a moment. Wait a little; if it is still held,
        # search with the old breadth this time rather than refuse to open the store.
        try:
            _when_unlocked(lambda: collection.modify(configuration={"hnsw": {"ef_search": wanted}}))
        except Exception as error:
            if not _is_locked(error):
                raise
            log.warning("the store is busy: ef_search stays as it was until it is opened again")
            return collection
        return self.client.get_collection(collection.name)

    @_damage_is_a_store_error
    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for begin in range(0, len(chunks), WRITE_BATCH):
            batch = chunks[begin : begin + WRITE_BATCH]
            self.chunks.upsert(
                ids=[chunk.id for chunk in batch],
                embeddings=vectors[begin : begin + WRITE_BATCH],
                documents=[chunk.text for chunk in batch],
                metadatas=[chunk.metadata() for chunk in batch],
            )

    @_damage_is_a_store_error
    def delete_source(self, source: str, keep: Collection[str] = ()) -> None:
        if not keep:
            self.chunks.delete(where={"source": source})
            return
        held = self.chunks.get(where={"source": source}, include=[])["ids"]
        stale = [chunk_id for chunk_id in held if chunk_id not in keep]
        for begin in range(0, len(stale), WRITE_BATCH):
            self.chunks.delete(ids=stale[begin : begin + WRITE_BATCH])

    @_damage_is_a_store_error
    def query(self, vector: np.ndarray, k: int, sources: Sequence[str] = ()) -> list[StoredChunk]:
        available = self.count()
        if available == 0:
            return []
        result = self.chunks.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=min(k, available),
            where={"source": {"$in": list(sources)}} if sources else None,
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
        )
        # A vector index a moment older than the records can still hold a deleted chunk's id.
        return [
            StoredChunk(i, text, dict(meta), 1.0 - float(dist))
            for i, text, meta, dist in rows
            if text is not None and meta is not None
        ]

    @_damage_is_a_store_error
    def refresh(self) -> None:
        """Reopen an embedded store so that another process's ingest is seen whole.

        Chroma's embedded client keeps each collection's HNSW index in this process's memory and
        never re-reads it, so after another process writes, its dense search returns deleted ids
        and misses new chunks. A server keeps one index for every client: nothing to do there.
        """
        if self.settings.uses_server():
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        # Forget the cached system for this folder only; the old one is released when the last
        # query still using it (another thread's) finishes.
        SharedSystemClient._identifier_to_system.pop(str(self.settings.store_dir), None)
        self.client = chroma_client(self.settings)
        self.chunks = self._collection(self.settings.collection)
        self.manifest = self._collection(f"{self.settings.collection}_files", space="l2")

    @_damage_is_a_store_error
    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:
            return []
        result = self.chunks.get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            i: StoredChunk(i, text, dict(meta))
            for i, text, meta in zip(result["ids"], result["documents"], result["metadatas"])
        }
        return [found[i] for i in ids if i in found]

    def iter_chunks(self, page_size: int = 5000) -> Iterator[StoredChunk]:
        offset = 0
        while True:
            page = self._page(page_size, offset)
            for i, text, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                yield StoredChunk(i, text, dict(meta))
            if len(page["ids"]) < page_size:
                return
            offset += page_size

    @_damage_is_a_store_error
    def _page(self, page_size: int, offset: int) -> Any:
        return self.chunks.get(limit=page_size, offset=offset, include=["documents", "metadatas"])

    @_damage_is_a_store_error
    def count(self) -> int:
        return int(self.chunks.count())

    @_damage_is_a_store_error
    def files(self) -> dict[str, FileRecord]:
        result = self.manifest.get(include=["metadatas"])
        return {i: _record_from(i, meta) for i, meta in zip(result["ids"], result["metadatas"])}

    @_damage_is_a_store_error
    def put_files(self, records: Sequence[FileRecord]) -> None:
        for begin in range(0, len(records), WRITE_BATCH):
            batch = records[begin : begin + WRITE_BATCH]
            self.manifest.upsert(
                ids=[record.source for record in batch],
                # The manifest is looked up by id, never by vector.
                embeddings=[[0.0]] * len(batch),
                metadatas=[_record_metadata(record) for record in batch],
            )

    @_damage_is_a_store_error
    def delete_file(self, source: str) -> None:
        self.manifest.delete(ids=[source])

    @_damage_is_a_store_error
    def info(self) -> dict[str, Any]:
        # Re-read: another process may have ingested since this collection handle was made.
        metadata = self.client.get_collection(self.chunks.name).metadata or {}
        return {
            key.removeprefix(INFO_PREFIX): value
            for key, value in metadata.items()
            if key.startswith(INFO_PREFIX)
        }

    @_damage_is_a_store_error
    def update_info(self, **values: Any) -> None:
        merged = {f"{INFO_PREFIX}{key}": value for key, value in {**self.info(), **values}.items()}
        self.chunks.modify(metadata=merged)

    @_damage_is_a_store_error
    def reset(self) -> None:
        for collection in (self.chunks, self.manifest):
            self.client.delete_collection(collection.name)
        self.chunks = self._collection(self.settings.collection)
        self.manifest = self._collection(f"{self.settings.collection}_files", space="l2")


def _record_metadata(record: FileRecord) -> dict[str, Any]:
    return {
        "sha256": record.sha256,
        "size": record.size,
        # Chroma stores 64-bit ints; a string keeps nanosecond mtimes exact everywhere.
        "mtime_ns": str(record.mtime_ns),
        "chunks": record.chunks,
        "title": record.title,
        "short_lines": " ".join(sorted(record.short_lines)),
        "date": record.date,
        "publisher": record.publisher,
        "indexed_at": record.indexed_at,
    }


def _record_from(source: str, meta: dict[str, Any]) -> FileRecord:
    return FileRecord(
        source=source,
        sha256=str(meta["sha256"]),
        size=int(meta["size"]),
        mtime_ns=int(meta["mtime_ns"]),
        chunks=int(meta["chunks"]),
        title=str(meta.get("title", "")),
        short_lines=frozenset(str(meta.get("short_lines", "")).split()),
        date=str(meta.get("date", "")),
        publisher=str(meta.get("publisher", "")),
        indexed_at=float(meta.get("indexed_at", 0.0)),
    )
