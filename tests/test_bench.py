"""`corpusqa bench` on a fresh install: it runs at a tiny size and prints its figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, run_cli

from corpusqa.bench.run import LLAMAINDEX_MODULES, missing_modules


@pytest.mark.slow
def test_bench_at_a_tiny_size_prints_figures_and_skips_what_is_not_installed(
    tmp_path: Path,
) -> None:
    questions = tmp_path / "questions.jsonl"
    lines = (PROJECT_ROOT / "data" / "eval" / "questions.jsonl").read_text().splitlines()[:3]
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli(
        "bench",
        "--sizes", "60",
        "--json",
        "--workdir", str(tmp_path / "bench"),
        "--questions", str(questions),
        "--encode-sample", "60",
        "--out", str(tmp_path / "not-yet" / "bench.jsonl"),  # as `make bench` on a fresh clone
        cwd=PROJECT_ROOT,
        timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    figures = {row["name"]: row for row in map(json.loads, result.stdout.splitlines())}
    written = (tmp_path / "not-yet" / "bench.jsonl").read_text(encoding="utf-8").splitlines()
    assert written == result.stdout.splitlines()  # the same JSON lines, in a folder it made
    for name in ("ingest_chunks_per_s", "ingest_vs_encode_ratio", "answer_p50_ms", "cold_ask_s"):
        assert figures[name]["value"] > 0, figures.get(name)
    installed = not missing_modules(LLAMAINDEX_MODULES)
    if installed:
        assert figures["llamaindex_chunks"]["value"] > 0
    else:  # one line saying what to install, and every other figure still printed
        assert "plain LlamaIndex comparison skipped" in result.stderr
        assert "pip install -e '.[bench]'" in result.stderr
