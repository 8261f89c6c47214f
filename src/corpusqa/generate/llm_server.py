"""Serve a GGUF file over the OpenAI protocol with xllamacpp, for the 'openai' generator to use."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from corpusqa.errors import SettingsError


def start(gguf: Path, host: str, port: int, threads: int, context: int) -> Any:
    """A running llama.cpp server (stops when the returned object is garbage-collected)."""
    if not gguf.is_file():
        raise SettingsError(f"GGUF file not found: {gguf} (set --gguf or CORPUSQA_GGUF_PATH)")
    try:
        import xllamacpp
    except ImportError:
        raise SettingsError("llm-server needs xllamacpp: pip install xllamacpp") from None
    params = xllamacpp_params(xllamacpp, gguf, threads, context)
    params.hostnames = [host]
    params.port = port
    return xllamacpp.Server(params)


def xllamacpp_params(xllamacpp: Any, gguf: Path, threads: int, context: int) -> Any:
    """The model, context and threads of an xllamacpp server (in-process or on a port)."""
    params = xllamacpp.CommonParams()
    params.model.path = str(gguf)
    params.n_ctx = context
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.verbosity = -1
    return params


def serve_forever(gguf: Path, host: str, port: int, threads: int, context: int) -> None:
    server = start(gguf, host, port, threads, context)
    print(f"llama.cpp server for {gguf.name} at {server.listening_address}/v1", flush=True)
    try:
        threading.Event().wait()
    finally:
        del server
