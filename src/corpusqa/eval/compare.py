"""Two runs of a question set side by side: what moved, what got fixed, what broke."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Lower is better for these; for every other metric higher is.
LOWER_IS_BETTER = frozenset(
    {
        "false_refusal_rate",
        "answer_calibration_error",
        "latency_p50_ms",
        "latency_p95_ms",
        "total_seconds",
    }
)
# Not judged as regressions: counts describe the set, and timings vary from run to run.
NOT_GATED = frozenset(
    {"questions", "answerable", "unanswerable", "latency_p50_ms", "latency_p95_ms", "total_seconds"}
)


@dataclass
class Change:
    id: str
    question: str
    before: str
    after: str


@dataclass
class Comparison:
    deltas: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    fixed: list[Change] = field(default_factory=list)
    broken: list[Change] = field(default_factory=list)

    def regressions(self, tolerance: float) -> list[str]:
        """Gated metrics that got worse by more than tolerance, and every broken question."""
        found = []
        for metric, (before, after) in self.deltas.items():
            if metric in NOT_GATED or before is None or after is None:
                continue
            worse = after - before if metric in LOWER_IS_BETTER else before - after
            if worse > tolerance:
                found.append(f"{metric}: {before} -> {after}")
        found += [f"question {change.id} broke: {change.question}" for change in self.broken]
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "deltas": {
                metric: {"before": before, "after": after, "change": _change(before, after)}
                for metric, (before, after) in self.deltas.items()
            },
            "fixed": [change.__dict__ for change in self.fixed],
            "broken": [change.__dict__ for change in self.broken],
        }


def compare(previous: dict[str, Any], current: dict[str, Any]) -> Comparison:
    """Metric deltas and per-question changes, questions matched by id."""
    comparison = Comparison()
    before_summary, after_summary = previous.get("summary", {}), current.get("summary", {})
    for metric, after in after_summary.items():
        before = before_summary.get(metric)
        if _number(after) or _number(before):
            comparison.deltas[metric] = (before, after)
    earlier = {row["id"]: row for row in previous.get("results", [])}
    for row in current.get("results", []):
        old = earlier.get(row["id"])
        if old is None or passed(old) == passed(row):
            continue
        change = Change(row["id"], row["question"], _short(old), _short(row))
        (comparison.fixed if passed(row) else comparison.broken).append(change)
    return comparison


def passed(row: dict[str, Any]) -> bool:
    """Answered right, or refused when the articles don't say."""
    return bool(row["scores"]["correct"]) if row["answerable"] else bool(row["refused"])


def markdown(comparison: dict[str, Any]) -> list[str]:
    """The comparison (as in the JSON report) as Markdown lines."""
    lines = ["", "## Compared with the previous run", "", "| metric | before | after | change |"]
    lines.append("|---|---|---|---|")
    for metric, delta in comparison["deltas"].items():
        lines.append(f"| {metric} | {delta['before']} | {delta['after']} | {delta['change']} |")
    for title in ("fixed", "broken"):
        changes = comparison[title]
        lines += ["", f"### {title.capitalize()} ({len(changes)})"]
        lines += [
            f"- {c['id']}: {c['question']} — before: {c['before']} — after: {c['after']}"
            for c in changes
        ]
    return lines


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _change(before: Any, after: Any) -> float | None:
    if _number(before) and _number(after):
        change: float = round(after - before, 4)
        return change
    return None


def _short(row: dict[str, Any], limit: int = 120) -> str:
    text = " ".join(str(row.get("answer", "")).split())
    label = "refused" if row["refused"] else "answered"
    return f"({label}) {text[:limit]}{'…' if len(text) > limit else ''}"
