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


def _row(qid: str, answerable: bool, correct: bool, refused: bool) -> dict:
    return {
        "id": qid,
        "question": f"question {qid}?",
        "answerable": answerable,
        "refused": refused,
        "answer": "The articles don't say." if refused else f"answer {qid}",
        "scores": {"correct": correct},
    }


def test_compare_reports_deltas_fixed_and_broken_and_gates_regressions() -> None:
    from corpusqa.eval.compare import compare

    before = {
        "summary": {"answer_accuracy": 0.5, "false_refusal_rate": 0.1, "latency_p50_ms": 40.0},
        "results": [
            _row("a", True, True, False),
            _row("b", True, False, True),
            _row("u", False, False, True),
        ],
    }
    after = {
        "summary": {"answer_accuracy": 0.5, "false_refusal_rate": 0.3, "latency_p50_ms": 90.0},
        "results": [
            _row("a", True, False, True),  # broke: refused now
            _row("b", True, True, False),  # fixed
            _row("u", False, False, True),  # still refused: unchanged
        ],
    }
    comparison = compare(before, after)
    assert [c.id for c in comparison.fixed] == ["b"] and [c.id for c in comparison.broken] == ["a"]
    assert comparison.broken[0].before.startswith("(answered)")
    assert comparison.to_dict()["deltas"]["false_refusal_rate"]["change"] == 0.2
    regressions = comparison.regressions(tolerance=0.05)
    assert any(r.startswith("false_refusal_rate") for r in regressions)  # lower is better
    assert not any(r.startswith("latency") for r in regressions)  # timings are not gated
    assert any("question a broke" in r for r in regressions)
    assert compare(before, before).regressions(tolerance=0.0) == []


def test_eval_compare_by_and_sample_from_the_command_line(
    store_settings: Settings, tmp_path: Path
) -> None:
    store = ["--store", str(store_settings.store_dir)]
    first = tmp_path / "first.json"
    quick = [
        "eval", str(DEFAULT_SET), *store, "--sample", "6", "--seed", "3", "--by", "answerable",
    ]  # fmt: skip
    ran = run_cli(*quick, "--out", str(first))
    assert ran.returncode == 0, ran.stderr
    report = json.loads(first.read_text())
    assert report["summary"]["questions"] == 6
    groups = report["groups"]["answerable"]
    assert set(groups) <= {"True", "False"}
    assert sum(g["questions"] for g in groups.values()) == 6
    # The same sample again, but answering from a single passage: compared with the first run.
    worse = run_cli(
        *quick, "--compare", str(first), "--fail-on-regression",
        "--markdown", str(tmp_path / "second.md"), env={"CORPUSQA_TOP_K": "1", "CORPUSQA_ANSWER_POOL": "1"},
    )  # fmt: skip
    assert "compared with the previous run" in worse.stdout
    second = (tmp_path / "second.md").read_text()
    assert "## Compared with the previous run" in second and "## By answerable" in second
    by_group = second.split("## By answerable", 1)[1].split("\n## ", 1)[0]
    for metric in ("answer_accuracy", "refusal_accuracy", "citation_recall", "quote_exactness"):
        assert f"| {metric} |" in by_group  # every metric per group, not a chosen few
    regressed = "corpusqa: regression:" in worse.stderr
    assert worse.returncode == (1 if regressed else 0), worse.stdout + worse.stderr
    if "broken: 0" not in worse.stdout:  # a question that passed and now fails always gates
        assert "regression: question" in worse.stderr
    unreadable = run_cli(*quick, "--compare", str(tmp_path / "missing.json"))
    assert unreadable.returncode == 2 and "--compare" in unreadable.stderr


def _as_squad2(rows: list[dict], titles: dict[str, str]) -> dict:
    """Our questions in SQuAD v2 JSON: one article per expected source, by its title."""
    articles: dict[str, list[dict]] = {}
    for row in rows:
        source = row["expected_sources"][0] if row["expected_sources"] else next(iter(titles))
        alternatives = row["must_include"][0] if row["must_include"] else []
        alternatives = alternatives if isinstance(alternatives, list) else [alternatives]
        articles.setdefault(titles[source], []).append(
            {
                "id": row["id"],
                "question": row["question"],
                "is_impossible": not row["answerable"],
                "answers": [{"text": a, "answer_start": 0} for a in alternatives],
            }
        )
    return {
        "version": "v2.0",
        "data": [
            {"title": title, "paragraphs": [{"context": "", "qas": qas}]}
            for title, qas in articles.items()
        ],
    }


