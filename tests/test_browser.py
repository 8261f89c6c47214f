"""The chat in a real browser: Playwright driving Debian's chromium against the app on 127.0.0.1.

Chromium is never downloaded: `apt-get install -y chromium` (CI does it) gives /usr/bin/chromium.
Timings from question to first streamed text and to the full answer are written to
artifacts/browser-timings.json, with a screenshot of the answered chat (measurements, not asserts).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, running_app

from corpusqa.eval.questions import EvalQuestion
from corpusqa.ingest.pipeline import ingest
from corpusqa.settings import PROJECT_ROOT, Settings, load_settings

CHROMIUM = Path(os.environ.get("CORPUSQA_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = PROJECT_ROOT / "artifacts"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile_article.txt"
ANSWER_TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"browser tests need chromium at {CHROMIUM}: `apt-get install -y chromium` "
        "(or set CORPUSQA_CHROMIUM)",
    ),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The default articles plus one hostile article (a <script> tag, instructions to a model)."""
    root = tmp_path_factory.mktemp("browser")
    corpus = root / "articles"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(HOSTILE, corpus / "zz_hostile.txt")
    settings = load_settings(store_dir=root / "store", corpus_dir=corpus)
    ingest(settings)
    with running_app(settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, app_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.goto(app_url, wait_until="load")  # Gradio never reaches "networkidle"
    opened.locator("#cq-question textarea").wait_for()
    yield opened
    context.close()


def ask(page: object, question: str) -> dict[str, float]:
    """Type and send a question; wait until the reply is final. Returns timings in ms."""
    bots = page.locator("#cq-chat .message.bot")  # type: ignore[attr-defined]
    before = bots.count()
    page.locator("#cq-question textarea").fill(question)  # type: ignore[attr-defined]
    started = time.perf_counter()
    page.locator("#cq-ask").click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        """n => { const b = document.querySelectorAll('#cq-chat .message.bot');
                  return b.length > n && b[b.length - 1].innerText.trim() !== '…'; }""",
        arg=before,
        timeout=ANSWER_TIMEOUT_MS,
    )
    first = time.perf_counter()
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => { const b = document.querySelectorAll('#cq-chat .message.bot');
                   const t = b[b.length - 1].innerText;
                   return /Sources|Not answered|⚠️/.test(t); }""",
        timeout=ANSWER_TIMEOUT_MS,
    )
    done = time.perf_counter()
    return {"first_text_ms": (first - started) * 1000, "full_answer_ms": (done - started) * 1000}


def last_reply(page: object) -> object:
    return page.locator("#cq-chat .message.bot").last  # type: ignore[attr-defined]


def test_answer_with_citations_then_marker_opens_the_highlighted_span(page: object) -> None:
    timings = ask(page, "Who is Israel's ambassador to India?")
    reply = last_reply(page)
    text = reply.inner_text()  # type: ignore[attr-defined]
    assert "Azar" in text and "Sources" in text and "🚫" not in text
    assert "000_32508a09280337c8.txt" in text and "Pakistan uses Hamas" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"))  # type: ignore[attr-defined]
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(timings, indent=2))

    marker = reply.get_by_role("link", name="[1]").first  # type: ignore[attr-defined]
    with page.context.expect_page() as opened:  # type: ignore[attr-defined]
        marker.click()
    article = opened.value
    article.wait_for_load_state("load")
    highlighted = article.locator("mark#quote")
    assert "Reuven Azar" in highlighted.inner_text()
    in_view = article.evaluate(
        """() => { const r = document.querySelector('mark#quote').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )
    assert in_view, "the quoted span was not scrolled into view"


def test_follow_up_uses_history_and_the_chat_survives_a_reload(
    page: object, browser: object, app_url: str
) -> None:
    ask(page, "Who is Naji Zaheer?")
    ask(page, "Where did he speak a week after October 7?")
    page.get_by_text("Retrieved passages and scores").click()  # type: ignore[attr-defined]
    searched = page.locator("#cq-retrieved").inner_text()  # type: ignore[attr-defined]
    assert "Zaheer" in searched and "score" in searched
    assert "Not answered" not in last_reply(page).inner_text()  # type: ignore[attr-defined]

    page.reload(wait_until="load")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('#cq-chat .message.bot').length >= 2", timeout=30_000
    )
    assert "October 7" in page.locator("#cq-chat").inner_text()  # type: ignore[attr-defined]

    stranger = browser.new_context()  # type: ignore[attr-defined]
    other = stranger.new_page()
    other.goto(app_url, wait_until="load")
    other.locator("#cq-question textarea").wait_for()
    other.wait_for_timeout(1500)  # give a (wrong) restore the chance to happen
    assert other.locator("#cq-chat .message").count() == 0
    stranger.close()


