"""The evaluator: question-set parsing, metrics, reports and the CI gate."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from corpusqa.answer import Answerer
from corpusqa.eval import runner
from corpusqa.eval.metrics import includes_all
from corpusqa.eval.questions import load
from corpusqa.settings import PROJECT_ROOT, Settings

DEFAULT_SET = PROJECT_ROOT / "data" / "eval" / "questions.jsonl"


def test_must_include_folds_case_and_space_and_accepts_alternatives() -> None:
    assert includes_all(
        "It happened in  GUJRANWALA, per the BLA.", ["gujranwala", ["Balochistan", "BLA"]]
    )
    assert not includes_all("It happened in Lahore.", ["Gujranwala"])


def test_bad_lines_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "a", "question": "Who is Naji Zaheer?", "answerable": true, "extra": 1}\n'
        "not json\n"
        '{"id": "a", "question": "Duplicate id?"}\n'
        '{"id": "b", "question": ""}\n'
        '{"id": "c", "question": "Who?", "must_include": [3]}\n'
    )
    question_set = load(path)
    assert [q.id for q in question_set.questions] == ["a"]
    assert [p.split(":")[0] for p in question_set.problems] == [
        "line 1",
        "line 2",
        "line 3",
        "line 4",
        "line 5",
    ]
    assert question_set.problems[0] == "line 1: unknown field(s) ['extra'] ignored"
    assert "duplicate id" in question_set.problems[2]


def test_default_set_covers_what_the_issue_asks() -> None:
    question_set = load(DEFAULT_SET)
    questions = question_set.questions
    assert not question_set.problems and len(questions) >= 50
    assert sum(not q.answerable for q in questions) >= 12
    assert sum(bool(q.history) for q in questions) >= 5
    sources = {s for q in questions for s in q.expected_sources}
    assert len(sources) == 5


def write_jsonl(path: Path, *rows: dict) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_run_scores_and_reports(answerer: Answerer, tmp_path: Path) -> None:
    ambassador = "Who is Israel's ambassador to India?"
    path = write_jsonl(
        tmp_path / "set.jsonl",
        {
            "id": "ok",
            "question": ambassador,
            "answerable": True,
            "expected_sources": ["000_32508a09280337c8.txt"],
            "must_include": ["Azar"],
        },
        {"id": "no", "question": "What is the capital of Australia?", "answerable": False},
        {
            "id": "wrong",
            "question": ambassador,
            "answerable": True,
            "expected_sources": ["001_3a4324403ecdb4af.txt"],
            "must_include": ["Netanyahu"],
        },
    )
    report = runner.run(load(path), answerer)
    summary = report["summary"]
    assert summary["answer_accuracy"] == 0.5
    assert summary["refusal_accuracy"] == 1.0
    assert summary["quote_exactness"] == 1.0
    assert summary["citation_precision"] == 0.5
    assert [r["id"] for r in runner.failed(report)] == ["wrong"]
    first = report["results"][0]
    # Both answers state the same confidence; one is right, one wrong: the gap is |p - 0.5|.
    confidence = first["scores"]["confidence"]
    assert confidence == report["results"][2]["scores"]["confidence"] and confidence > 0
    assert summary["answer_calibration_error"] == round(abs(confidence - 0.5), 4)
    assert first.keys() >= {
        "id",
        "answer",
        "refused",
        "citations",
        "retrieved",
        "latency_ms",
        "scores",
    }
    assert "### wrong" in runner.markdown(report)
    assert runner.shortfalls(summary, {"answer_accuracy": 0.9}) == ["answer_accuracy: 0.5 < 0.9"]


def test_eval_command_gates_on_floors(store_settings: Settings, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "set.jsonl",
        {
            "id": "x",
            "question": "Who is Israel's ambassador to India?",
            "answerable": True,
            "must_include": ["Netanyahu"],
        },
    )
    command = [
        "eval",
        str(path),
        "--store",
        str(store_settings.store_dir),
        "--out",
        str(tmp_path / "r.json"),
        "--markdown",
        str(tmp_path / "r.md"),
    ]
    passing = run_cli(*command, "--fail-under", "quote_exactness=1.0")
    assert passing.returncode == 0, passing.stderr
    failing = run_cli(*command, "--fail-under", "answer_accuracy=0.5")
    assert failing.returncode == 1 and "answer_accuracy" in failing.stderr
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["questions"] == 1


def test_calibrate_fits_a_model_that_answer_loads(tmp_path: Path, store_settings: Settings) -> None:
    from corpusqa.answer.confidence import load

    lines = (PROJECT_ROOT / "data" / "eval" / "questions.jsonl").read_text().splitlines()
    answerable = [line for line in lines if '"answerable": true' in line][:8]
    unanswerable = [line for line in lines if '"answerable": false' in line][:6]
    questions = tmp_path / "small.jsonl"
    questions.write_text("\n".join(answerable + unanswerable) + "\n")
    out = tmp_path / "model.json"
    done = run_cli(
        "calibrate", str(questions), "--store", str(store_settings.store_dir), "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    model = load(out)
    assert model.fitted_on["questions"] == 14
    assert 0 < model.threshold < 1 and model.rank_weights["window_coverage"] == 1.0
    assert "threshold" in done.stdout and str(out) in done.stdout
