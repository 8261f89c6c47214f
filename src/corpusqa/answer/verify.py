"""The last check before an answer leaves: every quote must be an exact span of its file."""

from __future__ import annotations

from pathlib import Path

from corpusqa.errors import UnreadableFile
from corpusqa.ingest.loaders import decode
from corpusqa.types import Citation


class SourceTexts:
    """File texts exactly as ingest read them, re-read when a file changes on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._cache: dict[str, tuple[int, int, str]] = {}

    def text(self, source: str) -> str | None:
        path = (self.root / source).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None  # never read outside the corpus, whatever a source claims
        stat = path.stat()
        cached = self._cache.get(source)
        if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
            return cached[2]
        try:
            text = decode(path.read_bytes(), path.suffix.lower())
        except (UnreadableFile, OSError):
            return None
        self._cache[source] = (stat.st_mtime_ns, stat.st_size, text)
        return text

    def is_exact(self, citation: Citation) -> bool:
        text = self.text(citation.source)
        return text is not None and text[citation.start : citation.end] == citation.quote


def verified(citations: list[Citation], sources: SourceTexts) -> list[Citation]:
    """Only the citations whose quote is exactly file_text[start:end]."""
    return [citation for citation in citations if sources.is_exact(citation)]
