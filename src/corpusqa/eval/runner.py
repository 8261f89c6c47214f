"""Run a question set through the same answer() the chat uses, and write the reports."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from corpusqa.answer import Answerer
from corpusqa.eval import metrics
from corpusqa.eval.questions import EvalQuestion, QuestionSet


def run(question_set: QuestionSet, answerer: Answerer, progress: bool = False) -> dict[str, Any]:
    """Answer and score every question; returns {"summary", "results", "problems"}."""
    started = time.perf_counter()
    results = [_one(item, answerer) for item in _progress(question_set.questions, progress)]
    return {
        "summary": metrics.summarize(results, time.perf_counter() - started),
        "results": results,
        "problems": question_set.problems,
    }


def _one(item: EvalQuestion, answerer: Answerer) -> dict[str, Any]:
    result = answerer.answer(item.question, item.history)
    exact = [answerer.sources.is_exact(c) for c in result.citations]
    return {
        "id": item.id,
        "answerable": item.answerable,
        "expected_sources": item.expected_sources,
        "must_include": item.must_include,
        "history": item.history,
        **result.model_dump(),
        "scores": metrics.score(item, result, exact),
    }


def _progress(items: list[EvalQuestion], enabled: bool) -> Iterable[EvalQuestion]:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="q", desc="eval", dynamic_ncols=True)


def write_reports(
    report: dict[str, Any], json_path: Path | None = None, markdown_path: Path | None = None
) -> None:
    """Write the JSON and/or Markdown report, creating their folders."""
    outputs = (
        (json_path, lambda: json.dumps(report, ensure_ascii=False, indent=2)),
        (markdown_path, lambda: markdown(report)),
    )
    for path, render in outputs:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(), encoding="utf-8")


def failed(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Answerable questions answered wrongly, and unanswerable ones answered anyway."""
    return [
        r
        for r in report["results"]
        if (r["answerable"] and not r["scores"]["correct"])
        or (not r["answerable"] and not r["refused"])
    ]


def markdown(report: dict[str, Any]) -> str:
    """A readable report: the summary table, then each failed question."""
    lines = ["# corpusqa evaluation", "", "| metric | value |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in report["summary"].items()]
    if report["problems"]:
        lines += ["", "## Question-set problems", *(f"- {p}" for p in report["problems"])]
    lines += ["", "## Failed questions"]
    for row in failed(report):
        expected = "a refusal" if not row["answerable"] else f"must include {row['must_include']}"
        lines += [
            "",
            f"### {row['id']}: {row['question']}",
            f"- expected: {expected}; sources {row['expected_sources']}",
            f"- got ({'refused' if row['refused'] else 'answered'}): {row['answer']}",
            f"- cited: {[c['source'] for c in row['citations']]}",
        ]
    return "\n".join(lines) + "\n"


def shortfalls(summary: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """Metrics under their floors, as 'metric: value < floor' lines."""
    problems = []
    for metric, floor in floors.items():
        value = summary.get(metric)
        if value is None or value < floor:
            problems.append(f"{metric}: {value} < {floor}")
    return problems
