"""The Articles panel and its API: see the corpus, add and remove articles, ask within a few.

The page and the API (`/articles`, `/add_articles`, `/remove_article`) call the same `Corpus`
methods, which enforce who may change the corpus on the server: hiding the page's controls is
a convenience, not the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Module level: gr.api reads the endpoints' type hints from this module. Only `serve` imports it.
from gradio import FileData

from corpusqa.answer import Answerer
from corpusqa.errors import EditRefused
from corpusqa.library import Upload, add_articles, list_articles, remove_article
from corpusqa.settings import Settings
from corpusqa.types import ArticleInfo, EditResult
from corpusqa.ui import render

EDITS_OFF = (
    "Adding and removing articles is off for this chat: it is on by default only on a loopback "
    "bind; with --allow-remote set CORPUSQA_UI_ALLOW_EDITS=true (and a login)."
)
UPLOAD_TYPES = [".txt", ".md", ".markdown", ".html", ".htm"]


@dataclass
class Corpus:
    """The corpus operations of one chat process."""

    settings: Settings
    answerer: Answerer
    allow_edits: bool
    _editing: threading.Lock = field(default_factory=threading.Lock)

    def articles(self) -> list[ArticleInfo]:
        return list_articles(self.answerer.retriever.store)

    def choices(self) -> list[tuple[str, str]]:
        """(label, file name) pairs for the scope and remove pickers; titles lead."""
        return [(_label(a), a.source) for a in self.articles()]

    def add(self, uploads: list[Upload]) -> list[EditResult]:
        self._check_allowed()
        self.answerer.wait_until_warm()  # the ingest imports torch (see wait_until_warm)
        with self._editing:
            results = add_articles(self.settings, uploads, self.answerer.retriever.store)
        self.answerer.retriever.notice_change()
        return results

    def remove(self, source: str) -> EditResult:
        self._check_allowed()
        self.answerer.wait_until_warm()
        with self._editing:
            result = remove_article(self.settings, self.answerer.retriever.store, source)
        self.answerer.retriever.notice_change()
        return result

    def _check_allowed(self) -> None:
        if not self.allow_edits:
            raise EditRefused(EDITS_OFF)


@dataclass
class _Panel:
    """The panel's components, built by _build_panel and wired by _wire_panel."""

    scope: Any
    filter_box: Any
    table: Any
    files: Any
    add: Any
    added: Any
    doomed: Any
    remove: Any
    confirm_row: Any
    confirm: Any
    cancel: Any
    removed: Any


def panel(corpus: Corpus, app: Any) -> Any:
    """Build the panel inside the current Blocks; returns the scope picker for the chat."""
    parts = _build_panel(corpus)
    _wire_panel(corpus, app, parts)
    return parts.scope


def _build_panel(corpus: Corpus) -> _Panel:
    import gradio as gr

    with gr.Accordion("Articles", open=True, elem_id="cq-articles"):
        scope = gr.Dropdown(
            choices=corpus.choices(),
            value=[],
            multiselect=True,
            label="Ask within (leave empty to ask all articles)",
            elem_id="cq-scope",
        )
        filter_box = gr.Textbox(
            placeholder="Filter by title, publisher, date or file name",
            show_label=False,
            elem_id="cq-articles-filter",
        )
        table = gr.HTML(render.articles_table(corpus.articles()), elem_id="cq-articles-table")
        with gr.Group(visible=corpus.allow_edits):
            files = gr.File(
                file_count="multiple",
                file_types=UPLOAD_TYPES,
                type="filepath",
                label="Add articles (.txt, .md, .html)",
                elem_id="cq-upload",
            )
            add = gr.Button("Add to the corpus", elem_id="cq-add")
            added = gr.Markdown(elem_id="cq-add-result")
            doomed = gr.Dropdown(
                choices=corpus.choices(), label="Remove an article", elem_id="cq-remove-choice"
            )
            remove = gr.Button("Remove…", elem_id="cq-remove")
            with gr.Row(visible=False) as confirm_row:
                confirm = gr.Button("Yes, remove it", variant="stop", elem_id="cq-remove-confirm")
                cancel = gr.Button("Cancel", elem_id="cq-remove-cancel")
            removed = gr.Markdown(elem_id="cq-remove-result")
    return _Panel(
        scope,
        filter_box,
        table,
        files,
        add,
        added,
        doomed,
        remove,
        confirm_row,
        confirm,
        cancel,
        removed,
    )


