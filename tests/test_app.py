"""The real Gradio app on 127.0.0.1, called through gradio_client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from corpusqa.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(store_settings: Settings) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "CORPUSQA_STORE_DIR": str(store_settings.store_dir),
        "CORPUSQA_CORPUS_DIR": str(store_settings.corpus_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "corpusqa.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(port, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited: {process.stdout.read() if process.stdout else ''}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise TimeoutError("the app did not start")


def test_gradio_client_gets_an_answer_with_citations(app_url: str) -> None:
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    result = client.predict("Who is Israel's ambassador to India?", [], api_name="/answer")
    assert not result["refused"]
    assert "Azar" in result["answer"]
    assert result["citations"][0]["source"] == "000_32508a09280337c8.txt"


def test_gradio_client_gets_a_refusal_and_a_clear_error(app_url: str) -> None:
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    refusal = client.predict("What is the capital of Australia?", [], api_name="/answer")
    assert refusal["refused"] and refusal["citations"] == []
    assert client.predict("   ", [], api_name="/answer") == {
        "error": "Type a question about the articles."
    }
