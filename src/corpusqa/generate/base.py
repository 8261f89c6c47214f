"""The generator interface: question, history and numbered passages in; text with [n] markers out."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpusqa.errors import GeneratorError
from corpusqa.prompts import render


@dataclass(frozen=True)
class NumberedPassage:
    """A passage as the model sees it: [n] in the answer points at passage n."""

    n: int
    source: str
    title: str
    text: str


@dataclass(frozen=True)
class GenerationRequest:
    question: str
    history: Sequence[str] = ()
    passages: Sequence[NumberedPassage] = ()
    # The extractive answer written with the same passage numbers; generators that need no model
    # return it, model-backed ones ignore it.
    draft: str = ""


class Generator(ABC):
    """Writes answer text. Whatever it writes is checked against the passages before anyone sees it."""

    uses_model: bool = True

    @property
    @abstractmethod
    def label(self) -> str:
        """Short name shown in answers and reports, e.g. 'openai:smollm2'."""

    @abstractmethod
    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Answer text in pieces, as it is produced. Raises GeneratorError."""

    def generate(self, request: GenerationRequest) -> str:
        return "".join(self.stream(request))

    def condense(self, question: str, history: Sequence[str]) -> str | None:
        """The follow-up rewritten as a standalone question, or None when this generator can't."""
        return None


@dataclass
class ChatPrompts:
    """Which prompt files in prompts/ a chat model gets (chosen by name in settings)."""

    folder: Path
    answer: str = "answer"
    condense: str = "condense"


class ChatModelGenerator(Generator):
    """Shared prompting for chat models; a backend only has to stream one chat completion."""

    history_turns = 3  # the newest turns; older ones rarely matter and cost prompt tokens

    def __init__(self, label: str, prompts: ChatPrompts, timeout_s: float) -> None:
        self._label = label
        self.prompts = prompts
        self.timeout_s = timeout_s

    @property
    def label(self) -> str:
        return self._label

    @abstractmethod
    def _stream_chat(self, messages: list[dict[str, str]], max_tokens: int | None) -> Iterator[str]:
        """Deltas of one chat completion. Raises GeneratorError."""

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        prompt = render(
            self.prompts.folder,
            self.prompts.answer,
            passages=_numbered(request.passages),
            question=request.question,
        )
        yield from self._within_deadline(self._stream_chat([_user(prompt)], None))

    def condense(self, question: str, history: Sequence[str]) -> str | None:
        turns = "\n".join(f"- {turn}" for turn in list(history)[-self.history_turns :])
        prompt = render(
            self.prompts.folder, self.prompts.condense, history=turns, question=question
        )
        text = "".join(self._within_deadline(self._stream_chat([_user(prompt)], 64)))
        return text.strip().strip('"').splitlines()[0].strip() if text.strip() else None

    def _within_deadline(self, pieces: Iterator[str]) -> Iterator[str]:
        # A server that keeps sending slowly must not hold a chat turn forever.
        deadline = time.monotonic() + self.timeout_s
        for piece in pieces:
            if time.monotonic() > deadline:
                raise GeneratorError(f"{self.label} took longer than {self.timeout_s:g} s")
            yield piece


def _user(content: str) -> dict[str, str]:
    return {"role": "user", "content": content}


def _numbered(passages: Sequence[NumberedPassage]) -> str:
    return "\n\n".join(f"[{p.n}] ({p.source}) {p.text.strip()}" for p in passages)
