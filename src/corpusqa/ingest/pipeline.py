"""Ingest: files -> documents -> chunks -> vectors -> store, incrementally and crash-safely.

Order of writes per file: a pending manifest entry, the new chunks, the deletion of the old
chunks that are not among them, then the entry with the file's hash. A kill at any point leaves
the entry pending, so the next ingest redoes the file (or removes it, when the file is gone);
chunk ids are deterministic, so redoing never duplicates. The file stays listed and its old
chunks go last, so that a chat reading the store while another process re-reads an article (or
every article, after a cleaning change) never finds the article missing.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpusqa.embed import Embedder, make_embedder
from corpusqa.errors import IngestError, UnreadableFile
from corpusqa.ingest.chunking import chunk_document
from corpusqa.ingest.clean import kept_segments, short_line_keys
from corpusqa.ingest.loaders import Skipped, read_document, scan
from corpusqa.ingest.lock import ingest_lock
from corpusqa.ingest.metadata import article_meta
from corpusqa.settings import Settings
from corpusqa.store import (
    PENDING,
    FileRecord,
    StoreError,
    VectorStore,
    lexical,
    open_empty_store,
    open_store,
)
from corpusqa.store.folder import prepare_store_folder
from corpusqa.types import ArticleMeta, Chunk, Document

FLUSH_CHUNKS = 512  # chunks embedded per flush: big enough for full batches, small for memory
TEXT_BUDGET_BYTES = 256 * 2**20  # changed files held in memory between planning and chunking
# Raised when cleaning, chunking or metadata change what a file yields: a store built by an
# older release then re-reads every file once, so titles and dates are not left stale.
CLEANING_VERSION = 2


class RemovalNotConfirmed(IngestError):
    """The ingest would remove articles the user may not mean to: a mistyped or emptied folder."""

    def __init__(self, corpus: Path, removed: list[str], built_from: str | None) -> None:
        """built_from: the store's own corpus folder, when corpus is another one."""
        self.removed = removed
        shown = ", ".join(removed[:5]) + (
            f" and {len(removed) - 5} more" if len(removed) > 5 else ""
        )
        why = (
            f"{corpus} is not the folder this store was built from ({built_from})"
            if built_from
            else f"{corpus} holds none of the store's {len(removed)} articles"
        )
        self.what = f"{why}, so {len(removed)} article(s) would be removed from the store ({shown})"
        super().__init__(
            f"not ingesting: {self.what}; check the folder, or pass --yes to remove them"
        )


@dataclass
class IngestSummary:
    files: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Pending:
    """A file whose chunks are on their way into the store."""

    document: Document
    short_lines: frozenset[str]
    meta: ArticleMeta = field(default_factory=lambda: ArticleMeta(title=""))
    chunk_count: int = 0
    chunks_left: int = 0
    chunk_ids: frozenset[str] = frozenset()


@dataclass
class _Plan:
    changed: dict[str, Document | Path] = field(default_factory=dict)  # Path: re-read later
    unchanged: dict[str, FileRecord] = field(default_factory=dict)
    touched: list[FileRecord] = field(default_factory=list)  # same content, new mtime
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    short_lines: dict[str, frozenset[str]] = field(default_factory=dict)


def ingest(
    settings: Settings,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    progress: bool = False,
    confirm_removal: Callable[[RemovalNotConfirmed], bool] | None = None,
) -> IngestSummary:
    """Bring the store in line with the corpus folder; embed only new or changed files."""
    started = time.perf_counter()
    corpus = Path(corpus_dir or settings.corpus_dir)
    if not corpus.is_dir():
        raise IngestError(f"corpus folder '{corpus}' does not exist: pass a folder of articles")
    prepare_store_folder(settings.store_dir)
    with ingest_lock(settings.store_dir):
        store = open_empty_store(settings) if rebuild else open_store(settings)
        _check_compatible(store, settings)
        summary = _ingest_into(store, corpus, settings, progress, confirm_removal)
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _check_compatible(store: VectorStore, settings: Settings) -> None:
    built_with = store.info().get("embedding_model")
    if built_with and built_with != settings.embedding_model:
        raise StoreError(
            f"the store was built with embedding model '{built_with}', not "
            f"'{settings.embedding_model}': run `corpusqa ingest --rebuild` to re-embed"
        )
    if not built_with and store.count() > 0:
        raise StoreError(
            "the store has chunks but no corpusqa info: run `corpusqa ingest --rebuild`"
        )