def test_refusal_looks_different_and_lists_related_passages_as_not_an_answer(
    page: object,
) -> None:
    ask(page, "How many troops will Indonesia send to Gaza?")
    refusal = last_reply(page).inner_text()  # type: ignore[attr-defined]
    assert "🚫" in refusal and "Not answered by the articles" in refusal
    assert "Related passages — not an answer" in refusal and "Sources" not in refusal


def test_script_in_an_article_or_a_question_is_shown_as_text(page: object, app_url: str) -> None:
    ask(page, "How many stalls will the Zorblat lantern market in Quetta host?")
    reply = last_reply(page).inner_text()  # type: ignore[attr-defined]
    assert "120 stalls" in reply
    ask(page, "<img src=x onerror=\"window.__pwned='question'\"> Who runs the Zorblat market?")
    chat = page.locator("#cq-chat").inner_text()  # type: ignore[attr-defined]
    assert "<img src=x" in chat
    assert page.evaluate("() => window.__pwned === undefined")  # type: ignore[attr-defined]

    page.goto(f"{app_url}article?source=zz_hostile.txt&start=0&end=10", wait_until="load")  # type: ignore[attr-defined]
    body = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert '<script>window.__pwned = "article";</script>' in body
    assert page.evaluate("() => window.__pwned === undefined")  # type: ignore[attr-defined]


def test_a_huge_or_broken_question_is_cut_and_the_session_survives(page: object) -> None:
    """A 1 MB paste ending in half a UTF-16 pair: shown cut, stored cut, and the chat goes on."""
    bots = page.locator("#cq-chat .message.bot")  # type: ignore[attr-defined]
    page.evaluate(  # type: ignore[attr-defined]
        """() => { const box = document.querySelector('#cq-question textarea');
                   box.value = "Who is Israel's ambassador to India? " + 'and why '.repeat(125000)
                               + '\\uD800';
                   box.dispatchEvent(new Event('input', {bubbles: true})); }"""
    )
    page.locator("#cq-ask").click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => { const b = document.querySelectorAll('#cq-chat .message.bot');
                   return b.length > 0 && /Sources|Not answered|⚠️/.test(b[b.length - 1].innerText); }""",
        timeout=ANSWER_TIMEOUT_MS,
    )
    shown = page.locator("#cq-chat .message.user").last.inner_text()  # type: ignore[attr-defined]
    assert len(shown) <= 2_100 and shown.rstrip().endswith("…")
    stored = page.evaluate("() => (localStorage.getItem('corpusqa-chat') || '').length")  # type: ignore[attr-defined]
    assert stored < 50_000
    ask(page, "Who is Israel's ambassador to India?")
    assert bots.count() == 2
    assert "Reuven Azar" in last_reply(page).inner_text()  # type: ignore[attr-defined]


def test_the_html_report_renders_its_charts_and_shows_hostile_text_as_text(
    browser: object, store_settings: Settings, tmp_path: Path
) -> None:
    from corpusqa.answer import Answerer
    from corpusqa.eval import runner
    from corpusqa.eval.questions import QuestionSet

    hostile = "<img src=x onerror=\"window.__pwned='report'\"> Who is Israel's ambassador to India?"
    questions = QuestionSet(
        [
            EvalQuestion("ok", "Who is Israel's ambassador to India?", True, must_include=["Azar"]),
            EvalQuestion("wrong", hostile, True, must_include=["Netanyahu"], question_type="who"),
            EvalQuestion("no", "How many troops will Indonesia send to Gaza?", False),
        ],
        [],
    )
    report = runner.run(questions, Answerer(store_settings), by=["question_type"])
    path = tmp_path / "report.html"
    runner.write_reports(report, html_path=path)
    assert "<script" not in path.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1100, "height": 1400})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    text = page.locator("body").inner_text()
    assert "Failed questions (1)" in text and "<img src=x" in text  # shown, not run
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator("svg rect").count() >= 2  # accuracy per group and latency bars
    assert "stated confidence" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "eval-report.png"), full_page=True)
    context.close()


NEW_ARTICLE = """Lighthouse keepers return to Skerryvore

