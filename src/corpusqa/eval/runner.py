"""Run a question set through the same answer() the chat uses, and write the reports."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from corpusqa.answer import Answerer
from corpusqa.eval import compare, metrics
from corpusqa.eval.questions import EvalQuestion, QuestionSet

# Every metric is given per group; a group's total time is not one (groups share the run).
NOT_PER_GROUP = frozenset({"total_seconds"})


def run(
    question_set: QuestionSet,
    answerer: Answerer,
    progress: bool = False,
    by: Sequence[str] = (),
) -> dict[str, Any]:
    """Answer and score every question; returns {"summary", "results", "problems", "groups"}.

    `by` names question fields (question_type, answer_kind, answerable, ...): every metric is
    also given per value of each.
    """
    answerer.warm_up()  # latency figures are of a warm answerer, as the chat serves them
    started = time.perf_counter()
    results = [_one(item, answerer) for item in _progress(question_set.questions, progress)]
    return {
        "summary": metrics.summarize(results, time.perf_counter() - started),
        "results": results,
        "problems": question_set.problems,
        "groups": {name: grouped(results, name) for name in by},
    }


def grouped(results: list[dict[str, Any]], name: str) -> dict[str, dict[str, Any]]:
    """The summary of each group of results sharing a value of the field `name`."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in results:
        groups.setdefault(str(row.get(name, "")) or "(none)", []).append(row)
    return {value: metrics.summarize(rows, 0.0) for value, rows in sorted(groups.items())}


def select(
    questions: list[EvalQuestion], limit: int | None, sample: int | None, seed: int
) -> list[EvalQuestion]:
    """A quick run's questions: a seeded random sample, then the first `limit`."""
    chosen = list(questions)
    if sample is not None and sample < len(chosen):
        chosen = random.Random(seed).sample(chosen, sample)
    return chosen[:limit] if limit is not None else chosen


def _one(item: EvalQuestion, answerer: Answerer) -> dict[str, Any]:
    result = answerer.answer(item.question, item.history)
    exact = [answerer.sources.is_exact(c) for c in result.citations]
    return {
        "id": item.id,
        "answerable": item.answerable,
        "expected_sources": item.expected_sources,
        "must_include": item.must_include,
        "history": item.history,
        "question_type": item.question_type,
        "answer_kind": item.answer_kind,
        **result.model_dump(),
        "scores": metrics.score(item, result, exact),
    }


def _progress(items: list[EvalQuestion], enabled: bool) -> Iterable[EvalQuestion]:
    if not enabled:
        return items
    from tqdm import tqdm

    progress: Iterable[EvalQuestion] = tqdm(items, unit="q", desc="eval", dynamic_ncols=True)
    return progress


def write_reports(
    report: dict[str, Any],
    json_path: Path | None = None,
    markdown_path: Path | None = None,
    html_path: Path | None = None,
) -> None:
    """Write the JSON, Markdown and/or HTML report, creating their folders."""
    from corpusqa.eval.html import report_html

    outputs: tuple[tuple[Path | None, Callable[[], str]], ...] = (
        (json_path, lambda: json.dumps(report, ensure_ascii=False, indent=2)),
        (markdown_path, lambda: markdown(report)),
        (html_path, lambda: report_html(report)),
    )
    for path, render in outputs:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(), encoding="utf-8")


def failed(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Answerable questions answered wrongly, and unanswerable ones answered anyway."""
    return [r for r in report["results"] if not compare.passed(r)]


def markdown(report: dict[str, Any]) -> str:
    """A readable report: the summary table, then each failed question."""
    lines = ["# corpusqa evaluation", "", "| metric | value |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in report["summary"].items()]
    for name, groups in report.get("groups", {}).items():
        lines += _group_table(name, groups)
    if report.get("comparison"):
        lines += compare.markdown(report["comparison"])
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


def _group_table(name: str, groups: dict[str, dict[str, Any]]) -> list[str]:
    """Every metric (a row) for each group (a column): few groups, many metrics."""
    values = list(groups)
    metrics_shown = [m for m in next(iter(groups.values()), {}) if m not in NOT_PER_GROUP]
    lines = ["", f"## By {name}", "", "| metric | " + " | ".join(values) + " |"]
    lines.append("|---" * (len(values) + 1) + "|")
    for metric in metrics_shown:
        row = " | ".join(str(groups[value].get(metric)) for value in values)
        lines.append(f"| {metric} | {row} |")
    return lines


def shortfalls(summary: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """Metrics under their floors, as 'metric: value < floor' lines."""
    problems = []
    for metric, floor in floors.items():
        value = summary.get(metric)
        if value is None or value < floor:
            problems.append(f"{metric}: {value} < {floor}")
    return problems
