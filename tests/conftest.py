"""Shared fixtures: a real store of the default corpus, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpusqa.answer.service import Answerer
from corpusqa.ingest.pipeline import ingest
from corpusqa.settings import PROJECT_ROOT, Settings, load_settings
from corpusqa.types import Answer

CORPUS = PROJECT_ROOT / "data" / "articles"


def assert_quotes_exact(result: Answer, corpus: Path) -> None:
    """The invariant: every quote shown is exactly file_text[start:end] (file read as UTF-8)."""
    for citation in [*result.citations, *result.related]:
        text = (corpus / citation.source).read_text(encoding="utf-8")
        assert text[citation.start : citation.end] == citation.quote, citation


@pytest.fixture(scope="session", autouse=True)
def every_answer_is_checked() -> None:
    """Wrap answer() for the whole session, so every answer any test produces is verified."""
    original = Answerer.answer

    def checked(self: Answerer, question: str, history=()) -> Answer:  # type: ignore[no-untyped-def]
        result = original(self, question, history)
        assert_quotes_exact(result, self.sources.root)
        if not result.refused:
            assert result.citations, "an answer without a citation must be a refusal"
        return result

    Answerer.answer = checked  # type: ignore[method-assign]
    yield
    Answerer.answer = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def store_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings pointing at a fresh store holding the five default articles."""
    root = tmp_path_factory.mktemp("default")
    settings = load_settings(store_dir=root / "store", corpus_dir=CORPUS)
    ingest(settings)
    return settings


@pytest.fixture(scope="session")
def answerer(store_settings: Settings) -> Answerer:
    return Answerer(store_settings)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the default corpus for tests that change files."""
    target = tmp_path / "articles"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def scratch_settings(tmp_path: Path, corpus_copy: Path) -> Settings:
    return load_settings(store_dir=tmp_path / "store", corpus_dir=corpus_copy)
