"""Shared fixtures: a real store of the default corpus, built once per test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from corpusqa.answer.service import Answerer
from corpusqa.answer.verify import SourceTexts
from corpusqa.bench.run import free_port, start_chat, wait_until
from corpusqa.ingest.pipeline import ingest
from corpusqa.settings import PROJECT_ROOT, Settings, load_settings
from corpusqa.types import Answer, AnswerDelta

CORPUS = PROJECT_ROOT / "data" / "articles"
# The test settings profile: the developer's own CORPUSQA_* variables and corpusqa.toml must not
# reach the tests (a CORPUSQA_GENERATOR=openai would change every answer). CORPUSQA_CHROMIUM
# only says where the browser is.
for _name in [n for n in os.environ if n.startswith("CORPUSQA_") and n != "CORPUSQA_CHROMIUM"]:
    del os.environ[_name]
os.environ["CORPUSQA_CONFIG"] = os.devnull  # an empty config file: defaults and test overrides
# A test using any of these loads the real embedding model (or starts a server): it is left out
# of the fast tier (`make test-fast`: pytest -m "not slow and not model").
MODEL_FIXTURES = frozenset(
    {"store_settings", "answerer", "scratch_settings", "chroma_port", "app_url", "chat", "page"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


def assert_quotes_exact(result: Answer, sources: SourceTexts) -> None:
    """The invariant: every quote shown is exactly file_text[start:end], the file read as ingest
    reads it (the library's own verifier: .html is decoded as ingest decodes it)."""
    for citation in [*result.citations, *result.related]:
        assert sources.is_exact(citation), citation


@pytest.fixture(scope="session", autouse=True)
def every_answer_is_checked() -> Iterator[None]:
    """Wrap Answerer.stream (which answer() runs on) for the whole session, so every answer any
    test produces, streamed or not, is verified."""
    original = Answerer.stream

    def checked(self: Answerer, *args: Any, **kwargs: Any) -> Iterator[AnswerDelta | Answer]:
        for event in original(self, *args, **kwargs):
            if isinstance(event, Answer):
                assert_quotes_exact(event, self.sources)
                if not event.refused:
                    assert event.citations, "an answer without a citation must be a refusal"
            yield event

    Answerer.stream = checked  # type: ignore[method-assign]
    yield
    Answerer.stream = original  # type: ignore[method-assign]


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


FAKE_EMBEDDER = "fakes:WordHashEmbedder"


@pytest.fixture(scope="session")
def fake_store_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The five default articles in a store embedded by the fake embedder (fast tier)."""
    root = tmp_path_factory.mktemp("fake-default")
    settings = load_settings(
        store_dir=root / "store", corpus_dir=CORPUS, embedding_model=FAKE_EMBEDDER
    )
    ingest(settings)
    return settings


@pytest.fixture
def fake_scratch_settings(tmp_path: Path, corpus_copy: Path) -> Settings:
    """A writable corpus copy and an empty store, both for the fake embedder (fast tier)."""
    return load_settings(
        store_dir=tmp_path / "store", corpus_dir=corpus_copy, embedding_model=FAKE_EMBEDDER
    )


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the default corpus for tests that change files."""
    target = tmp_path / "articles"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def scratch_settings(tmp_path: Path, corpus_copy: Path) -> Settings:
    return load_settings(store_dir=tmp_path / "store", corpus_dir=corpus_copy)


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`corpusqa ARGS` as a user runs it: a real process, env added to this one's."""
    return subprocess.run(
        [sys.executable, "-m", "corpusqa.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def http_get(url: str) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@contextmanager
def running_app(settings: Settings, serve_args: Sequence[str] = (), **env: str) -> Iterator[str]:
    """`corpusqa serve` as a real subprocess (127.0.0.1 unless serve_args say otherwise);
    yields its URL, stops it after."""
    environment = {
        **os.environ,
        "CORPUSQA_STORE_DIR": str(settings.store_dir),
        "CORPUSQA_CORPUS_DIR": str(settings.corpus_dir),
        **env,
    }
    log = settings.store_dir.parent / f"serve-{time.monotonic_ns()}.log"
    # A file, not a pipe: a server that logs into a pipe nobody reads blocks once it is full.
    with log.open("w") as output:
        try:
            process, url, _ = start_chat(environment, output, 120, serve_args)
        except RuntimeError as error:
            raise RuntimeError(f"{error}: {log.read_text()[-2000:]}") from None
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> None:
    def listening() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_until(listening, process, seconds, "the server", 0.5)
    except RuntimeError as error:
        raise RuntimeError(f"{error}: {log.read_text()[-2000:]}") from None


@contextmanager
def chroma_server(data_dir: Path) -> Iterator[int]:
    """A real `chroma run` server on 127.0.0.1 (its own data folder); stopped by pid after."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma), "run", "--path", str(data_dir), "--host", "127.0.0.1"]
    log = data_dir / "chroma.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=output,
            stderr=output,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
    try:
        _wait_for(port, process, log)
        yield port
    finally:
        os.kill(process.pid, 9)
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port
