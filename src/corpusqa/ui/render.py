"""Turn an Answer into safe Markdown for the chat: every piece of article text is escaped."""

from __future__ import annotations

import html
import re

from corpusqa.types import Answer, Citation

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|>~])")


def escape(text: str) -> str:
    """Article or question text shown as text: HTML escaped, Markdown syntax neutralised."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(result: Answer) -> str:
    """The reply shown in the chat: the answer with its markers, then the quoted sources."""
    lines = [_answer_text(result)]
    if result.notice:
        lines += ["", f"*{escape(result.notice)}*"]
    if result.citations:
        lines += ["", "**Sources**", *(_quote(c, f"[{c.n}]") for c in result.citations)]
    if result.related:
        lines += ["", "**Related passages — not an answer**"]
        lines += [_quote(c, "·") for c in result.related]
    return "\n".join(lines)


def _answer_text(result: Answer) -> str:
    # Markers stay readable as [n]; everything else in the answer is escaped article text.
    pieces = re.split(r"(\[\d+\])", result.answer)
    text = "".join(p if re.fullmatch(r"\[\d+\]", p) else escape(p) for p in pieces)
    return f"🚫 {text}" if result.refused else text


def _quote(citation: Citation, label: str) -> str:
    source = f"`{citation.source}`"
    title = f" — {escape(citation.title)}" if citation.title else ""
    return f"\n{label} {source}{title}\n> {escape(citation.quote)}"
