"""Reciprocal rank fusion: combine rankings without calibrating their scores."""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], k: int = 60
) -> list[tuple[str, float]]:
    """Ids ranked by the sum of 1 / (k + rank) over every ranking they appear in.

    Args:
        rankings: each a list of ids, best first.
        k: damping constant; 60 is the value from Cormack et al. (2009).
    Returns:
        (id, fused score) pairs, best first; ties keep first-seen order.
    """
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])
