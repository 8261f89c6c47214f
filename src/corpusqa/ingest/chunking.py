"""Split kept segments into overlapping chunks on sentence boundaries, keeping exact offsets."""

from __future__ import annotations

import hashlib
import re

from corpusqa.text import estimate_tokens, sentence_spans
from corpusqa.types import ArticleMeta, Chunk, Document

_WORD_SPAN = re.compile(r"\S+")


def chunk_id(source: str, start: int, end: int, text: str) -> str:
    """Deterministic, so a re-run after a crash upserts rather than duplicates."""
    key = f"{source}\x00{start}\x00{end}\x00{text}"
    return hashlib.sha1(key.encode()).hexdigest()[:24]


def chunk_document(
    document: Document,
    segments: list[tuple[int, int]],
    meta: ArticleMeta,
    chunk_size: int,
    overlap: int,
) -> list[Chunk]:
    """Chunks of a document; document.text[chunk.start:chunk.end] == chunk.text for each."""
    spans: list[tuple[int, int]] = []
    for start, end in segments:
        sentences = _bounded_sentences(document.text, start, end, chunk_size)
        spans.extend(_pack(document.text, sentences, chunk_size, overlap))
    return [
        Chunk(
            id=chunk_id(document.source, start, end, document.text[start:end]),
            source=document.source,
            start=start,
            end=end,
            text=document.text[start:end],
            index=index,
            meta=meta,
        )
        for index, (start, end) in enumerate(spans)
    ]


def _bounded_sentences(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Sentences, with any sentence longer than a chunk cut at word boundaries."""
    bounded: list[tuple[int, int]] = []
    for sentence in sentence_spans(text, start, end):
        if estimate_tokens(text[sentence[0] : sentence[1]]) <= limit:
            bounded.append(sentence)
        else:
            bounded.extend(_word_windows(text, *sentence, limit))
    return bounded


def _word_windows(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    words_per_window = max(1, int(limit / 1.3) - 1)
    word_spans = [m.span() for m in _WORD_SPAN.finditer(text, start, end)]
    return [
        (word_spans[i][0], word_spans[min(i + words_per_window, len(word_spans)) - 1][1])
        for i in range(0, len(word_spans), words_per_window)
    ]


def _pack(
    text: str, sentences: list[tuple[int, int]], chunk_size: int, overlap: int
) -> list[tuple[int, int]]:
    """Greedy packing; each chunk restarts with the trailing sentences that fit in `overlap`."""
    tokens = [estimate_tokens(text[s:e]) for s, e in sentences]
    chunks: list[tuple[int, int]] = []
    first = 0
    while first < len(sentences):
        last, total = first, tokens[first]
        while last + 1 < len(sentences) and total + tokens[last + 1] <= chunk_size:
            last += 1
            total += tokens[last]
        chunks.append((sentences[first][0], sentences[last][1]))
        if last + 1 >= len(sentences):
            break
        first = _overlap_start(tokens, first, last, overlap)
    return chunks


def _overlap_start(tokens: list[int], first: int, last: int, overlap: int) -> int:
    start, carried = last + 1, 0
    while start - 1 > first and carried + tokens[start - 1] <= overlap:
        start -= 1
        carried += tokens[start]
    return start
