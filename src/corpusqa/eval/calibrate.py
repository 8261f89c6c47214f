"""Fit the confidence model on question sets with unanswerable questions (`corpusqa calibrate`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from corpusqa.answer import Answerer
from corpusqa.answer.compose import is_eligible
from corpusqa.answer.confidence import (
    ConfidenceModel,
    add_ranking_features,
    expected_calibration_error,
    fit,
)
from corpusqa.answer.question import understand
from corpusqa.eval.metrics import includes_all
from corpusqa.eval.questions import EvalQuestion, QuestionSet

THRESHOLDS = [round(0.05 * step, 2) for step in range(1, 20)]
# The ranking is a weighted sum led by how much of the question the sentence and its context
# cover; calibration chooses the other weights from this small grid (a coarse grid generalises).
RANK_GRID = {
    "coverage": (0.0, 0.3, 0.6),
    "dense": (0.0, 0.3, 0.6),
    "filler_found": (0.0, 0.1, 0.2),
    "constraints_in_sentence": (0.0, 0.2),
    "passage_rank": (0.0, 0.1),
}


@dataclass
class Example:
    """One question's candidates: their features, and which of them answer it."""

    question: EvalQuestion
    features: list[dict[str, float]]
    answers: list[bool]
    eligible: list[bool]  # candidates that agree with the question's years and figures


def collect(question_set: QuestionSet, answerer: Answerer) -> list[Example]:
    """The candidates the answerer weighs for each question, labelled by the expected answer."""
    examples = []
    for item in question_set.questions:
        asked = understand(item.question, item.history)
        if not asked.has_content:
            continue
        analysis, ranked = answerer.analysed(asked.standalone)
        answers = [
            item.answerable and includes_all(c.sentence.text, item.must_include) for c in ranked
        ]
        eligible = [is_eligible(analysis, c) for c in ranked]
        examples.append(Example(item, [c.features for c in ranked], answers, eligible))
    return examples


def calibrate(examples: list[Example], held_out: list[Example] | None = None) -> dict[str, Any]:
    """Fit the ranking and the model on examples, choose the refusal threshold, report.

    The threshold maximises the mean of answer accuracy and refusal accuracy on the examples;
    figures for `held_out` (never fitted on) are reported beside them.
    """
    rank_weights = best_ranking(examples)
    ranking = ConfidenceModel(weights={}, intercept=0.0, threshold=0.5, rank_weights=rank_weights)
    rows, labels = [], []
    for example in examples:
        top = _top(ranking, example)
        if top is not None:
            rows.append(example.features[top])
            labels.append(int(example.answers[top]))
    if len(set(labels)) < 2:
        raise ValueError("calibration needs questions that are answered and questions that are not")
    model = fit(rows, labels, rank_weights)
    trials = [{"threshold": t, **decisions(model, examples, t)} for t in THRESHOLDS]
    best = max(trials, key=lambda t: (t["balanced"], -abs(t["threshold"] - 0.5)))
    model.threshold = best["threshold"]
    report = {
        "fitted": best,
        "held_out": decisions(model, held_out, model.threshold) if held_out else None,
    }
    model.fitted_on = {
        "questions": len(examples),
        **{k: v for k, v in report.items() if v is not None},
    }
    return {"model": model, "trials": trials, **report}


def best_ranking(examples: list[Example]) -> dict[str, float]:
    """The grid's ranking weights under which the top candidate most often answers."""
    answerable = [e for e in examples if e.question.answerable]
    names = list(RANK_GRID)
    best: tuple[float, dict[str, float]] = (-1.0, {})
    for values in itertools.product(*RANK_GRID.values()):
        weights = {"window_coverage": 1.0, **dict(zip(names, values))}
        ranking = ConfidenceModel(weights={}, intercept=0.0, threshold=0.5, rank_weights=weights)
        hits = sum(bool(e.answers[t]) for e in answerable if (t := _top(ranking, e)) is not None)
        if hits > best[0]:
            best = (hits, weights)
    return best[1]


def _top(model: ConfidenceModel, example: Example) -> int | None:
    """The index of the candidate the answerer would choose (ranking features filled in)."""
    add_ranking_features(model, example.features)
    eligible = [i for i, ok in enumerate(example.eligible) if ok]
    return max(eligible, key=lambda i: example.features[i]["rank_score"]) if eligible else None


def decisions(model: ConfidenceModel, examples: list[Example], threshold: float) -> dict[str, Any]:
    """Answer accuracy, refusal accuracy and calibration error of the model at a threshold."""
    answered_right, refused_right, answerable, unanswerable = 0, 0, 0, 0
    probabilities: list[float] = []
    outcomes: list[bool] = []
    for example in examples:
        best = _best(model, example)
        probability, right = best if best else (0.0, False)
        refused = probability < threshold
        if example.question.answerable:
            answerable += 1
            answered_right += int(right and not refused)
        else:
            unanswerable += 1
            refused_right += int(refused)
        probabilities.append(probability)
        outcomes.append(right)
    answer_accuracy = answered_right / answerable if answerable else None
    refusal_accuracy = refused_right / unanswerable if unanswerable else None
    present = [v for v in (answer_accuracy, refusal_accuracy) if v is not None]
    return {
        "answer_accuracy": None if answer_accuracy is None else round(answer_accuracy, 4),
        "refusal_accuracy": None if refusal_accuracy is None else round(refusal_accuracy, 4),
        "balanced": round(sum(present) / len(present), 4) if present else 0.0,
        "expected_calibration_error": expected_calibration_error(probabilities, outcomes),
    }


def _best(model: ConfidenceModel, example: Example) -> tuple[float, bool] | None:
    """The probability and correctness of the candidate the answerer would choose."""
    top = _top(model, example)
    if top is None:
        return None
    return model.probability(example.features[top]), example.answers[top]
