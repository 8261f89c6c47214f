"""A running chat stays right while another process edits, removes and adds articles."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli, running_app

from corpusqa.settings import Settings

pytestmark = pytest.mark.slow

AMBASSADOR_FILE = "000_32508a09280337c8.txt"
NEW_ARTICLE = """Glimmerton opens its river bridge

The mayor of Glimmerton, Ada Quistel, said the new bridge over the Varn river will open to traffic
in March, two years after the old crossing was closed by floods.
"""
# Asked in other words than the file uses: found by meaning, not by copied text.
QUESTIONS = [
    "Who is Israel's ambassador to India?",  # its article is edited
    "Who said that disarming Hamas is not Pakistan's responsibility?",  # its article is removed
    "Who leads the town of Glimmerton?",  # its article is added
]


def store_env(settings: Settings) -> dict[str, str]:
    return {
        "CORPUSQA_STORE_DIR": str(settings.store_dir),
        "CORPUSQA_CORPUS_DIR": str(settings.corpus_dir),
    }


def ask_fresh(settings: Settings, question: str) -> dict[str, Any]:
    done = run_cli("ask", "--json", question, env=store_env(settings))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def essentials(result: dict[str, Any]) -> tuple[Any, ...]:
    return (result["refused"], result["answer"], [c["source"] for c in result["citations"]])


def ask_chat(client: Any, question: str) -> dict[str, Any]:
    return client.predict(question, [], api_name="/answer")


def test_chat_answers_like_a_fresh_process_after_another_process_ingests(
    scratch_settings: Settings,
) -> None:
    from gradio_client import Client

    corpus = Path(scratch_settings.corpus_dir)
    env = store_env(scratch_settings)
    assert run_cli("ingest", env=env).returncode == 0
    with running_app(scratch_settings) as url:
        client = Client(url, verbose=False)
        assert "Azar" in ask_chat(client, QUESTIONS[0])["answer"]  # the old revision is loaded
        edited = corpus / AMBASSADOR_FILE
        edited.write_text(edited.read_text().replace("Reuven Azar", "Reuven Azaria"))
        (corpus / "001_3a4324403ecdb4af.txt").unlink()
        (corpus / "glimmerton.txt").write_text(NEW_ARTICLE)
        ingested = run_cli("ingest", env=env)
        assert ingested.returncode == 0, ingested.stderr
        time.sleep(2.5)  # the chat re-checks the store's revision every 2 s
        for question in QUESTIONS:
            in_chat = ask_chat(client, question)
            assert "error" not in in_chat or not in_chat["error"], in_chat
            assert essentials(in_chat) == essentials(ask_fresh(scratch_settings, question))
        assert "Azaria" in ask_chat(client, QUESTIONS[0])["answer"]
        added = ask_chat(client, QUESTIONS[2])
        assert added["retrieved"][0]["source"] == "glimmerton.txt"  # dense and BM25 both see it
        assert added.get("refusal_reason") != "unmentioned"
