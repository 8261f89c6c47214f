"""The default generator: no model; the answer is the verbatim sentences the answerer selected."""

from __future__ import annotations

from collections.abc import Iterator

from corpusqa.generate.base import GenerationRequest, Generator


class ExtractiveGenerator(Generator):
    uses_model = False

    @property
    def label(self) -> str:
        return "extractive"

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        yield request.draft
