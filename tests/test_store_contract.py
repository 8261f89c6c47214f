"""The contract every VectorStore backend passes: add, query, get, delete, manifest, info."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from corpusqa.settings import load_settings
from corpusqa.store import FileRecord, VectorStore, open_store
from corpusqa.types import ArticleMeta, Chunk


def embedded_store(tmp_path: Path, **overrides: Any) -> VectorStore:
    return open_store(
        load_settings(store_dir=tmp_path / "store", collection="contract", **overrides)
    )


def server_store(tmp_path: Path, port: int, **overrides: Any) -> VectorStore:
    settings = load_settings(
        store_dir=tmp_path / "store",
        collection=f"contract_{tmp_path.name[-12:]}".replace("-", "_"),
        chroma_host="127.0.0.1",
        chroma_port=port,
        **overrides,
    )
    return open_store(settings)


BACKENDS: dict[str, Callable[..., VectorStore]] = {
    "chroma-embedded": lambda path, _port, **overrides: embedded_store(path, **overrides),
    "chroma-server": server_store,
}


def make_chunk(source: str, index: int) -> Chunk:
    text = f"chunk {index} of {source}"
    return Chunk(
        f"{source}-{index}",
        source,
        index * 10,
        index * 10 + len(text),
        text,
        index,
        ArticleMeta(title=f"Title of {source}"),
    )


def unit(vector: list[float]) -> np.ndarray:
    array = np.array(vector, dtype=np.float32)
    return array / np.linalg.norm(array)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_vector_store_contract(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # The server backend is a real `chroma run` on 127.0.0.1 (conftest.chroma_port).
    port = request.getfixturevalue("chroma_port") if backend == "chroma-server" else 0
    store = BACKENDS[backend](tmp_path, port)
    store.reset()
    chunks = [make_chunk("a.txt", 0), make_chunk("a.txt", 1), make_chunk("b.txt", 0)]
    vectors = np.stack([unit([1, 0, 0]), unit([0.9, 0.1, 0]), unit([0, 0, 1])])
    store.add(chunks, vectors)
    store.add(chunks[:1], vectors[:1])  # re-adding by id overwrites, never duplicates
    assert store.count() == 3

    nearest = store.query(unit([1, 0, 0]), 2)
    assert [c.id for c in nearest] == ["a.txt-0", "a.txt-1"]
    assert nearest[0].similarity == pytest.approx(1.0, abs=1e-4)
    assert nearest[0].metadata["title"] == "Title of a.txt"
    # A source filter is applied inside the search: the nearest of b.txt, though a.txt is nearer;
    # asking for more than the filter holds returns what it holds.
    assert [c.id for c in store.query(unit([1, 0, 0]), 1, sources=["b.txt"])] == ["b.txt-0"]
    assert [c.id for c in store.query(unit([1, 0, 0]), 10, sources=["b.txt"])] == ["b.txt-0"]
    assert store.query(unit([1, 0, 0]), 2, sources=["none.txt"]) == []
    assert [c.id for c in store.get(["b.txt-0", "missing", "a.txt-1"])] == ["b.txt-0", "a.txt-1"]
    assert sorted(c.id for c in store.iter_chunks(page_size=2)) == sorted(c.id for c in chunks)

    store.delete_source("a.txt", keep={"a.txt-1"})  # a re-read file's chunks that stay
    assert sorted(c.id for c in store.iter_chunks()) == ["a.txt-1", "b.txt-0"]
    store.delete_source("a.txt")
    assert [c.id for c in store.iter_chunks()] == ["b.txt-0"]

    record = FileRecord(
        "b.txt",
        "f" * 64,
        10,
        1_700_000_000_123_456_789,
        1,
        "T",
        frozenset({"k1"}),
        date="Friday, January 9, 2026",
        publisher="Firstpost",
        indexed_at=1_764_700_000.125,
    )
    store.put_file(record)
    assert store.files() == {"b.txt": record}
    store.delete_file("b.txt")
    assert store.files() == {}
    many = [FileRecord(f"{i:05d}.txt", "e" * 64, i, i, 1) for i in range(4500)]
    store.put_files(many)  # more than one write batch
    assert store.files() == {record.source: record for record in many}

    store.update_info(embedding_model="m")
    assert store.bump_revision() == 1
    assert store.info() == {"embedding_model": "m", "revision": 1}
    store.reset()
    assert (store.count(), store.files(), store.info()) == (0, {}, {})


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_a_changed_ef_search_reaches_an_existing_store(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # Recall at 100k chunks needed a wider search than stores were made with: a store made
    # before the setting changed must search with the new breadth, without a rebuild.
    port = request.getfixturevalue("chroma_port") if backend == "chroma-server" else 0
    old = BACKENDS[backend](tmp_path, port, hnsw_ef_search=50)
    old.add([make_chunk("a.txt", 0)], unit([1, 0, 0])[None, :])
    assert old.chunks.configuration["hnsw"]["ef_search"] == 50

    reopened = BACKENDS[backend](tmp_path, port, hnsw_ef_search=321)
    assert reopened.chunks.configuration["hnsw"]["ef_search"] == 321
    assert reopened.chunks.configuration["hnsw"]["max_neighbors"] == 32  # fixed at creation
    assert [c.id for c in reopened.query(unit([1, 0, 0]), 1)] == ["a.txt-0"]
