"""Load test of the chat: concurrent gradio_client sessions, then one session during an ingest.

    python scripts/loadtest.py [--sessions 20] [--per-session 10] [--json]

Starts `corpusqa serve` on 127.0.0.1 over a scratch copy of the default corpus, asks from the
default question set (follow-ups with their history), and prints one JSON line per figure:
errors, latency p50/p95, throughput, and the server's memory. Every request has a time limit and
goes to 127.0.0.1 only. This is a measurement, not a test: it asserts nothing about speed, and
exits 1 only when a request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpusqa.bench.run import CORPUSQA, start_chat

ROOT = Path(__file__).resolve().parents[1]
REQUEST_TIMEOUT_S = 120
FILES_ADDED_DURING_INGEST = 40


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, error: str | None) -> None:
        with self.lock:
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
            if error:
                self.errors.append(error)


def main() -> int:
    args = _arguments()
    questions = _questions()
    with tempfile.TemporaryDirectory(prefix="corpusqa-load-") as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "data" / "articles", work / "corpus")
        env = {
            **os.environ,
            "CORPUSQA_CORPUS_DIR": str(work / "corpus"),
            "CORPUSQA_STORE_DIR": str(work / "store"),
            "CORPUSQA_GENERATOR": "extractive",
        }
        server, url = _start_server(env, work / "server.log")
        try:
            figures = _concurrent_sessions(url, questions, args.sessions, args.per_session)
            figures += _session_during_ingest(url, questions, args.per_session, env, work)
            figures += _memory(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    for figure in figures:
        print(
            json.dumps(figure)
            if args.json
            else f"{figure['name']:<34} {figure['value']} {figure['unit']}"
        )
    return 1 if any(f["name"].endswith("errors") and f["value"] for f in figures) else 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--per-session", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="one JSON line per figure")
    return parser.parse_args()


def _questions() -> list[tuple[str, list[str]]]:
    from corpusqa.eval.questions import load

    question_set = load(ROOT / "data" / "eval" / "questions.jsonl")
    return [(item.question, item.history) for item in question_set.questions]


def _start_server(env: dict[str, str], log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    with log_path.open("wb") as log:
        try:
            server, url, _ = start_chat(env, log)
        except RuntimeError as error:
            raise SystemExit(f"{error}: {log_path.read_text()[-2000:]}") from None
    return server, url


def _session(url: str, asked: list[tuple[str, list[str]]], tally: Tally) -> None:
    """One chat session: its own client, questions one after another, like a person."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    for question, history in asked:
        _ask(client, question, history, tally)


def _ask(client: Any, question: str, history: list[str], tally: Tally) -> None:
    started = time.perf_counter()
    try:
        reply = client.submit(question, history, api_name="/answer").result(
            timeout=REQUEST_TIMEOUT_S
        )
        ok = isinstance(reply, dict) and "answer" in reply
        error = None if ok else f"bad reply: {reply!r:.200}"
    except Exception as failure:  # counted and reported, never raised: the run goes on
        error = f"{type(failure).__name__}: {failure}"
    tally.record(started, error)


def _assignments(questions: list, sessions: int, per_session: int) -> list[list]:
    return [
        [questions[(s * per_session + i) % len(questions)] for i in range(per_session)]
        for s in range(sessions)
    ]


def _concurrent_sessions(url: str, questions: list, sessions: int, per_session: int) -> list[dict]:
    tally = Tally()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        for asked in _assignments(questions, sessions, per_session):
            pool.submit(_session, url, asked, tally)
    seconds = time.perf_counter() - started
    return _figures("load", tally, seconds, sessions=sessions)


ADDED_FACT_FILE = "added-fact.txt"
ADDED_FACT_ARTICLE = """Brindlemoor names a new harbour master

The council of Brindlemoor appointed Oskar Velt as harbour master on Tuesday; he will oversee
the fishing port's reopening after the winter storms damaged its north pier.
"""
ADDED_FACT_QUESTION = "Who will run the port of Brindlemoor?"
ADDED_FACT_ANSWER = "Oskar Velt"


