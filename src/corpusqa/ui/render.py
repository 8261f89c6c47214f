"""Answers and articles as safe Markdown/HTML: every piece of article or question text is escaped."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from corpusqa.types import Answer, ArticleInfo, Citation, RetrievedRef

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|>~])")
_MARKER = re.compile(r"(\[\d+\])")
ARTICLE_PATH = "article"
QUOTE_ANCHOR = "quote"


def escape(text: str) -> str:
    """Article or question text shown as text: HTML escaped, Markdown syntax neutralised, and a
    hard-wrapped quote's line breaks shown as spaces (a break would end a list item)."""
    flowing = " ".join(text.split("\n")) if "\n" in text else text
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flowing, quote=False))


def article_url(source: str, start: int, end: int) -> str:
    """Where the whole article opens with [start:end] highlighted and scrolled into view."""
    query = urlencode({"source": source, "start": start, "end": end})
    return f"{ARTICLE_PATH}?{query}#{QUOTE_ANCHOR}"


def streaming_markdown(text: str) -> str:
    """Answer text while it streams: markers shown plain until the citations exist."""
    return "".join(p if _MARKER.fullmatch(p) else escape(p) for p in _MARKER.split(text))


def answer_markdown(result: Answer) -> str:
    """The finished reply: markers link to the cited span; sources or related passages follow."""
    lines = [_scope_line(result) + _refusal_heading(result) + _answer_first(result)]
    if result.notice:
        lines += ["", f"*{escape(result.notice)}*"]
    if result.citations:
        lines += ["", "**Sources**", *(_quote(c, f"[{c.n}]", result) for c in result.citations)]
    if result.related:
        lines += ["", "**Related passages — not an answer**"]
        lines += [_quote(c, "·") for c in result.related]
    return "\n".join(lines)


def _scope_line(result: Answer) -> str:
    if not result.scope:
        return ""
    return f"*Asked within {len(result.scope)} chosen article(s): {escape(', '.join(result.scope))}*\n\n"


def _refusal_heading(result: Answer) -> str:
    return "🚫 **Not answered by the articles**\n\n" if result.refused else ""


def _answer_first(result: Answer) -> str:
    """The short answer in bold, then the quoted sentences that state it."""
    short = result.short_answer
    prefix = f"{short.text} — " if short else ""
    if not short or not result.answer.startswith(prefix):
        return _linked_answer(result.answer, result)
    return f"**{escape(short.text)}** — {_linked_answer(result.answer[len(prefix) :], result)}"


def _linked_answer(text: str, result: Answer) -> str:
    by_number = {c.n: c for c in result.citations}
    pieces = []
    for piece in _MARKER.split(text):
        citation = by_number.get(int(piece[1:-1])) if _MARKER.fullmatch(piece) else None
        if citation is not None:
            pieces.append(f"[\\[{citation.n}\\]]({_url(citation)})")
        else:
            pieces.append(escape(piece))
    return "".join(pieces)


def _quote(citation: Citation, label: str, result: Answer | None = None) -> str:
    """The title leads (a reader knows it; the file name is for finding the file), linked to
    the quote in the article; the file name follows, smaller."""
    url = article_url(citation.source, citation.start, citation.end)
    name = escape(citation.title or citation.source)
    source = f" <small>{html.escape(citation.source)}</small>" if citation.title else ""
    return f"\n{label} [{name}]({url}){source}\n> {_highlighted(citation, result)}"


def _highlighted(citation: Citation, result: Answer | None) -> str:
    """The quote, with the short answer inside it in bold."""
    short = result.short_answer if result else None
    if short is None or short.n != citation.n:
        return escape(citation.quote)
    start, end = short.start - citation.start, short.end - citation.start
    quote = citation.quote
    if not (0 <= start < end <= len(quote)):
        return escape(quote)
    return f"{escape(quote[:start])}**{escape(quote[start:end])}**{escape(quote[end:])}"


def _link(source: str, start: int, end: int) -> str:
    return f"[{escape(source)}]({article_url(source, start, end)})"


def _url(citation: Citation) -> str:
    return article_url(citation.source, citation.start, citation.end)


def retrieved_markdown(result: Answer) -> str:
    """The passages retrieval returned, best first, with their fused scores."""
    if not result.retrieved:
        return "*No passages were retrieved for this question.*"
    lines = [f"Searched for: *{escape(result.standalone_question or result.question)}*", ""]
    lines += [_retrieved(rank, ref) for rank, ref in enumerate(result.retrieved, start=1)]
    return "\n".join(lines)


def _retrieved(rank: int, ref: RetrievedRef) -> str:
    link = _link(ref.source, ref.start, ref.end)
    snippet = escape(" ".join(ref.text.split())[:400])
    return f"{rank}. {link} score {ref.score:.4f}\n   > {snippet}\n"


def articles_table(articles: list[ArticleInfo], filter_text: str = "") -> str:
    """The Articles panel: one row per article; the title opens the article viewer."""
    wanted = filter_text.casefold().strip()
    shown = [a for a in articles if not wanted or wanted in _searchable(a)]
    if not shown:
        return f"<p>{'No article matches the filter.' if articles else 'No articles yet.'}</p>"
    head = "".join(
        f"<th>{h}</th>" for h in ("Title", "Publisher", "Date", "File", "Chunks", "Indexed")
    )
    rows = "".join(_article_row(a) for a in shown)
    count = f"<p>{len(shown)} of {len(articles)} articles</p>"
    return f"{count}<table class='cq-articles'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _searchable(article: ArticleInfo) -> str:
    return " ".join((article.title, article.publisher, article.date, article.source)).casefold()


def _article_row(article: ArticleInfo) -> str:
    url = html.escape(f"{ARTICLE_PATH}?{urlencode({'source': article.source})}")
    title = html.escape(article.title or article.source)
    cells = [
        f"<a href='{url}' target='_blank' rel='noopener'>{title}</a>",
        html.escape(article.publisher),
        html.escape(article.date),
        f"<small>{html.escape(article.source)}</small>",
        str(article.chunks),
        html.escape(article.indexed_at.replace("T", " ").replace("+00:00", " UTC")),
    ]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def article_page(source: str, title: str, text: str, start: int, end: int) -> str:
    """A standalone page with the whole article as text and the quoted span marked."""
    before, quote, after = text[:start], text[start:end], text[end:]
    body = (
        f"{html.escape(before)}<mark id='{QUOTE_ANCHOR}'>{html.escape(quote)}</mark>"
        f"{html.escape(after)}"
    )
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title or source)}</title>
<style>
body {{ font: 16px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }}
.source {{ color: #666; font-size: 0.9rem; }}
pre {{ white-space: pre-wrap; font: inherit; }}
mark {{ background: #ffe27a; padding: 0.1em 0; scroll-margin-top: 30vh; }}
</style></head>
<body><h1>{html.escape(title or source)}</h1>
<p class="source">{html.escape(source)} · characters {start}–{end}</p>
<pre>{body}</pre></body></html>"""