def _wire_panel(corpus: Corpus, app: Any, parts: _Panel) -> None:
    import gradio as gr

    def refreshed(filter_text: str = "", chosen: list[str] | None = None) -> tuple[Any, Any, Any]:
        """The table and both pickers as the corpus is now; a removed article leaves the
        scope too (a picker holding a value it no longer offers fails the next event)."""
        choices = corpus.choices()
        known = {source for _, source in choices}
        return (
            render.articles_table(corpus.articles(), filter_text),
            gr.update(choices=choices, value=[s for s in chosen or [] if s in known]),
            gr.update(choices=choices, value=None),
        )

    def add_from_page(
        paths: list[str] | None, filter_text: str, chosen: list[str] | None
    ) -> Iterator[tuple[Any, ...]]:
        uploads = [Upload(Path(p).name, Path(p)) for p in paths or []]
        working = f"Saving and indexing {len(uploads)} file(s)…"
        yield working, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            report = _results_markdown(corpus.add(uploads))
        except EditRefused as error:
            report = f"⚠️ {render.escape(str(error))}"
        yield report, None, *refreshed(filter_text, chosen)

    def ask_to_confirm(source: str | None) -> tuple[Any, Any]:
        if not source:
            return gr.update(visible=False), "Choose the article to remove first."
        question = f"Remove **{render.escape(source)}** from the corpus folder and the store?"
        return gr.update(visible=True), question

    def remove_from_page(
        source: str | None, filter_text: str, chosen: list[str] | None
    ) -> tuple[Any, ...]:
        try:
            report = _results_markdown([corpus.remove(source or "")])
        except EditRefused as error:
            report = f"⚠️ {render.escape(str(error))}"
        return gr.update(visible=False), report, *refreshed(filter_text, chosen)

    lists = [parts.table, parts.scope, parts.doomed]
    state = [parts.filter_box, parts.scope]
    private: dict[str, Any] = {"api_visibility": "private"}
    parts.filter_box.change(
        lambda text: render.articles_table(corpus.articles(), text),
        parts.filter_box,
        parts.table,
        **private,
    )
    outputs = [parts.added, parts.files, *lists]
    parts.add.click(add_from_page, [parts.files, *state], outputs, **private)
    confirming = [parts.confirm_row, parts.removed]
    parts.remove.click(ask_to_confirm, parts.doomed, confirming, **private)
    parts.cancel.click(lambda: (gr.update(visible=False), ""), None, confirming, **private)
    parts.confirm.click(remove_from_page, [parts.doomed, *state], [*confirming, *lists], **private)
    # Another session or `corpusqa ingest` may have changed the corpus since the page was built.
    app.load(refreshed, None, lists, **private)


def register_api(corpus: Corpus) -> None:
    """`/articles`, `/add_articles` and `/remove_article` for gradio_client callers."""
    from gradio.events import api as gradio_api  # gr.api; gradio's __all__ leaves it out

    def articles() -> list[dict[str, Any]]:
        """Every article with its title, publisher, date, chunk count and when it was indexed."""
        return [a.model_dump() for a in corpus.articles()]

    def add_articles(files: list[FileData]) -> dict[str, Any]:
        """Add .txt/.md/.html files (gradio_client.handle_file) and index them."""
        try:
            uploads = [upload_of(f) for f in files or []]
            return {"results": [r.model_dump() for r in corpus.add(uploads)]}
        except EditRefused as error:
            return {"error": str(error)}

    def remove_article(source: str) -> dict[str, Any]:
        """Remove one article (its file name) from the corpus folder and the store."""
        try:
            return {"results": [corpus.remove(source).model_dump()]}
        except EditRefused as error:
            return {"error": str(error)}

    gradio_api(articles, api_name="articles")
    gradio_api(add_articles, api_name="add_articles")
    gradio_api(remove_article, api_name="remove_article")


def upload_of(data: Any) -> Upload:
    """An uploaded file as Gradio received it; only files inside its upload folder are read,
    whatever path a raw API call claims."""
    from gradio.utils import get_upload_folder

    path = Path(str(data.get("path", "") if isinstance(data, dict) else getattr(data, "path", "")))
    name = data.get("orig_name") if isinstance(data, dict) else getattr(data, "orig_name", None)
    uploads = Path(get_upload_folder()).resolve()
    if not path.resolve().is_relative_to(uploads) or not path.is_file():
        raise EditRefused("Send each file as an upload (gradio_client.handle_file), not a path.")
    return Upload(str(name or path.name), path)


def _results_markdown(results: list[EditResult]) -> str:
    icons = {"added": "✅", "updated": "🔄", "removed": "🗑️", "skipped": "⚠️"}
    lines = []
    for result in results:
        detail = f" — {render.escape(result.detail)}" if result.detail else ""
        lines.append(
            f"- {icons.get(result.outcome, '')} **{render.escape(result.file)}**: {result.outcome}{detail}"
        )
    return "\n".join(lines) or "Nothing was changed."


def _label(article: ArticleInfo) -> str:
    title = article.title or article.source
    short = title if len(title) <= 70 else title[:69] + "…"
    return f"{short} ({article.source})"