def _session_during_ingest(
    url: str, questions: list, per_session: int, env: dict[str, str], work: Path
) -> list[dict]:
    """One session while `corpusqa ingest` adds files to the store the app is serving."""
    import random

    from gradio_client import Client

    from corpusqa.bench.corpus import SEED, filler_article, prose_sentences

    rng, pool = random.Random(SEED), prose_sentences()
    for number in range(FILES_ADDED_DURING_INGEST):
        text = filler_article(rng, pool, number)
        (work / "corpus" / f"added-{number:03d}.txt").write_text(text, encoding="utf-8")
    (work / "corpus" / ADDED_FACT_FILE).write_text(ADDED_FACT_ARTICLE, encoding="utf-8")
    ingest = subprocess.Popen(
        [*CORPUSQA, "ingest", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    tally = Tally()
    started = time.perf_counter()
    cycle = _assignments(questions, 1, per_session)[0]
    asked = 0
    # Ask one after another until the ingest is over, and at least per_session questions.
    client = Client(url, verbose=False)
    while ingest.poll() is None or asked < per_session:
        _ask(client, *cycle[asked % len(cycle)], tally)
        asked += 1
    seconds = time.perf_counter() - started
    out, err = ingest.communicate(timeout=600)
    ingest_errors = [] if ingest.returncode == 0 else [err.decode()[-500:]]
    tally.errors += ingest_errors
    figures = _figures("during_ingest", tally, seconds, sessions=1)
    figures.append(_new_file_cited(client))
    summary = json.loads(out) if ingest.returncode == 0 else {}
    figures.append(
        {"name": "during_ingest_files_added", "value": summary.get("added", 0), "unit": "files"}
    )
    return figures


def _new_file_cited(client: Any) -> dict:
    """Does the serving app, without a restart, answer from a file the other process added?

    Asked in other words than the file uses, so that it is found by meaning (the dense index
    must have been reopened), not by a copied sentence that BM25 alone would find.
    """
    time.sleep(3)  # the app re-checks the store's revision every 2 s
    reply = client.predict(ADDED_FACT_QUESTION, [], api_name="/answer")
    cited = {c["source"] for c in reply.get("citations", [])}
    found = ADDED_FACT_FILE in cited and ADDED_FACT_ANSWER in reply.get("answer", "")
    return {"name": "after_ingest_new_file_cited", "value": int(found), "unit": "bool"}


def _figures(prefix: str, tally: Tally, seconds: float, sessions: int) -> list[dict]:
    from corpusqa.eval.metrics import percentile

    for error in tally.errors[:5]:
        print(f"loadtest: {prefix} error: {error}", file=sys.stderr)
    return [
        {"name": f"{prefix}_sessions", "value": sessions, "unit": "sessions"},
        {"name": f"{prefix}_requests", "value": len(tally.latencies_ms), "unit": "requests"},
        {"name": f"{prefix}_errors", "value": len(tally.errors), "unit": "requests"},
        {
            "name": f"{prefix}_latency_p50_ms",
            "value": percentile(tally.latencies_ms, 0.5),
            "unit": "ms",
        },
        {
            "name": f"{prefix}_latency_p95_ms",
            "value": percentile(tally.latencies_ms, 0.95),
            "unit": "ms",
        },
        {
            "name": f"{prefix}_throughput",
            "value": round(len(tally.latencies_ms) / seconds, 2),
            "unit": "answers/s",
        },
    ]


def _memory(pid: int) -> list[dict]:
    status = Path(f"/proc/{pid}/status").read_text()
    values = {
        line.split(":")[0]: int(line.split()[1])
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    return [
        {"name": "server_rss_after_mb", "value": round(values["VmRSS"] / 1024, 1), "unit": "MB"},
        {"name": "server_peak_rss_mb", "value": round(values["VmHWM"] / 1024, 1), "unit": "MB"},
    ]


if __name__ == "__main__":
    sys.exit(main())