The Northern Lighthouse Board said on Tuesday that two keepers, Morag Lindsay and Ewan Baird,
will live at the Skerryvore lighthouse again from March, the first keepers there since 1972.
"""
NEW_QUESTION = "Who are the keepers returning to the Skerryvore lighthouse?"
NARROW = "004_af2a358e8bf9e421.txt"  # "Hamas Expands Reach Into Pakistan"


@pytest.fixture
def editable_app(tmp_path: Path) -> Iterator[str]:
    """A chat on its own copy of the corpus: this test adds and removes an article."""
    corpus = tmp_path / "articles"
    shutil.copytree(CORPUS, corpus)
    settings = load_settings(store_dir=tmp_path / "store", corpus_dir=corpus)
    ingest(settings)
    with running_app(settings) as url:
        yield url


def choose_file(page: object, path: Path, server_log: Path) -> None:
    """Choose a file in the upload box and wait until the page lists it.

    Gradio's upload box once did not list the file for a minute in CI (likely a race of its upload
    and progress requests, as in gradio-app/gradio#9514 and #11102), while it lists it within
    a second here, also under load; a user would choose the file again, and so does this. Fails with
    the chat server's log when the second try does not show it either.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator("#cq-upload")  # type: ignore[attr-defined]
    for _ in range(2):
        box.locator("input[type=file]").set_input_files(str(path))
        try:
            box.get_by_text(path.name).first.wait_for(timeout=ANSWER_TIMEOUT_MS // 2)
            return
        except PlaywrightTimeout:
            continue
    logs = [log.read_text()[-3000:] for log in server_log.glob("serve-*.log")]
    shown = box.inner_text()
    raise AssertionError(f"the upload box never listed {path.name}: {shown!r}; server: {logs}")


def test_articles_panel_adds_an_article_scopes_a_question_and_removes_it(
    browser: object, editable_app: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(editable_app, wait_until="load")
    page.locator("#cq-question textarea").wait_for()
    table = page.locator("#cq-articles-table")
    assert "5 of 5 articles" in table.inner_text()
    assert "Hamas Expands Reach Into Pakistan" in table.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#cq-articles").screenshot(path=str(ARTIFACTS / "articles-panel.png"))

    upload = tmp_path / "skerryvore.txt"
    upload.write_text(NEW_ARTICLE, encoding="utf-8")
    choose_file(page, upload, server_log=tmp_path)
    page.locator("#cq-add").click()
    page.locator("#cq-add-result").get_by_text("skerryvore.txt: added").wait_for(
        timeout=ANSWER_TIMEOUT_MS
    )
    assert "Lighthouse keepers return to Skerryvore" in table.inner_text()

    ask(page, NEW_QUESTION)
    reply = last_reply(page).inner_text()
    assert "Morag Lindsay" in reply and "Lighthouse keepers return to Skerryvore" in reply

    scope = page.locator("#cq-scope input")
    scope.click()
    scope.fill("Hamas Expands")
    page.get_by_role("option", name="Hamas Expands Reach Into Pakistan").first.click()
    page.locator("#cq-question textarea").click()  # close the list
    ask(page, "Who is Naji Zaheer?")
    scoped = last_reply(page).inner_text()
    assert "Asked within 1 chosen article" in scoped and NARROW in scoped
    others = [p.name for p in CORPUS.iterdir() if p.name != NARROW]
    assert not any(name in scoped for name in others)
    page.screenshot(path=str(ARTIFACTS / "scoped-question.png"))

    remove = page.locator("#cq-remove-choice input")
    remove.click()
    remove.fill("Lighthouse")
    page.get_by_role("option", name="Lighthouse keepers").first.click()
    page.locator("#cq-remove").click()
    page.locator("#cq-remove-confirm").click()
    page.locator("#cq-remove-result").get_by_text("removed").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "Skerryvore" not in table.inner_text()
    ask(page, "Who is Naji Zaheer?")  # the pickers were refreshed: the session goes on
    after = last_reply(page).inner_text()
    assert "⚠️" not in after and "Asked within 1 chosen article" in after

    replies = page.locator("#cq-chat .message.bot").count()
    page.reload(wait_until="load")  # a new page: no scope chosen
    page.wait_for_function(  # the chat is restored from localStorage before asking on
        "n => document.querySelectorAll('#cq-chat .message.bot').length >= n",
        arg=replies,
        timeout=30_000,
    )
    ask(page, NEW_QUESTION)
    assert "Not answered by the articles" in last_reply(page).inner_text()
    context.close()
