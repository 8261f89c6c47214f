"""Benchmark corpora: the shipped articles plus real English prose, recombined to a chunk count.

The filler prose is the Python language reference that ships with CPython (pydoc_data): real
sentences, never random words. Each filler "article" samples sentences from it with a seeded
generator, so every chunk is distinct and a size always yields the same corpus.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from corpusqa.ingest.chunking import chunk_document
from corpusqa.ingest.clean import kept_segments
from corpusqa.ingest.loaders import read_document
from corpusqa.ingest.metadata import article_meta
from corpusqa.text import sentence_spans

SEED = 20261122
SENTENCES_PER_PARAGRAPH = (3, 6)
PARAGRAPHS_PER_ARTICLE = (4, 8)
FILES_PER_FOLDER = 1000  # keeps directory listings short for 100k-chunk corpora
_PROSE_WORD = re.compile(r"""^["'(]?[A-Za-z0-9][A-Za-z0-9'’",;:.()-]*$""")
_BUILT = ".bench-corpus.json"


@dataclass(frozen=True)
class BenchCorpus:
    path: Path
    files: int
    chunks: int  # as the project's chunker cuts them with the bench settings


def prose_sentences() -> list[str]:
    """Sentences of the Python reference that read as prose (no code, no markup)."""
    from pydoc_data.topics import topics

    sentences: list[str] = []
    for text in topics.values():
        for paragraph in re.split(r"\n\s*\n", text):
            if paragraph.startswith((" ", "\t")) or ">>>" in paragraph:
                continue  # indented blocks are code or grammar
            flat = " ".join(paragraph.split())
            sentences.extend(flat[start:end] for start, end in sentence_spans(flat, 0, len(flat)))
    return sorted({s for s in sentences if _reads_as_prose(s)})


def _reads_as_prose(sentence: str) -> bool:
    words = sentence.split()
    if not 8 <= len(words) <= 60 or not sentence.endswith("."):
        return False
    return sum(bool(_PROSE_WORD.match(word)) for word in words) >= 0.85 * len(words)


def build(
    dest: Path, target_chunks: int, articles: Path, chunk_size: int, overlap: int
) -> BenchCorpus:
    """The shipped articles plus filler articles until the chunker yields target_chunks."""
    marker = dest / _BUILT
    wanted = {"target": target_chunks, "chunk_size": chunk_size, "overlap": overlap, "seed": SEED}
    if marker.is_file():
        built = json.loads(marker.read_text())
        if built["wanted"] == wanted:
            return BenchCorpus(dest, built["files"], built["chunks"])
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    files, chunks = _copy_articles(articles, dest, chunk_size, overlap)
    pool = prose_sentences()
    rng = random.Random(SEED)
    number = 0
    while chunks < target_chunks:
        path = dest / f"filler-{number // FILES_PER_FOLDER:03d}" / f"ref-{number:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(filler_article(rng, pool, number), encoding="utf-8")
        chunks += _chunk_count(path, dest, chunk_size, overlap)
        files += 1
        number += 1
    marker.write_text(json.dumps({"wanted": wanted, "files": files, "chunks": chunks}))
    return BenchCorpus(dest, files, chunks)


def _copy_articles(articles: Path, dest: Path, chunk_size: int, overlap: int) -> tuple[int, int]:
    files = chunks = 0
    for source in sorted(articles.glob("*.txt")):
        shutil.copy2(source, dest / source.name)
        files += 1
        chunks += _chunk_count(dest / source.name, dest, chunk_size, overlap)
    return files, chunks


def filler_article(rng: random.Random, pool: list[str], number: int) -> str:
    title = " ".join(rng.choice(pool).split()[:8]).rstrip(".,;:")
    paragraphs = [
        " ".join(rng.sample(pool, rng.randint(*SENTENCES_PER_PARAGRAPH)))
        for _ in range(rng.randint(*PARAGRAPHS_PER_ARTICLE))
    ]
    return f"Reference note {number}: {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def _chunk_count(path: Path, root: Path, chunk_size: int, overlap: int) -> int:
    # The same cleaner and chunker as ingest (boilerplate across files aside: filler has none).
    document = read_document(path, root)
    segments = kept_segments(document.text)
    meta = article_meta(document.text, segments)
    return len(chunk_document(document, segments, meta, chunk_size, overlap))
