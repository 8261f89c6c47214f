"""Question sets in JSONL: one question a line; bad lines are reported, the rest still run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MustInclude = list[str | list[str]]


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answerable: bool
    expected_sources: list[str] = field(default_factory=list)
    must_include: MustInclude = field(default_factory=list)
    reference_answer: str = ""
    history: list[str] = field(default_factory=list)
    # Labels for grouping results (the shared SQuAD set and ours carry them).
    question_type: str = ""
    answer_kind: str = ""


@dataclass
class QuestionSet:
    questions: list[EvalQuestion]
    problems: list[str]  # "line N: what is wrong", one per bad line


KNOWN_FIELDS = {
    "id",
    "question",
    "answerable",
    "expected_sources",
    "must_include",
    "reference_answer",
    "history",
    "question_type",
    "answer_kind",
    "plausible_answers",  # SQuAD 2.0's near-miss answers of unanswerable questions: not scored
}


def load(path: Path) -> QuestionSet:
    """Parse a JSONL question set; bad lines and unknown fields are reported in problems."""
    questions: list[EvalQuestion] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            item = _parse(data)
        except (json.JSONDecodeError, ValueError, TypeError) as error:
            problems.append(f"line {number}: {error}")
            continue
        unknown = sorted(set(data) - KNOWN_FIELDS)
        if unknown:
            # Most often a misspelt field, whose check would otherwise silently not happen.
            problems.append(f"line {number}: unknown field(s) {unknown} ignored")
        if item.id in seen:
            problems.append(f"line {number}: duplicate id '{item.id}' (skipped)")
            continue
        seen.add(item.id)
        questions.append(item)
    return QuestionSet(questions, problems)


def _parse(data: Any) -> EvalQuestion:
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("'question' must be a non-empty string")
    if not isinstance(data.get("answerable", True), bool):
        raise ValueError("'answerable' must be true or false")
    return EvalQuestion(
        id=str(data.get("id") or question),
        question=question,
        answerable=data.get("answerable", True),
        expected_sources=_strings(data.get("expected_sources", []), "expected_sources"),
        must_include=_must_include(data.get("must_include", [])),
        reference_answer=str(data.get("reference_answer", "")),
        history=_strings(data.get("history", []), "history"),
        question_type=str(data.get("question_type", "")),
        answer_kind=str(data.get("answer_kind", "")),
    )


def _strings(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{name}' must be a list of strings")
    return value


def _must_include(value: Any) -> MustInclude:
    if not isinstance(value, list):
        raise ValueError("'must_include' must be a list")
    for item in value:
        if isinstance(item, list):
            _strings(item, "must_include alternatives")
        elif not isinstance(item, str):
            raise ValueError("'must_include' items must be strings or lists of strings")
    return value
