"""Find and read corpus files: .txt/.md as UTF-8, .html through trafilatura; explain every skip."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpusqa.errors import UnreadableFile
from corpusqa.types import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


def relative_source(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def scan(root: Path, max_bytes: int | None = None) -> Iterator[Path | Skipped]:
    """Corpus files under root in a stable order; links leading outside root, and files over
    max_bytes, come back as Skipped."""
    resolved_root = root.resolve()
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(directory) / name
            yield _classify(path, root, resolved_root, max_bytes)


def _classify(path: Path, root: Path, resolved_root: Path, max_bytes: int | None) -> Path | Skipped:
    source = relative_source(path, root)
    if path.is_symlink() and not path.resolve().is_relative_to(resolved_root):
        return Skipped(source, "symlink to a path outside the corpus (not followed)")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return Skipped(source, f"unsupported file type '{path.suffix or 'none'}'")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        # Checked before reading: a huge file must not cost its size in memory to be refused.
        return Skipped(
            source,
            f"{size / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB limit: split the file "
            "or raise CORPUSQA_MAX_FILE_MB",
        )
    return path


def read_document(path: Path, root: Path) -> Document:
    """Read one file into a Document; raises UnreadableFile with the reason."""
    raw = path.read_bytes()
    stat = path.stat()
    text = decode(raw, path.suffix.lower())
    return Document(
        source=relative_source(path, root),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
    )


def decode(raw: bytes, suffix: str) -> str:
    """The text every offset refers to: the UTF-8 file, or trafilatura's text of an HTML page."""
    if not raw.strip():
        raise UnreadableFile("empty file")
    if b"\x00" in raw[:8192]:
        raise UnreadableFile("binary file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not valid UTF-8 (byte {error.start})") from None
    if suffix in HTML_SUFFIXES:
        text = _html_text(text)
    # Python reads text files with universal newlines; do the same so offsets agree with open().
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableFile("no text after extraction")
    return text


def _html_text(html: str) -> str:
    import trafilatura  # lazy: only HTML corpora pay for it

    extracted = trafilatura.extract(
        html, include_comments=False, include_tables=True, with_metadata=False, favor_recall=True
    )
    title = _html_title(html)
    body = extracted or ""
    return f"{title}\n\n{body}" if title and not body.startswith(title) else body


def _html_title(html: str) -> str:
    import trafilatura

    metadata = trafilatura.extract_metadata(html)
    return (metadata.title or "").strip() if metadata else ""
