"""The corpus as users manage it: list articles, ask within a few, add and remove them.

Real store, real model, real `corpusqa serve` and gradio_client; the browser side is in
test_browser.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, run_cli, running_app
from fakes import SlowToWarmAnswerer

from corpusqa.answer import Answerer
from corpusqa.errors import EditRefused, InvalidQuestion
from corpusqa.ingest.pipeline import ingest
from corpusqa.library import Upload, add_articles, list_articles, remove_article
from corpusqa.retrieval import Retriever
from corpusqa.settings import Settings
from corpusqa.ui.articles import Corpus

# An article no default one answers: what only it says is how we know it was used.
NEW_ARTICLE = """Lighthouse keepers return to Skerryvore

The Northern Lighthouse Board said on Tuesday that two keepers, Morag Lindsay and Ewan Baird,
will live at the Skerryvore lighthouse again from March, the first keepers there since 1972.
The board said the keepers would repair the lamp room and record the weather every three hours.
"""
NEW_QUESTION = "Who are the keepers returning to the Skerryvore lighthouse?"
NARROW = "004_af2a358e8bf9e421.txt"  # "Hamas Expands Reach Into Pakistan"


def test_a_scoped_search_returns_only_the_chosen_article_and_still_k_of_them(
    fake_store_settings: Settings,
) -> None:
    retriever = Retriever(fake_store_settings)
    everywhere = retriever.search("Hamas delegation visit to Pakistan", k=5)
    within = retriever.search("Hamas delegation visit to Pakistan", k=5, sources=[NARROW])
    assert len({p.source for p in everywhere}) > 1  # the unscoped search ranges wider
    # A filter inside both searches, not a post-filter of the top 5: still 5 from that article.
    assert len(within) == 5 and {p.source for p in within} == {NARROW}


def test_an_answer_within_one_article_cites_only_that_article(answerer: Answerer) -> None:
    result = answerer.answer("Who is Naji Zaheer?", sources=[NARROW])
    cited = {c.source for c in [*result.citations, *result.related]}
    assert result.scope == [NARROW]
    assert cited <= {NARROW} and {r.source for r in result.retrieved} == {NARROW}
    unscoped = answerer.answer("Who is Naji Zaheer?")
    assert not unscoped.scope and {c.source for c in unscoped.citations} != {NARROW}


def test_a_scope_naming_an_unknown_article_is_a_clear_error(answerer: Answerer) -> None:
    with pytest.raises(InvalidQuestion, match=r"No article named missing\.txt"):
        answerer.answer("Who is Naji Zaheer?", sources=["missing.txt"])


def test_articles_are_listed_with_title_chunks_and_when_indexed(store_settings: Settings) -> None:
    run = run_cli("articles", "--json", env={"CORPUSQA_STORE_DIR": str(store_settings.store_dir)})
    assert run.returncode == 0, run.stderr
    listed = {a["source"]: a for a in json.loads(run.stdout)}
    assert set(listed) == {p.name for p in Path(store_settings.corpus_dir).iterdir()}
    assert listed[NARROW]["title"] == "Hamas Expands Reach Into Pakistan"
    assert all(a["chunks"] > 0 and a["indexed_at"].startswith("20") for a in listed.values())
    assert any(a["publisher"] for a in listed.values()) and any(a["date"] for a in listed.values())


def test_ask_with_source_answers_from_that_article_only(store_settings: Settings) -> None:
    env = {"CORPUSQA_STORE_DIR": str(store_settings.store_dir)}
    run = run_cli("ask", "Who is Naji Zaheer?", "--source", NARROW, "--json", env=env)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["scope"] == [NARROW]
    assert {c["source"] for c in result["citations"] + result["related"]} <= {NARROW}
    wrong = run_cli("ask", "Who is Naji Zaheer?", "--source", "nope.txt", env=env)
    assert wrong.returncode == 2 and "No article named nope.txt" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def _upload(tmp_path: Path, name: str, text: str) -> Upload:
    path = tmp_path / "incoming" / name.replace("/", "_")
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Upload(name, path)


def test_adding_an_article_makes_it_answerable_and_removing_it_makes_it_refused(
    scratch_settings: Settings, tmp_path: Path
) -> None:
    ingest(scratch_settings)
    answerer = Answerer(scratch_settings)
    assert answerer.answer(NEW_QUESTION).refused

    results = add_articles(scratch_settings, [_upload(tmp_path, "skerryvore.txt", NEW_ARTICLE)])
    assert [(r.file, r.outcome) for r in results] == [("skerryvore.txt", "added")]
    assert (Path(scratch_settings.corpus_dir) / "skerryvore.txt").read_text() == NEW_ARTICLE
    answerer.retriever.notice_change()
    answered = answerer.answer(NEW_QUESTION)
    assert not answered.refused and "Morag Lindsay" in answered.answer
    assert answered.citations[0].title == "Lighthouse keepers return to Skerryvore"

    again = add_articles(scratch_settings, [_upload(tmp_path, "skerryvore.txt", NEW_ARTICLE)])
    assert again[0].outcome == "skipped" and "unchanged" in again[0].detail
    assert "skerryvore.txt" in {a.source for a in list_articles(answerer.retriever.store)}

    store = answerer.retriever.store
    assert remove_article(scratch_settings, store, "skerryvore.txt").outcome == "removed"
    assert not (Path(scratch_settings.corpus_dir) / "skerryvore.txt").exists()
    assert "skerryvore.txt" not in {a.source for a in list_articles(store)}
    answerer.retriever.notice_change()
    assert answerer.answer(NEW_QUESTION).refused


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("../escape.txt", NEW_ARTICLE, "may not hold a path"),
        ("notes.pdf", NEW_ARTICLE, "unsupported file type '.pdf'"),
        (".hidden.txt", NEW_ARTICLE, "may not start with '.'"),
        ("big.txt", "word " * 40_000, "over the 0.1 MB limit"),
    ],
    ids=["path", "type", "hidden", "oversize"],
)
def test_a_bad_upload_is_skipped_with_its_reason_and_changes_nothing(
    fake_scratch_settings: Settings, tmp_path: Path, name: str, text: str, reason: str
) -> None:
    settings = fake_scratch_settings.model_copy(update={"max_file_mb": 0.1})
    ingest(settings)
    before = sorted(p.name for p in Path(settings.corpus_dir).iterdir())
    results = add_articles(settings, [_upload(tmp_path, name, text)])
    assert results[0].outcome == "skipped" and reason in results[0].detail
    assert sorted(p.name for p in Path(settings.corpus_dir).iterdir()) == before
    assert not (tmp_path / "escape.txt").exists()


def test_too_many_files_at_once_are_refused(
    fake_scratch_settings: Settings, tmp_path: Path
) -> None:
    settings = fake_scratch_settings.model_copy(update={"max_upload_files": 2})
    uploads = [_upload(tmp_path, f"a{i}.txt", NEW_ARTICLE + str(i)) for i in range(3)]
    with pytest.raises(EditRefused, match="more than 2 at once"):
        add_articles(settings, uploads)
    assert not any(Path(settings.corpus_dir, f"a{i}.txt").exists() for i in range(3))


def test_the_chat_api_adds_scopes_and_removes_articles(
    scratch_settings: Settings, tmp_path: Path
) -> None:
    from gradio_client import Client, handle_file

    ingest(scratch_settings)
    new = tmp_path / "skerryvore.txt"
    new.write_text(NEW_ARTICLE, encoding="utf-8")
    with running_app(scratch_settings) as url:
        client = Client(url, verbose=False)
        assert len(client.predict(api_name="/articles")) == 5
        added = client.predict([handle_file(str(new))], api_name="/add_articles")
        assert added["results"][0]["outcome"] == "added", added
        listed = {a["source"]: a for a in client.predict(api_name="/articles")}
        assert listed["skerryvore.txt"]["title"] == "Lighthouse keepers return to Skerryvore"

        answered = client.predict(NEW_QUESTION, [], [], api_name="/answer")
        assert not answered["refused"] and "Morag Lindsay" in answered["answer"]
        within = client.predict("Who is Naji Zaheer?", [], [NARROW], api_name="/answer")
        assert within["scope"] == [NARROW]
        assert {c["source"] for c in within["citations"]} == {NARROW}
        unknown = client.predict("Who is Naji Zaheer?", [], ["nope.txt"], api_name="/answer")
        assert "No article named nope.txt" in unknown["error"]

        removed = client.predict("skerryvore.txt", api_name="/remove_article")
        assert removed["results"][0]["outcome"] == "removed"
        assert client.predict(NEW_QUESTION, [], [], api_name="/answer")["refused"]
        missing = client.predict("skerryvore.txt", api_name="/remove_article")
        assert "No article named skerryvore.txt" in missing["error"]


def test_a_chat_open_to_the_network_may_not_edit_the_corpus_unless_allowed(
    scratch_settings: Settings, tmp_path: Path
) -> None:
    from gradio_client import Client, handle_file

    ingest(scratch_settings)
    new = tmp_path / "skerryvore.txt"
    new.write_text(NEW_ARTICLE, encoding="utf-8")
    remote = ["--host", "0.0.0.0", "--allow-remote"]
    with running_app(scratch_settings, serve_args=remote) as url:
        client = Client(url, verbose=False)  # requests straight to the API, no page involved
        added = client.predict([handle_file(str(new))], api_name="/add_articles")
        removed = client.predict(NARROW, api_name="/remove_article")
    assert (
        "CORPUSQA_UI_ALLOW_EDITS" in added["error"]
        and "CORPUSQA_UI_ALLOW_EDITS" in removed["error"]
    )
    assert Path(scratch_settings.corpus_dir, NARROW).exists()
    assert not Path(scratch_settings.corpus_dir, "skerryvore.txt").exists()

    login = {"CORPUSQA_UI_USER": "editor", "CORPUSQA_UI_PASSWORD": "s3cret-words"}
    allowed = {**login, "CORPUSQA_UI_ALLOW_EDITS": "true"}
    with running_app(scratch_settings, serve_args=remote, **allowed) as url:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client's own error for a 401
            Client(url, verbose=False)  # no login: not even the API is reachable
        client = Client(url, auth=("editor", "s3cret-words"), verbose=False)
        added = client.predict([handle_file(str(new))], api_name="/add_articles")
    assert added["results"][0]["outcome"] == "added", added
    assert Path(scratch_settings.corpus_dir, "skerryvore.txt").exists()


def test_an_api_upload_is_read_only_from_gradios_upload_folder(tmp_path: Path) -> None:
    """A raw API call can claim any server path as a file: only Gradio's uploads are read."""
    from gradio.utils import get_upload_folder

    from corpusqa.ui.articles import upload_of

    with pytest.raises(EditRefused, match="as an upload"):
        upload_of({"path": "/etc/hostname", "orig_name": "host.txt"})
    folder = Path(get_upload_folder()) / f"corpusqa-test-{tmp_path.name}"
    inside = folder / "up.txt"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        inside.write_text(NEW_ARTICLE, encoding="utf-8")
        assert upload_of({"path": str(inside), "orig_name": "mine.txt"}) == Upload(
            "mine.txt", inside
        )
        sneaky = {"path": str(folder / ".." / ".." / "etc" / "hostname"), "orig_name": "x.txt"}
        with pytest.raises(EditRefused):
            upload_of(sneaky)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_an_add_whose_ingest_failed_is_indexed_when_added_again(
    fake_scratch_settings: Settings, tmp_path: Path
) -> None:
    """The file saved by an add whose ingest could not run (another ingest held the store) is
    not taken for "unchanged" next time: that is decided against the store, not the folder."""
    from corpusqa.ingest.lock import ingest_lock
    from corpusqa.store import open_store

    settings = fake_scratch_settings
    ingest(settings)
    with ingest_lock(settings.store_dir), pytest.raises(EditRefused, match="Another ingest"):
        add_articles(settings, [_upload(tmp_path, "skerryvore.txt", NEW_ARTICLE)])
    retried = add_articles(settings, [_upload(tmp_path, "skerryvore.txt", NEW_ARTICLE)])
    assert retried[0].outcome in {"added", "updated"}, retried
    assert "skerryvore.txt" in open_store(settings).files()


