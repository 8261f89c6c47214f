"""A GGUF model run in-process by llama.cpp: xllamacpp (prebuilt wheel) or llama-cpp-python."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpusqa.errors import GeneratorError, SettingsError
from corpusqa.generate.base import ChatModelGenerator, ChatPrompts

INSTALL_HINT = "pip install xllamacpp (prebuilt) or llama-cpp-python (compiles for minutes)"
_DONE = object()


class LlamaCppGenerator(ChatModelGenerator):
    def __init__(
        self,
        *,
        prompts: ChatPrompts,
        gguf_path: Path | None,
        threads: int,
        context: int,
        timeout_s: float,
        temperature: float,
        max_tokens: int,
    ) -> None:
        if gguf_path is None or not Path(gguf_path).is_file():
            raise SettingsError(
                f"the 'llamacpp' generator needs a GGUF file: set CORPUSQA_GGUF_PATH "
                f"(got {gguf_path or 'nothing'})"
            )
        super().__init__(f"llamacpp:{Path(gguf_path).name}", prompts, timeout_s)
        self.gguf_path = Path(gguf_path)
        self.threads, self.context = threads, context
        self.temperature, self.max_tokens = temperature, max_tokens
        self._engine: tuple[str, Any] | None = None
        self._lock = threading.Lock()  # one generation at a time: llama.cpp holds one context

    def _stream_chat(self, messages: list[dict[str, str]], max_tokens: int | None) -> Iterator[str]:
        request = {
            "messages": messages,
            "max_tokens": max_tokens or self.max_tokens,
            "temperature": self.temperature,
            "stream": True,
        }
        with self._lock:
            engine = self._load()
            if engine[0] == "xllamacpp":
                yield from self._stream_xllamacpp(engine[1], request)
            else:
                yield from self._stream_llama_cpp(engine[1], request)

    def _load(self) -> tuple[str, Any]:
        if self._engine is None:
            self._engine = _load_engine(self.gguf_path, self.threads, self.context)
        return self._engine

    def _stream_xllamacpp(self, server: Any, request: dict[str, Any]) -> Iterator[str]:
        # xllamacpp calls back synchronously until the completion ends; a thread turns that
        # into a stream the caller can read (and abandon at its deadline).
        chunks: queue.Queue[Any] = queue.Queue()

        def run() -> None:
            try:
                result = server.handle_chat_completions(request, chunks.put)
                if isinstance(result, dict) and "error" in result:
                    chunks.put(GeneratorError(f"{self.label} failed: {result['error']}"))
            except Exception as error:
                chunks.put(GeneratorError(f"{self.label} failed: {error}"))
            finally:
                chunks.put(_DONE)

        threading.Thread(target=run, daemon=True, name="llamacpp").start()
        while True:
            try:
                chunk = chunks.get(timeout=self.timeout_s)
            except queue.Empty:
                raise GeneratorError(
                    f"{self.label} produced nothing for {self.timeout_s:g} s"
                ) from None
            if chunk is _DONE:
                return
            if isinstance(chunk, GeneratorError):
                raise chunk
            yield _delta(chunk)

    def _stream_llama_cpp(self, llama: Any, request: dict[str, Any]) -> Iterator[str]:
        try:
            for chunk in llama.create_chat_completion(**request):
                yield _delta(chunk)
        except Exception as error:
            raise GeneratorError(f"{self.label} failed: {error}") from None


def _delta(chunk: Any) -> str:
    try:
        return chunk["choices"][0]["delta"].get("content") or ""
    except (KeyError, IndexError, TypeError, AttributeError):
        return ""


def _load_engine(gguf: Path, threads: int, context: int) -> tuple[str, Any]:
    try:
        import xllamacpp
    except ImportError:
        xllamacpp = None
    if xllamacpp is not None:
        from corpusqa.generate.llm_server import xllamacpp_params

        params = xllamacpp_params(xllamacpp, gguf, threads, context)
        try:
            return "xllamacpp", xllamacpp.Server(params)
        except Exception as error:
            raise GeneratorError(f"could not load {gguf.name}: {error}") from None
    try:
        from llama_cpp import Llama
    except ImportError:
        raise SettingsError(f"the 'llamacpp' generator needs {INSTALL_HINT}") from None
    return "llama_cpp", Llama(model_path=str(gguf), n_ctx=context, n_threads=threads, verbose=False)
