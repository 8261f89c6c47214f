"""Question sets in common formats besides ours, read into the same QuestionSet.

- `squad2`: SQuAD v2.0 JSON (`data[].paragraphs[].qas[]`); `is_impossible` questions are the
  unanswerable ones; the gold answers are the `must_include` alternatives; an article's title
  names its expected source when a file of the store has that title.
- `rag`: the common RAG evaluation shape, JSONL or CSV rows with `question`, `ground_truth` (or
  `answer`, a string or a list) and optional `contexts`; a row without a ground truth is
  unanswerable. Ground truths are matched as `must_include` alternatives: free-text ground
  truths longer than a short answer rarely occur verbatim in an extractive answer, so add a
  `must_include` column (a JSON list) for those.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from corpusqa.eval.questions import EvalQuestion, QuestionSet, load

FORMATS = ("corpusqa", "squad2", "rag")


def detect(path: Path) -> str:
    """The format a file is in, from its extension and its first characters."""
    if path.suffix.lower() == ".csv":
        return "rag"
    with path.open(encoding="utf-8", errors="replace") as file:
        head = file.read(4096).lstrip()  # a SQuAD file is megabytes; its start tells
    if head.startswith("{") and '"data"' in head and '"paragraphs"' in head:
        return "squad2"  # one JSON document, usually pretty-printed over many lines
    first = head.split("\n", 1)[0]
    try:
        row = json.loads(first)
    except ValueError:
        return "corpusqa"  # ours reports the bad lines
    if (
        isinstance(row, dict)
        and "answerable" not in row
        and ("ground_truth" in row or "ground_truths" in row or "answer" in row)
    ):
        return "rag"
    return "corpusqa"


def read(path: Path, format: str = "auto", titles: dict[str, str] | None = None) -> QuestionSet:
    """Any supported format as a QuestionSet. `titles` maps article titles to store sources."""
    chosen = detect(path) if format == "auto" else format
    if chosen == "squad2":
        return _squad2(path, titles or {})
    if chosen == "rag":
        return _rag(path)
    if chosen == "corpusqa":
        return load(path)
    raise ValueError(f"unknown question-set format '{format}': choose from {', '.join(FORMATS)}")


def _squad2(path: Path, titles: dict[str, str]) -> QuestionSet:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        articles = document["data"]
    except (ValueError, KeyError, TypeError) as error:
        return QuestionSet([], [f"not SQuAD v2 JSON ({error})"])
    questions: list[EvalQuestion] = []
    problems: list[str] = []
    seen: set[str] = set()
    for article in articles:
        source = titles.get(str(article.get("title", "")))
        for paragraph in article.get("paragraphs", []):
            for qa in paragraph.get("qas", []):
                item = _squad_question(qa, source)
                if item is None:
                    problems.append(f"question {qa.get('id', '?')}: no question text (skipped)")
                elif item.id in seen:
                    problems.append(f"duplicate id '{item.id}' (skipped)")
                else:
                    seen.add(item.id)
                    questions.append(item)
    return QuestionSet(questions, problems)


def _squad_question(qa: dict[str, Any], source: str | None) -> EvalQuestion | None:
    question = str(qa.get("question") or "").strip()
    if not question:
        return None
    impossible = bool(qa.get("is_impossible", False))
    answers = list(dict.fromkeys(str(a["text"]) for a in qa.get("answers", []) if a.get("text")))
    answerable = not impossible and bool(answers)
    return EvalQuestion(
        id=str(qa.get("id") or question),
        question=question,
        answerable=answerable,
        expected_sources=[source] if source and answerable else [],
        must_include=[answers] if answerable else [],
        reference_answer=answers[0] if answerable else "Insufficient information in the corpus.",
        question_type="squad2",
        answer_kind="span" if answerable else "insufficient",
    )


def _rag(path: Path) -> QuestionSet:
    rows, problems = _rag_rows(path)
    questions: list[EvalQuestion] = []
    for number, row in rows:
        question = str(row.get("question") or row.get("user_input") or "").strip()
        if not question:
            problems.append(f"row {number}: no 'question' (skipped)")
            continue
        truths = _truths(row)
        must = _json_list(row.get("must_include")) or ([truths] if truths else [])
        questions.append(
            EvalQuestion(
                id=str(row.get("id") or f"row-{number}"),
                question=question,
                answerable=bool(must),
                must_include=must,
                reference_answer=truths[0] if truths else "",
                question_type=str(row.get("question_type") or "rag"),
            )
        )
    return QuestionSet(questions, problems)


def _rag_rows(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".csv":
        return list(enumerate(csv.DictReader(text.splitlines()), start=2)), []
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        if isinstance(row, dict):
            rows.append((number, row))
        else:
            problems.append(f"line {number}: expected a JSON object")
    return rows, problems


def _truths(row: dict[str, Any]) -> list[str]:
    for key in ("ground_truth", "ground_truths", "reference", "answer"):
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            parsed = _json_list(value)
            return [str(v) for v in parsed] if parsed else [value.strip()]
        if isinstance(value, list) and value:
            return [str(v) for v in value if str(v).strip()]
    return []


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return []
        return parsed if isinstance(parsed, list) else []
    return []
