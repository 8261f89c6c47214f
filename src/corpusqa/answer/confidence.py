"""The confidence model: the probability that a candidate answers, and when to refuse.

Two fitted parts, both fit by `corpusqa calibrate` on question sets with unanswerable questions
and stored as one JSON file: a linear ranking of candidates (`rank_weights`, chosen for how often
the top candidate answers), and a logistic regression that gives the top candidate's
probability of answering from its features, its ranking score and its margin over the runner-up.
Refusing is then a decision about a probability (below `threshold`), not hand thresholds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpusqa.answer.candidates import FEATURES, Candidate
from corpusqa.errors import ConfidenceModelError

RANKING_FEATURES = ("rank_score", "rank_margin")
MODEL_FEATURES = (*FEATURES, *RANKING_FEATURES)
# The probability reads a sentence's similarity under its story's headline, the ranking the
# sentence alone: lifting every sentence of a story alike would blur which of them answers,
# but a later sentence that leaves its event to the headline answers no less surely.
READ_AS = {"dense": "dense_in_story"}


def model_value(features: dict[str, float], name: str) -> float:
    """The value the probability reads for a model feature (see READ_AS)."""
    return features.get(READ_AS.get(name, name), features.get(name, 0.0))


@dataclass
class ConfidenceModel:
    weights: dict[str, float]
    intercept: float
    threshold: float
    rank_weights: dict[str, float] = field(default_factory=lambda: {"window_coverage": 1.0})
    means: dict[str, float] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)
    fitted_on: dict[str, Any] = field(default_factory=dict)

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept
        for name, weight in self.weights.items():
            value = model_value(features, name)
            z += weight * (value - self.means.get(name, 0.0)) / (self.scales.get(name, 1.0) or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def rank_score(self, features: dict[str, float]) -> float:
        return sum(weight * features.get(name, 0.0) for name, weight in self.rank_weights.items())

    def rank(self, candidates: list[Candidate]) -> list[Candidate]:
        """Candidates best first, each with its ranking features and probability filled in."""
        add_ranking_features(self, [c.features for c in candidates])
        for candidate in candidates:
            candidate.probability = round(self.probability(candidate.features), 4)
        return sorted(candidates, key=lambda c: -c.features["rank_score"])

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)


def add_ranking_features(model: ConfidenceModel, features: list[dict[str, float]]) -> None:
    """Each candidate's ranking score, and its lead over the best of the others."""
    scores = [model.rank_score(f) for f in features]
    for index, (f, score) in enumerate(zip(features, scores)):
        others = scores[:index] + scores[index + 1 :]
        f["rank_score"] = score
        f["rank_margin"] = score - max(others) if others else score


def load(path: Path) -> ConfidenceModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = ConfidenceModel(**data)
    except (OSError, ValueError, TypeError) as error:
        raise ConfidenceModelError(
            f"cannot read the confidence model {path} ({error}); "
            "fit one with `corpusqa calibrate QUESTIONS --out FILE` or unset CORPUSQA_CONFIDENCE_MODEL"
        ) from None
    unknown = (set(model.weights) | set(model.rank_weights)) - set(MODEL_FEATURES)
    if unknown:
        raise ConfidenceModelError(
            f"the confidence model {path} uses features this version lacks ({sorted(unknown)}); "
            "fit it again with `corpusqa calibrate`"
        )
    return model


def fit(
    rows: list[dict[str, float]],
    labels: list[int],
    rank_weights: dict[str, float],
    regularisation: float = 1.0,
) -> ConfidenceModel:
    """A logistic regression on standardised features (scikit-learn)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    matrix = np.array([[model_value(row, n) for n in MODEL_FEATURES] for row in rows], dtype=float)
    means, scales = matrix.mean(axis=0), matrix.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=regularisation, max_iter=2000, class_weight="balanced")
    model.fit((matrix - means) / scales, np.array(labels))
    return ConfidenceModel(
        weights={n: round(float(w), 5) for n, w in zip(MODEL_FEATURES, model.coef_[0])},
        intercept=round(float(model.intercept_[0]), 5),
        threshold=0.5,
        rank_weights=rank_weights,
        means={n: round(float(m), 5) for n, m in zip(MODEL_FEATURES, means)},
        scales={n: round(float(s), 5) for n, s in zip(MODEL_FEATURES, scales)},
    )


def calibration_bins(probabilities: list[float], bins: int = 10) -> list[list[int]]:
    """The indices of the probabilities in each bin [low/bins, (low+1)/bins); 1.0 in the last."""
    return [
        [
            index
            for index, p in enumerate(probabilities)
            if low / bins <= p < (low + 1) / bins or (low == bins - 1 and p == 1.0)
        ]
        for low in range(bins)
    ]


def expected_calibration_error(
    probabilities: list[float], outcomes: list[bool], bins: int = 10
) -> float:
    """How far predicted confidence is from how often the answer was right, weighted by bin size."""
    if not probabilities:
        return 0.0
    total, error = len(probabilities), 0.0
    for members in calibration_bins(probabilities, bins):
        if members:
            mean_p = sum(probabilities[i] for i in members) / len(members)
            hit_rate = sum(outcomes[i] for i in members) / len(members)
            error += len(members) / total * abs(mean_p - hit_rate)
    return round(error, 4)
