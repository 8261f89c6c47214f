"""The corpus as its users manage it: list, add and remove articles.

The chat page, its API and the CLI share these calls. Adding saves each file into the corpus
folder (written beside its final name, then renamed: a reader never sees half a file) and runs
the same incremental ingest as `corpusqa ingest`, so an interrupted add is completed by the next
ingest, which `corpusqa serve` runs at start.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from corpusqa.errors import EditRefused, IngestError, IngestLocked, StoreError, UnreadableFile
from corpusqa.files import write_atomically
from corpusqa.ingest.loaders import SUPPORTED_SUFFIXES, decode
from corpusqa.ingest.pipeline import IngestSummary, RemovalNotConfirmed, ingest
from corpusqa.settings import Settings
from corpusqa.store import FileRecord, VectorStore, open_store
from corpusqa.types import ArticleInfo, EditResult

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class Upload:
    """A file to add: the name the user gave it and where its bytes are now."""

    name: str
    path: Path


def list_articles(store: VectorStore) -> list[ArticleInfo]:
    """Every ingested article, by title."""
    articles = [
        ArticleInfo(
            source=record.source,
            title=record.title,
            publisher=record.publisher,
            date=record.date,
            chunks=record.chunks,
            size=record.size,
            indexed_at=_iso(record.indexed_at),
        )
        for record in store.files().values()
    ]
    return sorted(articles, key=lambda a: ((a.title or a.source).casefold(), a.source))


def add_articles(
    settings: Settings, uploads: Sequence[Upload], store: VectorStore | None = None
) -> list[EditResult]:
    """Save the files into the corpus folder and ingest them; one result per file, in order."""
    _check_count(settings, uploads)
    store = store or open_store(settings)
    corpus = Path(settings.corpus_dir)
    known = store.files()
    results: list[EditResult | None] = []
    saved: list[tuple[int, str, bool]] = []  # (position, name, replaced an existing file)
    for upload in uploads:
        earlier = {u.name for u in uploads[: len(results)]}
        problem = _upload_problem(upload, settings, corpus, earlier) or _content_problem(
            upload, known
        )
        if problem:
            results.append(EditResult(file=upload.name, outcome="skipped", detail=problem))
            continue
        target = corpus / upload.name
        saved.append((len(results), upload.name, target.exists()))
        results.append(None)
        _save(upload, target)
    if saved:
        outcomes = _outcomes(saved, _ingest(settings))
        for position, name, replaced in saved:
            results[position] = outcomes[name]
            if outcomes[name].outcome == "skipped" and not replaced:
                # Not indexed: not kept either, so the folder holds only what the store knows.
                (corpus / name).unlink(missing_ok=True)
    return [r for r in results if r is not None]


def _check_count(settings: Settings, uploads: Sequence[Upload]) -> None:
    if not uploads:
        raise EditRefused("Choose one or more .txt, .md or .html files to add.")
    if len(uploads) > settings.max_upload_files:
        raise EditRefused(
            f"{len(uploads)} files is more than {settings.max_upload_files} at once: "
            "add them in smaller groups (or raise CORPUSQA_MAX_UPLOAD_FILES)"
        )


def remove_article(settings: Settings, store: VectorStore, source: str) -> EditResult:
    """Delete one article from the corpus folder and the store together."""
    if source not in store.files():
        raise EditRefused(f"No article named {source} in the corpus.")
    path = Path(settings.corpus_dir) / source
    # Set aside under a hidden name (never ingested) rather than deleted, so that an ingest that
    # refuses (another one running, another folder) can put it back: folder and store agree.
    aside = path.with_name(f".removing-{path.name}")
    try:
        if path.exists():
            os.replace(path, aside)
    except OSError as error:
        raise EditRefused(f"Cannot delete {source} from the corpus folder ({error}).") from None
    try:
        # The ingest asks before removing every article; removing the one asked for is the answer.
        _ingest(settings, confirm=lambda question: question.removed == [source])
    except EditRefused:
        if aside.exists():
            os.replace(aside, path)
        raise
    aside.unlink(missing_ok=True)
    return EditResult(file=source, outcome="removed")


def safe_name_problem(name: str) -> str:
    """Why a file name cannot be saved into the corpus folder as it is; '' when it can."""
    if not name or name in {".", ".."}:
        return "the file has no name"
    if "/" in name or "\\" in name:
        return "a file name may not hold a path (/ or \\): give the name alone"
    if name.startswith("."):
        return "a file name may not start with '.' (hidden files are not ingested)"
    if _UNSAFE.search(name) or len(name) > MAX_NAME_CHARS:
        return f"the name has control characters or is over {MAX_NAME_CHARS} characters"
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return f"unsupported file type '{suffix or 'none'}': add {kinds} files"
    return ""


def _upload_problem(upload: Upload, settings: Settings, corpus: Path, earlier: set[str]) -> str:
    problem = safe_name_problem(upload.name)
    if problem:
        return problem
    if upload.name in earlier:
        return "the same name twice in one request: only the first is added"
    target = corpus / upload.name
    if target.exists() and not target.is_file():
        return "the corpus folder holds a folder of that name"
    size = upload.path.stat().st_size
    limit = settings.max_file_mb * 2**20
    if size > limit:
        return (
            f"{size / 2**20:.1f} MB is over the {settings.max_file_mb:g} MB limit: split the "
            "file or raise CORPUSQA_MAX_FILE_MB"
        )
    return ""


def _content_problem(upload: Upload, known: dict[str, FileRecord]) -> str:
    """Checked before the file is saved: a replacement the ingest would skip must not take the
    place of the article it replaces. Compared with the store, not the folder, so that a file
    saved by an add whose ingest failed is indexed when it is added again."""
    raw = upload.path.read_bytes()
    try:
        decode(raw, Path(upload.name).suffix.lower())
    except UnreadableFile as error:
        return str(error)
    digest = hashlib.sha256(raw).hexdigest()
    if upload.name in known and known[upload.name].sha256 == digest:
        return "the corpus already has this article, unchanged"
    twin = next((r.source for r in known.values() if r.sha256 == digest), None)
    return f"same content as {twin} (indexed once)" if twin else ""


def _save(upload: Upload, target: Path) -> None:
    """Write beside the target under a hidden name (never ingested), then rename over it."""

    def copy(out: BinaryIO) -> None:
        with upload.path.open("rb") as source:
            while block := source.read(1 << 20):
                out.write(block)

    write_atomically(target, copy, prefix=".upload-")


def _ingest(
    settings: Settings, confirm: Callable[[RemovalNotConfirmed], bool] | None = None
) -> IngestSummary:
    try:
        return ingest(settings, confirm_removal=confirm)
    except IngestLocked:
        raise EditRefused(
            "Another ingest is running on this store; try again when it has finished."
        ) from None
    except (IngestError, StoreError) as error:
        raise EditRefused(str(error)) from None


def _outcomes(saved: list[tuple[int, str, bool]], summary: IngestSummary) -> dict[str, EditResult]:
    skipped = {s["file"]: s["reason"] for s in summary.skipped}
    results = {}
    for _, name, replaced in saved:
        if name in skipped:
            results[name] = EditResult(file=name, outcome="skipped", detail=skipped[name])
        elif replaced:
            detail = "replaced the file of the same name"
            results[name] = EditResult(file=name, outcome="updated", detail=detail)
        else:
            results[name] = EditResult(file=name, outcome="added")
    return results


def _iso(timestamp: float) -> str:
    if not timestamp:
        return ""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
