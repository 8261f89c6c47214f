"""Run the benchmark size by size and yield one figure at a time.

Each phase runs in its own process (see worker.py) against a store built for that size; cold-start
figures time whole `corpusqa` processes, as a user would start them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from corpusqa.bench import corpus as bench_corpus
from corpusqa.settings import Settings

# What the plain LlamaIndex phase imports beyond corpusqa's own dependencies (the bench extra).
LLAMAINDEX_MODULES = ("llama_index.embeddings.huggingface", "llama_index.vector_stores.chroma")
CORPUSQA = [sys.executable, "-m", "corpusqa.cli"]
COLD_RUNS = 3  # whole-process timings: the median of three
READY_TIMEOUT_S = 600


@dataclass(frozen=True)
class BenchOptions:
    sizes: list[int]
    workdir: Path
    questions: Path
    articles: Path
    chunk_size: int
    encode_sample: int
    llamaindex_max: int
    reuse_store: bool = False


def figure(name: str, value: float, unit: str, size: int, **extra: Any) -> dict[str, Any]:
    rounded = round(value, 4) if isinstance(value, float) else value
    return {"name": name, "value": rounded, "unit": unit, "size": size, **extra}


def run(settings: Settings, options: BenchOptions) -> Iterator[dict[str, Any]]:
    for size in options.sizes:
        yield from _one_size(settings, options, size)


def _one_size(settings: Settings, options: BenchOptions, size: int) -> Iterator[dict[str, Any]]:
    overlap = options.chunk_size // 5
    work = options.workdir / f"size-{size}"
    _say(f"size {size}: building the corpus")
    built = bench_corpus.build(work / "corpus", size, options.articles, options.chunk_size, overlap)
    yield figure("corpus_files", built.files, "files", size)
    store = work / "store"
    reuse = options.reuse_store and (store / "chroma.sqlite3").exists()
    env = _env(settings, built.path, store, options.chunk_size, overlap)
    args = {"questions": str(options.questions.resolve()), "scratch": str(work / "scratch")}
    ingest_s = None
    if reuse:
        _say(f"size {size}: reusing the store of an earlier run (no ingest figures)")
    else:
        shutil.rmtree(store, ignore_errors=True)
        _say(f"size {size}: ingest ({built.chunks} chunks) and a bare encode")
        ingest = _phase("ingest", env, {**args, "encode_sample": options.encode_sample})
        yield from _ingest_figures(ingest, size)
        ingest_s = ingest["ingest_s"]

    _say(f"size {size}: dense recall against exact search")
    recall = _phase("recall", env, args)
    yield figure(
        "dense_recall_at_10",
        recall["recall"],
        "recall",
        size,
        queries=recall["queries"],
        ef_search=settings.hnsw_ef_search,
    )
    yield figure(
        "dense_recall_at_10_chroma_defaults", recall["recall_chroma_defaults"], "recall", size
    )

    _say(f"size {size}: warm answers")
    serve = _phase("serve", env, args)
    for name in ("answer_p50_ms", "answer_p95_ms", "search_p50_ms", "search_p95_ms"):
        yield figure(name, serve[name], "ms", size)
    yield figure("answer_accuracy", serve["answer_accuracy"], "share", size)
    yield figure("refusal_accuracy", serve["refusal_accuracy"], "share", size)
    yield figure("peak_rss_mb", serve["peak_rss_mb"], "MB", size, process="serve")

    _say(f"size {size}: cold start")
    question = _first_question(options.questions)
    yield figure("cold_ask_s", _cold_command(env, ["ask", question, "--json"]), "s", size)
    yield figure("cold_search_s", _cold_command(env, ["search", question, "--json"]), "s", size)
    yield figure("chat_ready_s", _chat_ready_s(env), "s", size)

    if size <= options.llamaindex_max and ingest_s is not None:
        yield from _llamaindex_figures(env, args, size, ingest_s)


def missing_modules(names: tuple[str, ...]) -> list[str]:
    """The modules that cannot be imported (find_spec raises when a parent package is missing)."""
    missing = []
    for name in names:
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(name)
    return missing


def _llamaindex_figures(
    env: dict[str, str], args: dict[str, Any], size: int, ingest_s: float
) -> Iterator[dict[str, Any]]:
    """The plain LlamaIndex comparison: optional, so a missing package costs one line, not a run."""
    missing = missing_modules(LLAMAINDEX_MODULES)
    if missing:
        _say(
            f"size {size}: plain LlamaIndex comparison skipped: {', '.join(missing)} not "
            "installed (pip install -e '.[bench]', which `make bench` does)"
        )
        return
    _say(f"size {size}: plain LlamaIndex pipeline")
    try:
        plain = _phase("llamaindex", env, args)
    except RuntimeError as error:
        _say(f"size {size}: plain LlamaIndex comparison skipped: {error}")
        return
    yield figure("llamaindex_chunks", plain["chunks"], "chunks", size)
    yield figure("llamaindex_ingest_chunks_per_s", plain["ingest_chunks_per_s"], "chunks/s", size)
    yield figure("llamaindex_ingest_s", plain["ingest_s"], "s", size)
    # Same files, different chunkers: compare the time to ingest the corpus, not chunks/s.
    yield figure(
        "llamaindex_over_corpusqa_ingest_time",
        plain["ingest_s"] / ingest_s,
        "ratio",
        size,
    )
    yield figure("llamaindex_query_p50_ms", plain["query_p50_ms"], "ms", size)
    yield figure("llamaindex_query_p95_ms", plain["query_p95_ms"], "ms", size)
    yield figure("peak_rss_mb", plain["peak_rss_mb"], "MB", size, process="llamaindex")


def _ingest_figures(ingest: dict[str, Any], size: int) -> Iterator[dict[str, Any]]:
    yield figure("chunks", ingest["chunks"], "chunks", size)
    yield figure("ingest_s", ingest["ingest_s"], "s", size)
    yield figure("ingest_chunks_per_s", ingest["ingest_chunks_per_s"], "chunks/s", size)
    yield figure(
        "encode_chunks_per_s",
        ingest["encode_chunks_per_s"],
        "chunks/s",
        size,
        sample=ingest["encoded"],
    )
    ratio = ingest["ingest_chunks_per_s"] / ingest["encode_chunks_per_s"]
    yield figure("ingest_vs_encode_ratio", ratio, "ratio", size)
    yield figure("peak_rss_mb", ingest["peak_rss_mb"], "MB", size, process="ingest")


def _env(
    settings: Settings, corpus: Path, store: Path, chunk_size: int, overlap: int
) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CORPUSQA_")}
    env.update(
        CORPUSQA_EMBEDDING_MODEL=settings.embedding_model,
        CORPUSQA_CORPUS_DIR=str(corpus.resolve()),
        CORPUSQA_STORE_DIR=str(store.resolve()),
        CORPUSQA_CHUNK_SIZE=str(chunk_size),
        CORPUSQA_CHUNK_OVERLAP=str(overlap),
        CORPUSQA_GENERATOR="extractive",
        CORPUSQA_HNSW_EF_SEARCH=str(settings.hnsw_ef_search),
        CORPUSQA_HNSW_EF_CONSTRUCTION=str(settings.hnsw_ef_construction),
        CORPUSQA_HNSW_MAX_NEIGHBORS=str(settings.hnsw_max_neighbors),
    )
    return env


def _phase(name: str, env: dict[str, str], args: dict[str, Any]) -> dict[str, Any]:
    command = [sys.executable, "-m", "corpusqa.bench.worker", name, json.dumps(args)]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench phase '{name}' failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _cold_command(env: dict[str, str], arguments: list[str]) -> float:
    """Wall time of whole `corpusqa` processes (file cache warm), median of COLD_RUNS."""
    times = []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        subprocess.run([*CORPUSQA, *arguments], env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _chat_ready_s(env: dict[str, str]) -> float:
    """From `corpusqa serve` starting to its page answering HTTP 200."""
    with open(os.devnull, "w") as log:
        server, _, seconds = start_chat(env, log)
        server.terminate()
        server.wait(timeout=30)
    return seconds


def start_chat(
    env: dict[str, str],
    log: IO[Any],
    ready_timeout_s: float = READY_TIMEOUT_S,
    serve_args: Sequence[str] = (),
) -> tuple[subprocess.Popen[bytes], str, float]:
    """`corpusqa serve` on a free port (127.0.0.1 unless serve_args say otherwise); returns
    once its page answers HTTP 200 on 127.0.0.1, with the process, its URL and the seconds."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    server = subprocess.Popen(
        [*CORPUSQA, "serve", "--port", str(port), *serve_args], env=env, stdout=log, stderr=log
    )
    try:
        wait_until(lambda: answers_http(url), server, ready_timeout_s, "corpusqa serve", 0.1)
    except RuntimeError:
        server.kill()
        raise
    return server, url, time.perf_counter() - started


def wait_until(
    ready: Callable[[], bool],
    process: subprocess.Popen[Any],
    seconds: float,
    what: str,
    poll_s: float = 0.3,
) -> None:
    """Return once ready() is true; RuntimeError if the process exits first or time runs out.
    (The one wait-until-ready loop: the bench, the chat tests, the model-server tests.)"""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited before it was ready")
        if ready():
            return
        time.sleep(poll_s)
    raise RuntimeError(f"{what} was not ready in {seconds:g} s")


def answers_http(url: str) -> bool:
    """Whether url answers HTTP 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _first_question(path: Path) -> str:
    from corpusqa.eval.questions import load

    return load(path).questions[0].question


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