def test_a_replacement_that_cannot_be_read_keeps_the_article_it_would_replace(
    fake_scratch_settings: Settings, tmp_path: Path
) -> None:
    settings = fake_scratch_settings
    ingest(settings)
    before = (Path(settings.corpus_dir) / NARROW).read_bytes()
    binary = tmp_path / "incoming" / "bin.txt"
    binary.parent.mkdir()
    binary.write_bytes(b"\x00\x01 not text")
    results = add_articles(
        settings,
        [
            Upload(NARROW, binary),
            _upload(tmp_path, "copy.txt", before.decode("utf-8")),
            _upload(tmp_path, "twice.txt", NEW_ARTICLE),
            _upload(tmp_path, "twice.txt", NEW_ARTICLE + "again"),
        ],
    )
    assert [(r.file, r.outcome) for r in results] == [
        (NARROW, "skipped"),
        ("copy.txt", "skipped"),
        ("twice.txt", "added"),
        ("twice.txt", "skipped"),
    ]
    assert "binary file" in results[0].detail and NARROW in results[1].detail
    assert "same name twice" in results[3].detail
    assert (Path(settings.corpus_dir) / NARROW).read_bytes() == before
    assert not (Path(settings.corpus_dir) / "copy.txt").exists()
    assert oct((Path(settings.corpus_dir) / "twice.txt").stat().st_mode & 0o777) == "0o644"


