"""Sentence vectors and tags kept beside the store, so a corpus is warmed once, not every start.

Warming (`Answerer.warm_sentences`) embeds and tags every sentence of a small corpus so that no
question waits for it; on 2 cores that is about a minute and a half for 700 chunks. What it
computed is saved in the store folder and loaded by the next process in about a second.

Nothing here can be stale: entries are keyed by the sentence's text (as the in-memory caches
are), so a changed sentence is a new key, and each file is named after the model that made it
(another embedder or tagger reads another file). A file that cannot be read is ignored and
written again: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from corpusqa.answer.nlp import Entity, EntityFinder, Parsed, Word, tagger_name
from corpusqa.files import write_atomically

log = logging.getLogger(__name__)

FOLDER = "sentence_cache"
FORMAT = 1  # bump when what is stored, or how, changes


def folder_of(store_dir: Path) -> Path:
    return store_dir / FOLDER


def vectors_path(store_dir: Path, embedder_name: str, dimension: int) -> Path:
    return folder_of(store_dir) / f"vectors-{_key(embedder_name, str(dimension))}.npz"


def parses_path(store_dir: Path, tagger: str) -> Path:
    return folder_of(store_dir) / f"tags-{_key(tagger)}.json"


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join((str(FORMAT), *parts)).encode()).hexdigest()[:16]


def load_vectors(path: Path, dimension: int) -> dict[str, np.ndarray]:
    """The saved vectors by sentence text; empty when there are none or they can't be read."""
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as stored:
            texts = _texts_from(stored["text_bytes"], stored["text_ends"])
            vectors = np.asarray(stored["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        log.warning("ignoring the sentence vector cache %s (%s)", path, error)
        return {}
    if vectors.shape != (len(texts), dimension):
        log.warning("ignoring the sentence vector cache %s (shape %s)", path, vectors.shape)
        return {}
    return dict(zip(texts, vectors))


def save_vectors(path: Path, vectors: Mapping[str, np.ndarray], texts: Iterable[str]) -> None:
    """Save the vectors of these texts (the corpus's sentences: others are dropped)."""
    kept = [t for t in dict.fromkeys(texts) if t in vectors]
    if not kept:
        return
    encoded = [t.encode("utf-8") for t in kept]
    text_bytes = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    text_ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    matrix = np.stack([vectors[t] for t in kept]).astype(np.float32)
    _write_atomically(
        path,
        lambda handle: np.savez(handle, text_bytes=text_bytes, text_ends=text_ends, vectors=matrix),
    )


def _texts_from(text_bytes: np.ndarray, ends: np.ndarray) -> list[str]:
    raw = text_bytes.tobytes()
    starts = [0, *ends[:-1].tolist()]
    return [raw[a:b].decode("utf-8") for a, b in zip(starts, ends.tolist())]


def load_parses(path: Path) -> dict[str, Parsed]:
    """The saved tags by sentence text; empty when there are none or they can't be read."""
    if not path.exists():
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {text: _parsed(entry) for text, entry in stored["parses"].items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("ignoring the sentence tag cache %s (%s)", path, error)
        return {}


def save_parses(path: Path, parses: Mapping[str, Parsed], texts: Iterable[str]) -> None:
    kept = {t: _plain(parses[t]) for t in dict.fromkeys(texts) if t in parses}
    if not kept:
        return
    text = json.dumps({"format": FORMAT, "parses": kept}, ensure_ascii=False)
    _write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))


def _plain(parsed: Parsed) -> list[Any]:
    return [
        [[e.text, e.label, e.start, e.end] for e in parsed.entities],
        [[w.text, w.tag, w.lemma, w.start] for w in parsed.words],
    ]


def _parsed(entry: list[Any]) -> Parsed:
    entities, words = entry
    return Parsed(
        tuple(Entity(str(t), str(label), int(a), int(b)) for t, label, a, b in entities),
        tuple(Word(str(t), str(tag), str(lemma), int(a)) for t, tag, lemma, a in words),
    )


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """A reader never sees half a file (files.write_atomically); a write that fails (a full
    disk) costs the next start some time, nothing else."""
    try:
        write_atomically(path, write, prefix=f".{path.name}.")
    except OSError as error:
        log.warning("could not save the sentence cache %s (%s)", path, error)


@dataclass(frozen=True)
class SavedSentenceWork:
    """The two cache files of one store: vectors of one embedder, tags of one tagger (None
    without spaCy: guessed tags are cheap and not saved)."""

    vectors_file: Path
    dimension: int
    tags_file: Path | None

    @classmethod
    def of(cls, store_dir: Path, embedder_name: str, dimension: int) -> SavedSentenceWork:
        tagger = tagger_name()
        return cls(
            vectors_path(store_dir, embedder_name, dimension),
            dimension,
            None if tagger is None else parses_path(store_dir, tagger),
        )

    def load_vectors_into(self, vectors: dict[str, np.ndarray]) -> set[str]:
        """Add the saved vectors to an in-memory cache; the texts that were saved."""
        saved = load_vectors(self.vectors_file, self.dimension)
        vectors.update(saved)
        return set(saved)

    def load_tags_into(self, finder: EntityFinder) -> set[str]:
        saved = {} if self.tags_file is None else load_parses(self.tags_file)
        finder.remember(saved)
        return set(saved)

    def save(
        self,
        texts: list[str],
        vectors: Mapping[str, np.ndarray],
        finder: EntityFinder,
        already: tuple[set[str], set[str]],
    ) -> None:
        """Save what these texts have, where the files lacked some of them."""
        wanted = set(texts)
        if not wanted <= already[0]:
            save_vectors(self.vectors_file, vectors, texts)
        if self.tags_file is not None and not wanted <= already[1]:
            save_parses(self.tags_file, finder.known(), texts)
