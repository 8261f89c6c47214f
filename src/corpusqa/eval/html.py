"""The evaluation as one self-contained HTML file: no script, every text escaped, charts as SVG."""

from __future__ import annotations

from html import escape
from typing import Any

from corpusqa.answer.confidence import calibration_bins
from corpusqa.eval.metrics import percentile, stated_answers

BINS = 10
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .6rem}
th{background:#f3f3f3;text-align:left}.bad{background:#fff4f4}.q{font-weight:600}
svg text{font:12px system-ui,sans-serif}.muted{color:#666}
"""


def report_html(report: dict[str, Any], title: str = "corpusqa evaluation") -> str:
    """The summary, accuracy per group, calibration, latency and each failed question."""
    from corpusqa.eval.runner import failed

    summary = report["summary"]
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>",
        "<h2>Summary</h2>",
        _table(["metric", "value"], [[k, v] for k, v in summary.items()]),
    ]
    for name, groups in report.get("groups", {}).items():
        parts += [f"<h2>Answer accuracy by {escape(name)}</h2>", _group_chart(groups)]
    parts += ["<h2>Refusal calibration</h2>", _calibration(report["results"])]
    parts += ["<h2>Latency</h2>", _latency_chart([r["latency_ms"] for r in report["results"]])]
    failures = failed(report)
    parts.append(f"<h2>Failed questions ({len(failures)})</h2>")
    parts += [_failure(row) for row in failures]
    if report.get("problems"):
        parts.append("<h2>Question-set problems</h2><ul>")
        parts += [f"<li>{escape(p)}</li>" for p in report["problems"]]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _bars(labels: list[str], values: list[float], unit: str, scale: float) -> str:
    """A horizontal bar chart as inline SVG; values are drawn against `scale`."""
    row, left, width = 24, 180, 520
    height = row * len(labels) + 10
    bars = []
    for index, (label, value) in enumerate(zip(labels, values)):
        y = 5 + index * row
        length = 0 if scale <= 0 else max(0.0, min(1.0, value / scale)) * width
        bars.append(
            f"<text x='{left - 8}' y='{y + 15}' text-anchor='end'>{escape(label)}</text>"
            f"<rect x='{left}' y='{y}' width='{length:.1f}' height='{row - 6}' fill='#4a78b5'/>"
            f"<text x='{left + length + 6:.1f}' y='{y + 15}'>{value:g}{escape(unit)}</text>"
        )
    return (
        f"<svg role='img' width='{left + width + 80}' height='{height}' "
        f"xmlns='http://www.w3.org/2000/svg'>{''.join(bars)}</svg>"
    )


def _group_chart(groups: dict[str, dict[str, Any]]) -> str:
    shown = {k: v for k, v in groups.items() if v.get("answer_accuracy") is not None}
    if not shown:
        return "<p class='muted'>No answerable questions in these groups.</p>"
    labels = [f"{name} ({g['questions']})" for name, g in shown.items()]
    return _bars(labels, [g["answer_accuracy"] for g in shown.values()], "", 1.0)


def _calibration(results: list[dict[str, Any]]) -> str:
    """How often an answer at each stated confidence was right (answers that state one)."""
    answered = stated_answers(results)
    if not answered:
        return "<p class='muted'>The answerer stated no confidence for its answers.</p>"
    stated = [float(r["scores"]["confidence"]) for r in answered]
    rows = []
    for low, members in enumerate(calibration_bins(stated, BINS)):
        if members:
            right = sum(bool(answered[i]["scores"]["correct"]) for i in members) / len(members)
            rows.append([f"{low / BINS:.1f}–{(low + 1) / BINS:.1f}", len(members), f"{right:.2f}"])
    note = (
        "<p class='muted'>Answers given, grouped by the confidence the answerer stated; a "
        "well-calibrated answerer is right about as often as it says.</p>"
    )
    return note + _table(["stated confidence", "answers", "share right"], rows)


def _latency_chart(latencies: list[float]) -> str:
    if not latencies:
        return ""
    marks = [("p50", 0.5), ("p75", 0.75), ("p90", 0.9), ("p95", 0.95), ("max", 1.0)]
    values = [percentile(latencies, share) for _, share in marks]
    return _bars([name for name, _ in marks], values, " ms", max(values))


def _failure(row: dict[str, Any]) -> str:
    expected = (
        "a refusal" if not row["answerable"] else f"must include {row.get('must_include', [])}"
    )
    citations = "".join(
        f"<li>[{c['n']}] {escape(c['source'])}: “{escape(c['quote'])}”</li>"
        for c in row.get("citations", [])
    )
    got = "refused" if row["refused"] else "answered"
    return (
        "<div class='bad'>"
        f"<p class='q'>{escape(str(row['id']))}: {escape(row['question'])}</p>"
        f"<p>Expected: {escape(expected)}</p>"
        f"<p>Got ({got}): {escape(row.get('answer', ''))}</p>"
        f"<ul>{citations}</ul></div>"
    )