def test_a_removal_whose_ingest_is_refused_puts_the_article_back(
    fake_scratch_settings: Settings,
) -> None:
    from corpusqa.ingest.lock import ingest_lock
    from corpusqa.store import open_store

    settings = fake_scratch_settings
    ingest(settings)
    store = open_store(settings)
    with ingest_lock(settings.store_dir), pytest.raises(EditRefused, match="Another ingest"):
        remove_article(settings, store, NARROW)
    assert sorted(p.name for p in Path(settings.corpus_dir).iterdir()) == sorted(
        p.name for p in CORPUS.iterdir()
    )
    assert NARROW in store.files()


def test_an_upload_while_the_chat_warms_up_waits_for_the_warm_up(
    fake_scratch_settings: Settings, tmp_path: Path
) -> None:
    """spaCy's import, early in the warm-up, hides torch from every thread; an upload's ingest
    imports torch, so it must not start until the warm-up is through (a race seen in CI)."""
    ingest(fake_scratch_settings)
    answerer = SlowToWarmAnswerer(fake_scratch_settings)
    answerer.warm_up_in_thread()
    corpus = Corpus(fake_scratch_settings, answerer, allow_edits=True)
    results = corpus.add(
        [_upload(tmp_path, "late.txt", "Late news\n\nA short story about a fair.\n")]
    )
    assert answerer.events == ["warmed"]  # the ingest waited
    assert [r.outcome for r in results] == ["added"]