def test_squad2_and_rag_files_give_the_same_summary_as_our_jsonl(
    store_settings: Settings, tmp_path: Path
) -> None:
    from corpusqa.store import open_store

    titles = {s: r.title for s, r in open_store(store_settings).files().items()}
    rows = [
        json.loads(line)
        for line in DEFAULT_SET.read_text().splitlines()
        if line.strip() and not json.loads(line).get("history")
    ]
    simple = [r for r in rows if len(r["must_include"]) <= 1 and len(r["expected_sources"]) <= 1]
    rows = [r for r in simple if r["answerable"]][:5] + [r for r in simple if not r["answerable"]][
        :3
    ]
    assert any(not r["answerable"] for r in rows) and any(r["answerable"] for r in rows)
    ours = write_jsonl(tmp_path / "ours.jsonl", *rows)
    squad = tmp_path / "squad.json"
    squad.write_text(json.dumps(_as_squad2(rows, titles)), encoding="utf-8")
    rag = write_jsonl(
        tmp_path / "rag.jsonl",
        *(
            {
                "question": r["question"],
                "ground_truth": (r["must_include"][0] if r["must_include"] else ""),
                "contexts": [],
            }
            for r in rows
        ),
    )
    summaries = {}
    for name, path in (("ours", ours), ("squad2", squad), ("rag", rag)):
        out = tmp_path / f"{name}.json"
        ran = run_cli(
            "eval", str(path), "--store", str(store_settings.store_dir), "--out", str(out)
        )
        assert ran.returncode == 0, ran.stderr
        summaries[name] = json.loads(out.read_text())["summary"]
    same = ("questions", "answerable", "answer_accuracy", "refusal_accuracy", "false_refusal_rate")
    for metric in same:
        assert summaries["squad2"][metric] == summaries["ours"][metric] == summaries["rag"][metric]
    # SQuAD names articles by title: the expected files are found, so retrieval is scored too.
    assert summaries["squad2"]["hit_at_5"] == summaries["ours"]["hit_at_5"] is not None


def test_csv_rag_rows_and_format_detection(tmp_path: Path) -> None:
    from corpusqa.eval.formats import detect, read

    rows = tmp_path / "rag.csv"
    rows.write_text(
        "question,ground_truth,contexts\n"
        "Who is Israel's ambassador to India?,Reuven Azar,[]\n"
        '"Where did Zaheer speak, a week after October 7?","[""Peshawar""]",[]\n'
        "How many troops will Indonesia send?,,[]\n",
        encoding="utf-8",
    )
    assert detect(rows) == "rag"
    questions = read(rows).questions
    assert [q.answerable for q in questions] == [True, True, False]
    assert questions[0].must_include == [["Reuven Azar"]]
    assert questions[1].must_include == [["Peshawar"]]  # a JSON list is a list of alternatives
    assert detect(DEFAULT_SET) == "corpusqa"


def test_a_progress_bar_with_eta_on_a_terminal_only(store_settings: Settings) -> None:
    import fcntl
    import os
    import struct
    import subprocess
    import sys
    import termios

    command = [sys.executable, "-m", "corpusqa.cli", "eval", str(DEFAULT_SET), "--limit", "3"]
    command += ["--store", str(store_settings.store_dir)]
    leader, follower = os.openpty()  # stderr is a terminal, as when a person runs it
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower)
        os.close(follower)
        shown = b""
        while True:  # read until the process has ended and the terminal has nothing left
            running = process.poll() is None
            chunk = _read_available(leader)
            shown += chunk
            if not running and not chunk:
                break
        process.communicate(timeout=300)
    finally:
        os.close(leader)
    assert process.returncode == 0
    assert b"eval:" in shown and b"3/3" in shown and b"<" in shown  # "[elapsed<remaining"
    piped = run_cli(*command[3:])  # stderr a pipe: no bar
    assert "3/3" not in piped.stderr


def _read_available(fd: int) -> bytes:
    import os
    import select

    if not select.select([fd], [], [], 0.5)[0]:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal closed
        return b""
