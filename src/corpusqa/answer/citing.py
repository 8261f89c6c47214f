"""Citation numbering: [n] markers in order of first use, given only to exact quotes."""

from __future__ import annotations

from corpusqa.answer.compose import ShortSpan
from corpusqa.answer.evidence import Sentence
from corpusqa.answer.verify import SourceTexts, verified
from corpusqa.types import Citation, ShortAnswer


class CitedText:
    """Answer text with [n] markers numbered in order of first use; only exact quotes get one."""

    def __init__(self, sources: SourceTexts) -> None:
        self.sources = sources
        self.numbers: dict[tuple[str, int, int], int] = {}
        self.citations: list[Citation] = []
        self.pieces: list[str] = []

    def add(self, text: str, sentence: Sentence | None) -> str:
        """Append a piece; returns what was appended ('' when its quote failed verification)."""
        if sentence is None:
            piece = text
        else:
            n = self.numbers.get(sentence.key)
            if n is None:
                citation = citation_of(sentence, len(self.citations) + 1)
                if not verified([citation], self.sources):
                    return ""  # a quote that is not an exact span is never shown
                n = self.numbers[sentence.key] = citation.n
                self.citations.append(citation)
            piece = f"{text} [{n}]"
        self.pieces.append(piece)
        return piece

    def short_answer(self, span: ShortSpan | None) -> ShortAnswer | None:
        """The short answer, if its sentence was cited and the span is exact in the file."""
        if span is None or (n := self.numbers.get(span.sentence.key)) is None:
            return None
        start = span.sentence.start + span.start
        end = span.sentence.start + span.end
        text = self.sources.text(span.sentence.source)
        if text is None or text[start:end] != span.text or not span.text.strip():
            return None
        return ShortAnswer(text=span.text, n=n, source=span.sentence.source, start=start, end=end)

    @property
    def text(self) -> str:
        return " ".join(self.pieces)


def citation_of(sentence: Sentence, n: int) -> Citation:
    return Citation(
        n=n,
        source=sentence.source,
        title=sentence.title,
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
    )