def _ingest_into(
    store: VectorStore,
    corpus: Path,
    settings: Settings,
    progress: bool,
    confirm_removal: Callable[[RemovalNotConfirmed], bool] | None = None,
) -> IngestSummary:
    known = store.files()
    plan = _plan(corpus, known, int(settings.max_file_mb * 2**20))
    _check_removal(store, corpus, plan, confirm_removal)
    repeated = _repeated_lines(plan.short_lines, settings.boilerplate_min_files)
    previously = _repeated_lines(
        {r.source: r.short_lines for r in known.values()}, settings.boilerplate_min_files
    )
    _redo_files_whose_boilerplate_changed(plan, repeated ^ previously, corpus)
    if _cleaned_by_an_older_release(store.info()):
        _redo(plan, corpus, list(plan.unchanged))
        plan.touched.clear()  # every file is rewritten: no record needs only its mtime
    summary = IngestSummary(
        files=len(plan.changed) + len(plan.unchanged),
        added=sum(source not in known or known[source].pending for source in plan.changed),
        updated=sum(source in known and not known[source].pending for source in plan.changed),
        removed=len(plan.removed),
        unchanged=len(plan.unchanged),
        skipped=[{"file": s.file, "reason": s.reason} for s in plan.skipped],
    )
    for source in plan.removed:
        store.delete_file(source)
        store.delete_source(source)
    if plan.touched:
        store.put_files(plan.touched)
    embedder = make_embedder(settings.embedding_model, settings)
    if plan.changed and not store.info().get("embedding_model"):
        # Claim the store for this model before the first chunk lands, so an ingest killed
        # mid-write leaves a store the next ingest recognises and completes.
        store.update_info(
            embedding_model=settings.embedding_model,
            dimension=embedder.dimension,
            cleaning_version=CLEANING_VERSION,
        )
    writer = _Writer(store, embedder, settings.embedding_batch_size)
    summary.skipped += _embed_changed(plan, corpus, repeated, settings, writer, progress)
    summary.chunks_embedded = writer.finish()
    summary.files -= len(summary.skipped) - len(plan.skipped)
    _finish_store(store, settings, embedder, corpus, changed=bool(plan.changed or plan.removed))
    summary.chunks_total = store.count()
    return summary


def _check_removal(
    store: VectorStore,
    corpus: Path,
    plan: _Plan,
    confirm: Callable[[RemovalNotConfirmed], bool] | None,
) -> None:
    """Removing every article, or removing from another folder than the store's, needs a yes."""
    if not plan.removed:
        return
    recorded = store.info().get("corpus_dir")
    other_folder = bool(recorded) and recorded != str(corpus.resolve())
    keeps_nothing = not plan.changed and not plan.unchanged
    if not (other_folder or keeps_nothing):
        return
    question = RemovalNotConfirmed(corpus, sorted(plan.removed), recorded if other_folder else None)
    if confirm is None or not confirm(question):
        raise question


