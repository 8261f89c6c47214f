"""Choose the refusal thresholds from a question set with unanswerable questions."""

from __future__ import annotations

from typing import Any

from corpusqa.answer import Answerer
from corpusqa.eval import runner
from corpusqa.eval.questions import QuestionSet

SCORE_GRID = [round(0.30 + 0.05 * step, 2) for step in range(7)]
COVERAGE_GRID = [0.2, 0.3, 0.4]


def calibrate(question_set: QuestionSet, answerer: Answerer) -> dict[str, Any]:
    """The thresholds that maximise the mean of answer accuracy and refusal accuracy.

    Ties go to the lower thresholds: refusing less is the smaller change.
    """
    trials = []
    original = answerer.settings
    try:
        for min_score in SCORE_GRID:
            for min_coverage in COVERAGE_GRID:
                answerer.settings = original.model_copy(
                    update={"refusal_min_score": min_score, "refusal_min_coverage": min_coverage}
                )
                summary = runner.run(question_set, answerer)["summary"]
                balanced = (
                    (summary["answer_accuracy"] or 0) + (summary["refusal_accuracy"] or 0)
                ) / 2
                trials.append(
                    {
                        "refusal_min_score": min_score,
                        "refusal_min_coverage": min_coverage,
                        "answer_accuracy": summary["answer_accuracy"],
                        "refusal_accuracy": summary["refusal_accuracy"],
                        "balanced": round(balanced, 4),
                    }
                )
    finally:
        answerer.settings = original
    best = max(
        trials, key=lambda t: (t["balanced"], -t["refusal_min_score"], -t["refusal_min_coverage"])
    )
    return {"best": best, "trials": trials}
