"""Every command against a real Chroma server (`chroma run` on 127.0.0.1) instead of a folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS, free_port, run_cli

from corpusqa.settings import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "data" / "eval" / "questions.jsonl"

pytestmark = pytest.mark.slow


def corpusqa(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env, timeout=600)


def test_ingest_search_ask_eval_against_a_chroma_server(chroma_port: int, tmp_path: Path) -> None:
    env = {
        "CORPUSQA_CHROMA_HOST": "127.0.0.1",
        "CORPUSQA_CHROMA_PORT": str(chroma_port),
        "CORPUSQA_COLLECTION": "server_e2e",
        "CORPUSQA_CORPUS_DIR": str(CORPUS),
        "CORPUSQA_STORE_DIR": str(tmp_path / "local"),  # only the BM25 cache and the lock
    }
    ingested = corpusqa(env, "ingest", "--json")
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["chunks_total"] > 0
    assert not (tmp_path / "local" / "chroma.sqlite3").exists()

    stats = json.loads(corpusqa(env, "stats", "--json").stdout)
    assert stats["files"] == 5 and stats["store"] == f"http://127.0.0.1:{chroma_port}"

    search = json.loads(corpusqa(env, "search", "--json", "Israel's ambassador to India").stdout)
    assert search[0]["source"] == "000_32508a09280337c8.txt"

    asked = json.loads(
        corpusqa(env, "ask", "--json", "Who is Israel's ambassador to India?").stdout
    )
    assert "Azar" in asked["answer"] and not asked["refused"]

    report = tmp_path / "report.json"
    evaluated = corpusqa(env, "eval", str(QUESTIONS), "--out", str(report))
    assert evaluated.returncode == 0, evaluated.stderr
    summary = json.loads(report.read_text())["summary"]
    assert summary["quote_exactness"] == 1.0 and summary["answer_accuracy"] >= 0.75


def test_unreachable_chroma_server_is_a_one_line_error(tmp_path: Path) -> None:
    env = {"CORPUSQA_CHROMA_HOST": "127.0.0.1", "CORPUSQA_CHROMA_PORT": str(free_port())}
    run = corpusqa(env, "stats")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "chroma" in run.stderr.lower()
