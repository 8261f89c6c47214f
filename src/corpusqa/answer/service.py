"""answer(): the one call behind the chat, the CLI and the evaluator."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from corpusqa.answer import evidence
from corpusqa.answer.extractive import Draft, Thresholds, draft_answer
from corpusqa.answer.question import Question, understand
from corpusqa.answer.verify import SourceTexts, verified
from corpusqa.prompts import render
from corpusqa.retrieval import Retriever
from corpusqa.settings import Settings, load_settings
from corpusqa.types import Answer, Citation, RetrievedRef

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class InvalidQuestion(ValueError):
    """The input is not a question we can search for; the message says what to do."""


class Answerer:
    """Holds the loaded model, store and indexes; answer() is cheap after the first call."""

    def __init__(self, settings: Settings, retriever: Retriever | None = None) -> None:
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self._sentence_vectors: dict[tuple[str, int, int], np.ndarray] = {}

    @cached_property
    def sources(self) -> SourceTexts:
        stored = self.retriever.store.info().get("corpus_dir")
        root = Path(stored) if stored and Path(stored).is_dir() else self.settings.corpus_dir
        return SourceTexts(root)

    def answer(self, question: str, history: Sequence[str] = ()) -> Answer:
        """Answer from the corpus only, with verified quotes; refuse when it does not say."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        cleaned, notice = self._checked(question)
        asked = understand(cleaned, [self._checked(h)[0] for h in history if h and h.strip()])
        timings["understand"] = _ms_since(started)
        if not asked.has_content:
            result = self._refusal(asked, Draft(True), notice or self._instructions_notice(asked))
        else:
            result = self._answer_from_corpus(asked, timings, notice)
        result.latency_ms = _ms_since(started)
        result.timings_ms = timings
        return result

    def warm_up(self) -> None:
        self.retriever.warm_up()

    def _checked(self, question: str) -> tuple[str, str]:
        text = unicodedata.normalize("NFC", _CONTROL.sub(" ", question or "")).strip()
        if not text:
            raise InvalidQuestion("Type a question about the articles.")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            return text[:limit], f"Your question was cut to its first {limit} characters."
        return text, ""

    def _answer_from_corpus(
        self, asked: Question, timings: dict[str, float], notice: str
    ) -> Answer:
        clock = time.perf_counter()
        passages = self.retriever.search(asked.standalone, self.settings.top_k)
        timings["retrieve"] = _ms_since(clock)
        clock = time.perf_counter()
        ranked = evidence.score(
            asked.standalone,
            self.retriever.embed_query(asked.standalone),
            evidence.sentences_of(passages),
            self.retriever.embedder,
            self._sentence_vectors,
        )
        draft = draft_answer(asked.standalone, ranked, passages, self._thresholds())
        timings["select"] = _ms_since(clock)
        clock = time.perf_counter()
        notice = notice or self._instructions_notice(asked)
        result = (
            self._refusal(asked, draft, notice)
            if draft.refused
            else self._cited(asked, draft, notice)
        )
        result.retrieved = [
            RetrievedRef(source=p.source, start=p.start, end=p.end, score=p.score, title=p.title)
            for p in passages
        ]
        timings["verify"] = _ms_since(clock)
        return result

    def _thresholds(self) -> Thresholds:
        return Thresholds(self.settings.refusal_min_score, self.settings.refusal_min_coverage)

    def _cited(self, asked: Question, draft: Draft, notice: str) -> Answer:
        numbers: dict[tuple[str, int, int], int] = {}
        citations: list[Citation] = []
        pieces: list[str] = []
        for part in draft.parts:
            if part.sentence is None:
                pieces.append(part.text)
                continue
            citation = self._citation(part.sentence, len(numbers) + 1)
            if not verified([citation], self.sources):
                continue  # a quote that is not an exact span is never shown
            n = numbers.setdefault(part.sentence.key, citation.n)
            if n == citation.n:
                citations.append(citation)
            pieces.append(f"{part.text} [{n}]")
        if not citations:
            return self._refusal(asked, Draft(True), notice)
        return Answer(
            question=asked.original,
            answer=" ".join(pieces),
            refused=False,
            citations=citations,
            standalone_question=asked.standalone,
            notice=notice,
        )

    def _refusal(self, asked: Question, draft: Draft, notice: str) -> Answer:
        if draft.reason.startswith("mention "):
            name = draft.reason.removeprefix("mention ")
            text = render(
                self.settings.prompts_dir, "refusal_unmentioned", name=name, question=asked.original
            )
        else:
            text = render(self.settings.prompts_dir, "refusal", question=asked.original)
        related = [self._citation(s, n) for n, s in enumerate(draft.related, start=1)]
        return Answer(
            question=asked.original,
            answer=text,
            refused=True,
            related=verified(related, self.sources),
            standalone_question=asked.standalone,
            notice=notice,
        )

    def _instructions_notice(self, asked: Question) -> str:
        if not asked.instructions_removed:
            return ""
        return render(self.settings.prompts_dir, "instructions_ignored")

    @staticmethod
    def _citation(sentence: evidence.Sentence, n: int) -> Citation:
        return Citation(
            n=n,
            source=sentence.source,
            title=sentence.title,
            quote=sentence.text,
            start=sentence.start,
            end=sentence.end,
        )


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


_answerers: dict[str, Answerer] = {}


def get_answerer(settings: Settings | None = None) -> Answerer:
    """One Answerer per distinct settings per process, so models load once."""
    settings = settings or load_settings()
    key = settings.model_dump_json()
    if key not in _answerers:
        _answerers[key] = Answerer(settings)
    return _answerers[key]


def answer(question: str, history: Sequence[str] = (), settings: Settings | None = None) -> Answer:
    """Answer a question from the corpus. See Answerer.answer."""
    return get_answerer(settings).answer(question, history)
