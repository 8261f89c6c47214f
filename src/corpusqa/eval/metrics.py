"""Scores per question and over a run. Definitions match the README's table."""

from __future__ import annotations

import statistics
from typing import Any

from corpusqa.eval.questions import EvalQuestion, MustInclude
from corpusqa.text import normalize
from corpusqa.types import Answer


def _fold(text: str) -> str:
    return " ".join(normalize(text).split())


def includes_all(answer_text: str, must_include: MustInclude) -> bool:
    """Each item occurs in the answer (case- and whitespace-folded); a list item needs any one."""
    folded = _fold(answer_text)
    return all(
        any(_fold(option) in folded for option in (item if isinstance(item, list) else [item]))
        for item in must_include
    )


def retrieval_rank(result: Answer, expected: list[str]) -> int | None:
    """1-based rank of the first retrieved passage from an expected file."""
    for rank, passage in enumerate(result.retrieved, start=1):
        if passage.source in expected:
            return rank
    return None


def score(question: EvalQuestion, result: Answer, exact: list[bool]) -> dict[str, Any]:
    """Per-question scores; None where a metric does not apply to this question."""
    expected = set(question.expected_sources)
    cited = [c.source for c in result.citations]
    rank = retrieval_rank(result, question.expected_sources) if expected else None
    answerable = question.answerable
    return {
        "correct": answerable
        and not result.refused
        and includes_all(result.answer, question.must_include),
        "refused": result.refused,
        "refusal_correct": None if answerable else result.refused,
        "false_refusal": result.refused if answerable else None,
        "hit_at_1": None if not expected else rank == 1,
        "hit_at_5": None if not expected else rank is not None and rank <= 5,
        "reciprocal_rank": None if not expected else (1 / rank if rank and rank <= 10 else 0.0),
        "citation_precision": (sum(s in expected for s in cited) / len(cited))
        if expected and cited
        else None,
        "cites_expected": None if not (answerable and expected) else bool(set(cited) & expected),
        "confidence": result.confidence,  # the answerer's probability that its answer is right
        "quotes_exact": all(exact),
        "quotes": len(exact),
        "quotes_exact_count": sum(exact),
    }


def _mean(values: list[Any]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(statistics.fmean(present), 4) if present else None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return round(ordered[index], 1)


def stated_answers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answers given (not refusals) that state the answerer's confidence."""
    return [
        r for r in rows if not r["scores"]["refused"] and r["scores"].get("confidence") is not None
    ]


def answer_calibration_error(rows: list[dict[str, Any]]) -> float | None:
    """Expected calibration error of the answers given: how far the stated confidence is from
    how often an answer at that confidence was right (an answered unanswerable question is wrong).
    """
    from corpusqa.answer.confidence import expected_calibration_error

    answered = stated_answers(rows)
    if not answered:
        return None
    return expected_calibration_error(
        [float(r["scores"]["confidence"]) for r in answered],
        [bool(r["scores"]["correct"]) for r in answered],
    )


def summarize(rows: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """Overall figures from per-question rows (each row: scores + latency_ms + answerable)."""
    answerable = [r for r in rows if r["answerable"]]
    latencies = [r["latency_ms"] for r in rows] or [0.0]
    quotes = sum(r["scores"]["quotes"] for r in rows)
    exact = sum(r["scores"]["quotes_exact_count"] for r in rows)
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(rows) - len(answerable),
        "answer_accuracy": _mean([r["scores"]["correct"] for r in answerable]),
        "refusal_accuracy": _mean([r["scores"]["refusal_correct"] for r in rows]),
        "false_refusal_rate": _mean([r["scores"]["false_refusal"] for r in rows]),
        "hit_at_1": _mean([r["scores"]["hit_at_1"] for r in rows]),
        "hit_at_5": _mean([r["scores"]["hit_at_5"] for r in rows]),
        "mrr_at_10": _mean([r["scores"]["reciprocal_rank"] for r in rows]),
        "citation_precision": _mean([r["scores"]["citation_precision"] for r in rows]),
        "citation_recall": _mean([r["scores"]["cites_expected"] for r in rows]),
        "quote_exactness": round(exact / quotes, 4) if quotes else 1.0,
        "answer_calibration_error": answer_calibration_error(rows),
        "latency_p50_ms": percentile(latencies, 0.5),
        "latency_p95_ms": percentile(latencies, 0.95),
        "total_seconds": round(seconds, 2),
    }
