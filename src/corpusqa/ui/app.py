"""The Gradio chat app: ingest if needed, then serve answer() on 127.0.0.1."""

from __future__ import annotations

from typing import Any

from corpusqa.answer import Answerer, InvalidQuestion
from corpusqa.settings import Settings

EXAMPLES = [
    "Who is Naji Zaheer?",
    "Why did Israel reject a role for the Pakistan Army in Gaza?",
    "What happened at the Kashmir Solidarity Day events in February 2025?",
]


def build(settings: Settings, answerer: Answerer | None = None) -> Any:
    """The Blocks app; answerer is shared by every session of this process."""
    import gradio as gr

    from corpusqa.ui.render import answer_markdown

    answerer = answerer or Answerer(settings)

    def respond(message: str, chat: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
        history = [turn["content"] for turn in chat if turn.get("role") == "user"]
        try:
            reply = answer_markdown(answerer.answer(message, history))
        except InvalidQuestion as error:
            return "", [*chat, {"role": "assistant", "content": str(error)}]
        return "", [
            *chat,
            {"role": "user", "content": message},
            {"role": "assistant", "content": reply},
        ]

    def answer_api(question: str, history: list[str] | None = None) -> dict[str, Any]:
        """The Answer as JSON, for gradio_client callers."""
        try:
            return answerer.answer(question, history or []).model_dump()
        except InvalidQuestion as error:
            return {"error": str(error)}

    with gr.Blocks(title="corpusqa") as app:
        gr.Markdown("## corpusqa — answers from the articles only, with verified quotes")
        chat = gr.Chatbot(label="Chat", height=560, sanitize_html=True)
        box = gr.Textbox(placeholder="Ask about the articles…", label="Question", autofocus=True)
        with gr.Row():
            send = gr.Button("Ask", variant="primary")
            gr.ClearButton([chat, box], value="Clear chat")
        gr.Examples(EXAMPLES, inputs=box)
        send.click(respond, [box, chat], [box, chat], api_visibility="private")
        box.submit(respond, [box, chat], [box, chat], api_visibility="private")
        gr.api(answer_api, api_name="answer")
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Bring the store up to date with the corpus, load the model, then serve."""
    from corpusqa.ingest.pipeline import ingest

    summary = ingest(settings)
    print(f"store ready: {summary.chunks_total} chunks from {summary.files} files", flush=True)
    answerer = Answerer(settings)
    answerer.warm_up()
    app = build(settings, answerer)
    app.queue(default_concurrency_limit=4, max_size=64)
    app.launch(server_name=host, server_port=port, show_error=False)
