"""The typed values that flow between stages: documents, chunks, passages and answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field


@dataclass(frozen=True)
class Document:
    """One article as read: `text` is what every offset of its chunks and quotes refers to."""

    source: str  # path relative to the corpus root, with forward slashes
    text: str
    sha256: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ArticleMeta:
    title: str
    date: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class Chunk:
    """A contiguous span of a document: document.text[start:end] == text."""

    id: str
    source: str
    start: int
    end: int
    text: str
    index: int
    meta: ArticleMeta = field(default_factory=lambda: ArticleMeta(title=""))

    def metadata(self) -> dict[str, str | int]:
        return {
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "chunk_index": self.index,
            "title": self.meta.title,
            "date": self.meta.date,
            "publisher": self.meta.publisher,
        }


class Passage(BaseModel):
    """A retrieved chunk with the scores that ranked it."""

    id: str
    source: str
    start: int
    end: int
    text: str
    title: str = ""
    date: str = ""
    publisher: str = ""
    score: float = Field(description="Fused reciprocal-rank score; higher is better.")
    dense_score: float | None = Field(None, description="Cosine similarity to the query.")
    bm25_score: float | None = None


class RetrievedRef(BaseModel):
    source: str
    start: int
    end: int
    score: float
    title: str = ""
    text: str = Field("", description="The passage text, for readers who want to see why.")


class Citation(BaseModel):
    n: int
    source: str
    title: str
    quote: str
    start: int
    end: int


class ShortAnswer(BaseModel):
    """The words that answer, inside the quote of citation n: file_text[start:end] == text."""

    text: str
    n: int = Field(description="The citation whose quote contains it.")
    source: str
    start: int
    end: int


class Answer(BaseModel):
    """What answer() returns to every front end; JSON-serialisable, never parsed from text."""

    question: str
    answer: str
    refused: bool
    short_answer: ShortAnswer | None = Field(
        None, description="The span that answers a factoid question, inside the first quote."
    )
    confidence: float | None = Field(
        None, description="The confidence model's probability that the answer is right."
    )
    refusal_reason: str | None = Field(
        None, description="Why it was refused (answer.refusal.RefusalReason), when refused."
    )
    citations: list[Citation] = []
    retrieved: list[RetrievedRef] = []
    related: list[Citation] = Field(
        default=[], description="On a refusal: nearest passages, explicitly not an answer."
    )
    standalone_question: str = Field("", description="The question as searched (follow-ups).")
    generator: str = Field(
        "extractive",
        description="Who wrote the text: 'extractive', a model label such as 'openai:smollm2', or "
        "'extractive (fallback from …)' when the model's answer could not be used.",
    )
    unsupported: list[str] = Field(
        default=[],
        description="Sentences a model wrote that its cited passages don't support; removed.",
    )
    notice: str = Field("", description="A note for the reader, e.g. why a fallback happened.")
    scope: list[str] = Field(
        default=[], description="The articles (file names) the answer was limited to; [] is all."
    )
    latency_ms: float = 0.0
    timings_ms: dict[str, float] = {}


class ArticleInfo(BaseModel):
    """One article of the corpus as the Articles panel and `/articles` show it."""

    source: str = Field(description="The file name inside the corpus folder; citations use it.")
    title: str = ""
    publisher: str = ""
    date: str = ""
    chunks: int = 0
    size: int = 0
    indexed_at: str = Field("", description="When its chunks were written (UTC, ISO 8601).")


class EditResult(BaseModel):
    """What adding or removing did to one file."""

    file: str
    outcome: str = Field(description="'added', 'updated', 'removed' or 'skipped'.")
    detail: str = Field("", description="Why it was skipped, or what else happened.")


class AnswerDelta(BaseModel):
    """A piece of answer text as it is produced; the Answer that follows is authoritative."""

    text: str
