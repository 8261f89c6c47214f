"""Operator mistakes get one line naming the fix, exit 2, and change nothing on disk."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import run_cli

from corpusqa.settings import Settings

USAGE_ERROR = 2


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under folder with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == USAGE_ERROR, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("corpusqa: error:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def stats(store: Path) -> dict[str, object]:
    result = run_cli("stats", "--store", str(store), "--json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


@pytest.fixture
def store_copy(store_settings: Settings, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(store_settings.store_dir, target)
    return target


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder no one can write to; for root, whom file modes don't stop, the immutable flag."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a read-only folder")
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


@pytest.mark.parametrize(
    "command", [["stats"], ["search", "Hamas"], ["ask", "Who is Naji Zaheer?"], ["ingest"]]
)
def test_a_store_path_that_is_a_file_is_one_line(tmp_path: Path, command: list[str]) -> None:
    not_a_folder = tmp_path / "store.txt"
    not_a_folder.write_text("my notes", encoding="utf-8")
    result = run_cli(*command, "--store", str(not_a_folder))
    assert_one_line_error(result, "is a file, not a folder")
    assert not_a_folder.read_text(encoding="utf-8") == "my notes"


@pytest.mark.parametrize("command", [["stats"], ["ask", "Who is Naji Zaheer?"], ["ingest"]])
def test_a_read_only_store_is_one_line_that_does_not_say_rebuild(
    store_copy: Path, command: list[str]
) -> None:
    before = snapshot(store_copy)
    with read_only(store_copy):
        result = run_cli(*command, "--store", str(store_copy))
    assert_one_line_error(result, "read-only")
    assert "--rebuild" not in result.stderr  # the store is fine: rebuilding would not help
    assert snapshot(store_copy) == before


def test_ingest_of_an_empty_or_other_folder_removes_nothing_without_yes(
    store_copy: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "artcles"  # a typo of the corpus folder's name, made empty
    empty.mkdir()
    before = stats(store_copy)
    refused = run_cli("ingest", str(empty), "--store", str(store_copy))
    assert_one_line_error(refused, "5 article(s) would be removed", "--yes")
    assert "003_5cc5cd6bd2872c20.txt" in refused.stderr  # it says what would go
    assert stats(store_copy) == before and before["files"] == 5
    confirmed = run_cli("ingest", str(empty), "--store", str(store_copy), "--yes", "--json")
    assert confirmed.returncode == 0, confirmed.stderr
    assert json.loads(confirmed.stdout)["removed"] == 5
    assert stats(store_copy)["files"] == 0


def test_serve_on_a_busy_port_says_so_before_any_work(store_copy: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        before = snapshot(store_copy)
        result = run_cli("serve", "--port", str(port), "--store", str(store_copy), timeout=60)
    assert_one_line_error(result, f"127.0.0.1:{port}", "--port")
    assert "store ready" not in result.stdout and "chat on" not in result.stdout
    assert snapshot(store_copy) == before