def _plan(corpus: Path, known: dict[str, FileRecord], max_bytes: int) -> _Plan:
    plan = _Plan()
    held_bytes = 0
    first_with_content: dict[str, str] = {}  # sha256 -> the file that is indexed with it
    for item in scan(corpus, max_bytes):
        if isinstance(item, Skipped):
            plan.skipped.append(item)
            continue
        source = item.relative_to(corpus).as_posix()
        record = known.get(source)
        if record and record.pending:  # its writing was cut short: redo it whatever it holds
            record = None
        stat = item.stat()
        if record and (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            plan.unchanged[source] = record
            plan.short_lines[source] = record.short_lines
            first_with_content.setdefault(record.sha256, source)
            continue
        try:
            document = read_document(item, corpus)
        except (UnreadableFile, OSError) as error:
            plan.skipped.append(Skipped(source, str(error)))
            continue
        twin = first_with_content.setdefault(document.sha256, source)
        if twin != source:
            # Indexing a copy twice would fill the top passages with the same text.
            plan.skipped.append(Skipped(source, f"same content as {twin} (indexed once)"))
            continue
        plan.short_lines[source] = frozenset(short_line_keys(document.text))
        if record and record.sha256 == document.sha256:
            plan.unchanged[source] = record
            plan.touched.append(_with_mtime(record, document))
            continue
        held_bytes += document.size
        plan.changed[source] = document if held_bytes <= TEXT_BUDGET_BYTES else item
    plan.removed = sorted(set(known) - set(plan.changed) - set(plan.unchanged))
    return plan


def _with_mtime(record: FileRecord, document: Document) -> FileRecord:
    return dataclasses.replace(record, size=document.size, mtime_ns=document.mtime_ns)


def _repeated_lines(short_lines: dict[str, frozenset[str]], min_files: int) -> frozenset[str]:
    counts = Counter(key for keys in short_lines.values() for key in keys)
    return frozenset(key for key, count in counts.items() if count >= min_files)


def _redo_files_whose_boilerplate_changed(
    plan: _Plan, flipped: frozenset[str], corpus: Path
) -> None:
    """A new file can make a line of an old file boilerplate (or stop it being so)."""
    _redo(plan, corpus, [s for s, r in plan.unchanged.items() if r.short_lines & flipped])


def _redo(plan: _Plan, corpus: Path, sources: list[str]) -> None:
    """Read and embed these unchanged files again."""
    for source in sources:
        del plan.unchanged[source]
        plan.changed[source] = corpus / source


def _cleaned_by_an_older_release(info: dict[str, Any]) -> bool:
    return bool(info.get("cleaning_version", 1) < CLEANING_VERSION)


def _embed_changed(
    plan: _Plan,
    corpus: Path,
    repeated: frozenset[str],
    settings: Settings,
    writer: _Writer,
    progress: bool,
) -> list[dict[str, str]]:
    skipped: list[dict[str, str]] = []
    for source, item in _progress(plan.changed.items(), len(plan.changed), progress):
        try:
            document = item if isinstance(item, Document) else read_document(item, corpus)
        except (UnreadableFile, OSError) as error:
            skipped.append({"file": source, "reason": str(error)})
            continue
        pending = _Pending(document, plan.short_lines.get(source, frozenset()))
        writer.push(pending, _chunks_of(document, repeated, settings, pending))
    return skipped


def _chunks_of(
    document: Document, repeated: frozenset[str], settings: Settings, pending: _Pending
) -> list[Chunk]:
    segments = kept_segments(document.text, repeated)
    meta = article_meta(document.text, segments)
    pending.meta = meta
    return chunk_document(document, segments, meta, settings.chunk_size, settings.chunk_overlap)


def _progress(items: Iterable[Any], total: int, enabled: bool) -> Iterable[Any]:
    if not enabled or total == 0:
        return items
    from tqdm import tqdm

    progress: Iterable[Any] = tqdm(
        items, total=total, unit="file", desc="ingest", dynamic_ncols=True
    )
    return progress


def _finish_store(
    store: VectorStore, settings: Settings, embedder: Embedder, corpus: Path, changed: bool
) -> None:
    info = store.info()
    corpus_dir = str(corpus.resolve())
    if (
        changed
        or not info.get("embedding_model")
        or info.get("corpus_dir") != corpus_dir
        or _cleaned_by_an_older_release(info)
    ):
        store.update_info(
            embedding_model=settings.embedding_model,
            dimension=embedder.dimension,
            corpus_dir=corpus_dir,
            cleaning_version=CLEANING_VERSION,
        )
        store.bump_revision()
    if changed or lexical.load(settings.store_dir, store.revision()) is None:
        lexical.save(lexical.build(store), settings.store_dir)


class _Writer:
    """Embeds chunks in full batches and writes them on a second thread while the next embeds."""

    def __init__(self, store: VectorStore, embedder: Embedder, batch_size: int) -> None:
        self.store = store
        self.embedder = embedder
        self.batch_size = batch_size
        self.buffer: list[tuple[_Pending, Chunk]] = []
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.last_write: Future[None] | None = None
        self.embedded = 0

    def push(self, pending: _Pending, chunks: list[Chunk]) -> None:
        pending.chunk_count = pending.chunks_left = len(chunks)
        pending.chunk_ids = frozenset(chunk.id for chunk in chunks)
        if not chunks:
            self._submit([], [pending], [])
            return
        self.buffer.extend((pending, chunk) for chunk in chunks)
        if len(self.buffer) >= FLUSH_CHUNKS:
            self._flush()

    def finish(self) -> int:
        self._flush()
        self._wait()
        self.pool.shutdown()
        return self.embedded

    def _flush(self) -> None:
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
        vectors = self.embedder.embed([chunk.text for _, chunk in batch], self.batch_size)
        self.embedded += len(batch)
        starting, finished = [], []
        for pending, _ in batch:
            if pending.chunks_left == pending.chunk_count:  # its first chunk: list it as pending
                starting.append(pending)
            pending.chunks_left -= 1
            if pending.chunks_left == 0:
                finished.append(pending)
        rows = [(chunk, vector) for (_, chunk), vector in zip(batch, vectors)]
        self._submit(rows, finished, starting)

    def _submit(
        self, rows: list[tuple[Chunk, Any]], finished: list[_Pending], starting: list[_Pending]
    ) -> None:
        self._wait()
        self.last_write = self.pool.submit(self._write, rows, finished, starting)

    def _write(
        self, rows: list[tuple[Chunk, Any]], finished: list[_Pending], starting: list[_Pending]
    ) -> None:
        if starting:  # listed, and marked to be redone, before any of its chunks is written
            self.store.put_files([_record(pending, complete=False) for pending in starting])
        if rows:
            import numpy as np

            self.store.add([chunk for chunk, _ in rows], np.stack([vector for _, vector in rows]))
        for pending in finished:
            # Old chunks of the file: an earlier version's, or those of an ingest killed after
            # it wrote some (its entry left pending). With no chunks to keep, all of them go.
            self.store.delete_source(pending.document.source, keep=pending.chunk_ids)
        if finished:
            self.store.put_files([_record(pending) for pending in finished])

    def _wait(self) -> None:
        if self.last_write is not None:
            self.last_write.result()  # re-raises a failed write here, on the main thread
            self.last_write = None


def _record(pending: _Pending, complete: bool = True) -> FileRecord:
    document = pending.document
    return FileRecord(
        source=document.source,
        sha256=document.sha256 if complete else PENDING,
        size=document.size,
        mtime_ns=document.mtime_ns,
        chunks=pending.chunk_count,
        title=pending.meta.title,
        short_lines=pending.short_lines,
        date=pending.meta.date,
        publisher=pending.meta.publisher,
        indexed_at=round(time.time(), 3),
    )
