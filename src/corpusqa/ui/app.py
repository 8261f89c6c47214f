"""The Gradio chat, mounted on a small FastAPI app that also serves the article viewer."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

# Module level because FastAPI resolves the route's annotations here; only `serve` imports this.
from fastapi import Request
from starlette.routing import Mount

from corpusqa.answer import Answerer
from corpusqa.errors import InvalidQuestion
from corpusqa.settings import Settings
from corpusqa.text import without_lone_surrogates
from corpusqa.types import Answer, AnswerDelta
from corpusqa.ui import articles, render
from corpusqa.ui.login import ThrottledLogin

log = logging.getLogger(__name__)

EXAMPLES = [
    "Who is Naji Zaheer?",
    "Why did Israel reject a role for the Pakistan Army in Gaza?",
    "What happened at the Kashmir Solidarity Day events in February 2025?",
]
# Deliberate queue limits: 4 answers run at once (2 cores; each is mostly numpy and Chroma,
# which release the GIL), 64 more wait; beyond that a user is told the app is busy.
CONCURRENCY_LIMIT = 4
QUEUE_MAX_SIZE = 64
GRACEFUL_SHUTDOWN_S = 2  # open chat streams get this long to finish once SIGTERM arrives
NOT_LOGGED_IN = '<!doctype html><p>Log in to the chat first: <a href="/">corpusqa</a>.</p>'
LOOPBACK = ("127.0.0.1", "localhost", "::1")
EMPTY_CHAT: dict[str, list[Any]] = {"chat": [], "questions": []}
CSS = """
#cq-footer { color: #888; font-size: 0.85rem; }
#cq-articles-table { overflow-x: auto; }
table.cq-articles { font-size: 0.85rem; border-collapse: collapse; width: 100%; }
table.cq-articles td, table.cq-articles th { padding: 0.2rem 0.4rem; text-align: left; }
"""


def build(settings: Settings, answerer: Answerer | None = None, allow_edits: bool = False) -> Any:
    """The Blocks app; answerer is shared by every session of this process. allow_edits: whether
    this chat may add and remove articles (see `edits_allowed`)."""
    import gradio as gr
    from gradio.events import api as gradio_api  # gr.api; gradio's __all__ leaves it out

    answerer = answerer or Answerer(settings)
    corpus = articles.Corpus(settings, answerer, allow_edits)

    def respond(
        message: str, saved: dict[str, Any], scope: list[str] | None
    ) -> Iterator[tuple[Any, ...]]:
        # What is shown and kept in the browser is cut as the answer path cuts it: a 1 MB paste
        # would otherwise take minutes to render and fill localStorage.
        message = _shown(message, settings.max_question_chars)
        chat, questions = list(saved.get("chat", [])), list(saved.get("questions", []))
        asking = [*chat, _user(message), _assistant("…")]
        try:
            for event in answerer.stream(message, questions[-10:], scope or []):
                if isinstance(event, AnswerDelta):
                    asking[-1] = _assistant(_grow(asking[-1], event.text))
                    yield gr.skip(), asking, gr.skip(), gr.skip()
                else:
                    yield _finished(event, chat, questions, message)
        except InvalidQuestion as error:
            yield "", [*chat, _assistant(f"⚠️ {error}")], gr.skip(), gr.skip()
        except Exception:  # the app stays up whatever one question does
            log.exception("answering failed")
            failed = _assistant("⚠️ Something went wrong while answering; please try again.")
            yield message, [*chat, _user(message), failed], gr.skip(), gr.skip()

    def _finished(
        result: Answer, chat: list[Any], questions: list[str], message: str
    ) -> tuple[Any, ...]:
        chat = [*chat, _user(message), _assistant(render.answer_markdown(result))]
        saved = {"chat": chat, "questions": [*questions, message]}
        return "", chat, render.retrieved_markdown(result), saved

    def answer_api(
        question: str, history: list[str] | None = None, sources: list[str] | None = None
    ) -> dict[str, Any]:
        """The Answer as JSON, for gradio_client callers; `sources` (file names, as `/articles`
        lists them) limits the answer to those articles."""
        problem = _api_input_problem(question, history)
        if problem:
            return {"error": problem}
        try:
            return answerer.answer(question, history or [], sources or []).model_dump()
        except InvalidQuestion as error:
            return {"error": str(error)}

    def restore(saved: dict[str, Any] | None) -> list[Any]:
        return list((saved or {}).get("chat", []))

    def clear() -> tuple[Any, ...]:
        return [], "", "", dict(EMPTY_CHAT)

    with gr.Blocks(title="corpusqa") as app:
        gr.Markdown("## corpusqa — answers from the articles only, with verified quotes")
        # Kept in the browser's localStorage: a reload keeps the chat, other browsers can't see it.
        saved = gr.BrowserState(dict(EMPTY_CHAT), storage_key="corpusqa-chat")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Chat", height=560, sanitize_html=True, elem_id="cq-chat")
                box = gr.Textbox(
                    placeholder="Ask about the articles…",
                    label="Question",
                    autofocus=True,
                    elem_id="cq-question",
                )
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="cq-ask")
                    reset = gr.Button("Clear chat", elem_id="cq-clear")
                gr.Examples(EXAMPLES, inputs=box)
            with gr.Column(scale=2):
                scope = articles.panel(corpus, app)
                with gr.Accordion("Retrieved passages and scores", open=False):
                    retrieved = gr.Markdown(
                        "*Ask a question to see what retrieval found.*",
                        elem_id="cq-retrieved",
                        sanitize_html=True,
                    )
        gr.Markdown(_footer(answerer), elem_id="cq-footer")
        outputs = [box, chat, retrieved, saved]
        for trigger in (send.click, box.submit):
            trigger(respond, [box, saved, scope], outputs, api_visibility="private")
        reset.click(clear, None, [chat, box, retrieved, saved], api_visibility="private")
        app.load(restore, saved, chat, api_visibility="private")
        gradio_api(answer_api, api_name="answer")
        articles.register_api(corpus)
    return app


def _api_input_problem(question: Any, history: Any) -> str:
    """Raw API callers can send anything; say what is wrong instead of failing in the answer."""
    if not isinstance(question, str):
        return f"'question' must be a string, not {type(question).__name__}"
    if history is not None and (
        not isinstance(history, list) or not all(isinstance(turn, str) for turn in history)
    ):
        return "'history' must be a list of strings (the earlier questions), or left out"
    return ""


def _shown(message: Any, limit: int) -> str:
    text = without_lone_surrogates(message if isinstance(message, str) else str(message or ""))
    return text if len(text) <= limit else text[:limit] + "…"


def _user(text: str) -> dict[str, str]:
    return {"role": "user", "content": render.escape(text)}


def _assistant(markdown: str) -> dict[str, str]:
    return {"role": "assistant", "content": markdown}


def _grow(message: dict[str, str], text: str) -> str:
    shown = "" if message["content"] == "…" else message["content"] + " "
    return shown + render.streaming_markdown(text)


def _footer(answerer: Answerer) -> str:
    store = answerer.retriever.store
    model = store.info().get("embedding_model", answerer.settings.embedding_model)
    return (
        f"{len(store.files())} articles · {store.count()} chunks · embeddings: {model} · "
        f"answers: {answerer.generator.label}"
    )


def edits_allowed(settings: Settings, host: str) -> bool:
    """Adding and removing articles: on by default only for a loopback bind; a chat open to the
    network needs CORPUSQA_UI_ALLOW_EDITS=true (its login, when set, guards them as it guards
    the chat)."""
    if settings.ui_allow_edits is not None:
        return settings.ui_allow_edits
    return host in LOOPBACK


def create_app(
    settings: Settings,
    answerer: Answerer,
    auth: tuple[str, str] | None = None,
    allow_edits: bool = False,
) -> Any:
    """FastAPI app: the article viewer at /article and the chat at /."""
    import gradio as gr
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @api.get(f"/{render.ARTICLE_PATH}", response_class=HTMLResponse)
    def article(request: Request, source: str = "", start: int = 0, end: int = 0) -> HTMLResponse:
        # The viewer sits beside Gradio, not inside it, so Gradio's login does not guard it.
        if auth is not None and not _logged_in(request, chat):
            return HTMLResponse(NOT_LOGGED_IN, status_code=401)
        status, page = article_response(answerer, source, start, end)
        # Article text is escaped; the policy is a second lock: no script runs on this page.
        headers = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
        return HTMLResponse(page, status_code=status, headers=headers)

    blocks = build(settings, answerer, allow_edits)
    blocks.queue(default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_MAX_SIZE)
    login = ThrottledLogin(*auth).check if auth is not None else None
    # Uploads over the article limit are refused by corpusqa with a clear message; Gradio's own
    # bound (1 MB above it) stops anything far larger before it is stored at all.
    max_upload = int(settings.max_file_mb * 2**20) + 2**20
    gr.mount_gradio_app(
        api,
        blocks,
        path="/",
        auth=login,
        css=CSS,
        show_error=False,
        max_file_size=max_upload,
    )
    chat = next(route.app for route in api.routes if isinstance(route, Mount))  # read by article()
    return api


def _logged_in(request: Any, chat: Any) -> bool:
    # Gradio keeps its login sessions as cookie tokens on the mounted app.
    cookies = request.cookies
    token = cookies.get(f"access-token-{chat.cookie_id}") or cookies.get(
        f"access-token-unsecure-{chat.cookie_id}"
    )
    return token is not None and token in chat.tokens


def article_response(answerer: Answerer, source: str, start: int, end: int) -> tuple[int, str]:
    """Only files the store knows, read from inside the corpus; anything else is a 404."""
    record = answerer.retriever.store.files().get(source)
    text = answerer.sources.text(source) if record else None
    if record is None or text is None:
        return 404, "<!doctype html><p>No such article in the corpus.</p>"
    if not 0 <= start <= end <= len(text):
        start = end = 0
    return 200, render.article_page(source, record.title, text, start, end)


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
) -> None:
    """Bring the store up to date with the corpus, load the model, then serve."""
    import uvicorn

    from corpusqa.ingest.pipeline import ingest

    summary = ingest(settings)
    print(f"store ready: {summary.chunks_total} chunks from {summary.files} files", flush=True)
    answerer = Answerer(settings)
    app = create_app(settings, answerer, auth, edits_allowed(settings, host))
    # The models load while the page is served (a first question waits for them): the page is
    # up about a second and a half sooner than after loading them first.
    answerer.warm_up_in_thread()
    print(f"chat on http://{host}:{port}/", flush=True)
    # Open chat streams would hold a graceful shutdown for as long as a browser stays: bound it,
    # so SIGTERM from a service manager ends the process in seconds. (On SIGTERM uvicorn then
    # re-raises the signal: the process ends as terminated by it, exit status 143 in a shell.)
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        )
        code = 0
    except KeyboardInterrupt:
        code = 130
    print("chat stopped", flush=True)
    sys.stderr.flush()
    # Gradio's queue workers are not daemon threads; once uvicorn has stopped, nothing is left
    # to finish (the store is only read here), so do not wait for them.
    os._exit(code)
