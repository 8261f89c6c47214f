"""Faults: an ingest killed with SIGKILL at several points leaves a store that answers, and the
next ingest completes it with no half file, no duplicate chunk, manifest and store agreeing."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from corpusqa.answer import Answerer
from corpusqa.ingest.pipeline import ingest
from corpusqa.settings import Settings, load_settings
from corpusqa.store import open_store

pytestmark = pytest.mark.slow

# Kill points, as (name, rows Chroma must hold before the kill, seconds to wait otherwise,
# copies of the five articles to add): while importing, while embedding (nothing written yet),
# at the first rows written, and in the middle of writing the 80-file corpus (about 600 chunks,
# one write). Each corpus is as small as its kill point allows: the next ingest embeds it all
# again, and that is most of the test's time.
KILL_POINTS = [
    ("importing", None, 1.5, 0),
    ("embedding", None, 10.0, 15),
    ("first-rows-written", 1, None, 3),
    ("mid-write", 300, None, 15),
]


def grow_corpus(corpus: Path, copies: int = 15) -> None:
    """Real prose, more of it: each article again under new names, changed enough to differ."""
    originals = sorted(corpus.glob("*.txt"))
    for copy in range(copies):
        for original in originals:
            text = original.read_text(encoding="utf-8")
            perturbed = re.sub(r"\bPakistan\b", f"Pakistan ({copy})", text, count=3)
            (corpus / f"copy{copy:02d}_{original.name}").write_text(perturbed, encoding="utf-8")


def assert_consistent(settings: Settings) -> dict[str, int]:
    """Complete manifest entries match the chunks stored for them; every stored chunk belongs to
    a listed file (complete, or pending: its writing was interrupted); chunk ids are unique."""
    store = open_store(settings)
    chunks = list(store.iter_chunks())
    ids = Counter(chunk.id for chunk in chunks)
    assert all(n == 1 for n in ids.values()), "duplicate chunk ids"
    per_file = Counter(chunk.metadata["source"] for chunk in chunks)
    records = store.files()
    assert set(per_file) <= set(records), "chunks of a file the manifest does not list"
    for source, record in records.items():
        if not record.pending:
            assert per_file[source] == record.chunks, f"{source}: manifest and store disagree"
    return dict(per_file)


def stored_rows(store_dir: Path) -> int:
    """Rows in the embedded Chroma's SQLite file, read from outside the ingest process."""
    database = store_dir / "chroma.sqlite3"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.2) as connection:
            return int(connection.execute("SELECT count(*) FROM embeddings").fetchone()[0])
    except sqlite3.Error:
        return 0  # created but not yet initialised, or busy: try again


def wait_for_kill_point(
    store_dir: Path, rows: int | None, seconds: float | None, process: subprocess.Popen[bytes]
) -> None:
    if seconds is not None:
        time.sleep(seconds)
        return
    assert rows is not None
    deadline = time.monotonic() + 240
    while stored_rows(store_dir) < rows:
        assert process.poll() is None, "ingest ended before the kill point"
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("point", "rows", "seconds", "copies"), KILL_POINTS, ids=[k[0] for k in KILL_POINTS]
)
def test_killed_ingest_is_completed_by_the_next(
    point: str,
    rows: int | None,
    seconds: float | None,
    copies: int,
    scratch_settings: Settings,
) -> None:
    grow_corpus(scratch_settings.corpus_dir, copies)
    env = {
        **os.environ,
        "CORPUSQA_STORE_DIR": str(scratch_settings.store_dir),
        "CORPUSQA_CORPUS_DIR": str(scratch_settings.corpus_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "corpusqa.cli", "ingest"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_kill_point(scratch_settings.store_dir, rows, seconds, process)
    assert process.poll() is None, f"ingest finished before the {point} kill point"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    settings = load_settings(
        store_dir=scratch_settings.store_dir, corpus_dir=scratch_settings.corpus_dir
    )
    assert_consistent(settings)  # files the kill interrupted have a pending manifest entry
    if open_store(settings).files():
        # Whatever was written answers with exact quotes (the session wrapper checks them).
        Answerer(settings).answer("Who is Israel's ambassador to India?")

    pending = sorted(s for s, r in open_store(settings).files().items() if r.pending)
    if pending:  # a file whose writing was cut short, then deleted: its chunks go with it
        (settings.corpus_dir / pending[0]).unlink()

    summary = ingest(settings)
    files = sorted(p.name for p in settings.corpus_dir.iterdir())
    assert sorted(open_store(settings).files()) == files
    assert not any(record.pending for record in open_store(settings).files().values())
    stored = assert_consistent(settings)
    assert sorted(stored) == files and summary.chunks_total == sum(stored.values())
    assert ingest(settings).chunks_embedded == 0  # complete now: nothing left to do
    assert not Answerer(settings).answer("Who is Israel's ambassador to India?").refused


def test_a_chat_killed_while_it_ingests_an_upload_leaves_a_consistent_corpus(
    scratch_settings: Settings, tmp_path: Path
) -> None:
    """Issue 16: `corpusqa serve` killed with SIGKILL while it ingests an uploaded article: the
    corpus folder holds the whole file or nothing (no staging file), the store holds no manifest
    entry for a half-written file, and the next start completes it."""
    from conftest import start_chat
    from gradio_client import Client, handle_file

    ingest(scratch_settings)
    originals = sorted(scratch_settings.corpus_dir.glob("*.txt"))
    big = tmp_path / "upload" / "long_read.txt"
    big.parent.mkdir()
    big.write_text(
        "\n\n".join(
            re.sub(r"\bPakistan\b", f"Pakistan ({n})", p.read_text(encoding="utf-8"), count=3)
            for n in range(6)
            for p in originals
        ),
        encoding="utf-8",
    )
    rows_before = stored_rows(scratch_settings.store_dir)
    env = {
        **os.environ,
        "CORPUSQA_STORE_DIR": str(scratch_settings.store_dir),
        "CORPUSQA_CORPUS_DIR": str(scratch_settings.corpus_dir),
    }
    with (tmp_path / "serve.log").open("w") as log:
        server, url, _ = start_chat(env, log, 120)
    try:
        Client(url, verbose=False).submit([handle_file(str(big))], api_name="/add_articles")
        wait_for_kill_point(scratch_settings.store_dir, rows_before + 1, None, server)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()

    names = sorted(p.name for p in scratch_settings.corpus_dir.iterdir())
    assert not [n for n in names if n.startswith(".upload-")]  # no half-saved file left
    assert (scratch_settings.corpus_dir / big.name).read_bytes() == big.read_bytes()
    settings = load_settings(
        store_dir=scratch_settings.store_dir, corpus_dir=scratch_settings.corpus_dir
    )
    interrupted = open_store(settings).files().get(big.name)
    assert interrupted is None or interrupted.pending  # never listed as complete
    assert_consistent(settings)

    ingest(settings)  # what `corpusqa serve` runs when it starts again
    stored = assert_consistent(settings)
    assert sorted(stored) == names and stored[big.name] > 0
