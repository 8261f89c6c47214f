"""Ingest into a real Chroma store with the real embedding model."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpusqa.errors import IngestLocked
from corpusqa.ingest.lock import ingest_lock
from corpusqa.ingest.pipeline import ingest
from corpusqa.settings import Settings, load_settings
from corpusqa.store import open_store

# Phrases of page furniture seen in the seed articles; none may reach a chunk.
BOILERPLATE = [
    "STORY CONTINUES BELOW THIS AD",
    "More from Explainers",
    "Editor’s Picks",
    "Follow Firstpost on Google",
    "Support Our Journalism",
    "LEAVE A REPLY",
    "Please enter your comment",
    "Most Popular",
    "Subscribe to our channels",
    "scorecardresearch",
    "Add as a preferred source",
    "See more from this Author",
    "See more on this Topic",
    "Stay informed on all the latest news",
    "paid subscription",
]


def all_chunks(settings: Settings) -> list:
    return list(open_store(settings).iter_chunks())


def test_every_chunk_is_an_exact_span_of_its_file(store_settings: Settings) -> None:
    chunks = all_chunks(store_settings)
    assert len(chunks) > 20
    for chunk in chunks:
        meta = chunk.metadata
        text = (store_settings.corpus_dir / meta["source"]).read_text(encoding="utf-8")
        assert text[meta["start"] : meta["end"]] == chunk.text


def test_no_boilerplate_in_any_chunk(store_settings: Settings) -> None:
    for chunk in all_chunks(store_settings):
        for phrase in BOILERPLATE:
            assert phrase.lower() not in chunk.text.lower(), (phrase, chunk.metadata["source"])


def test_titles_and_metadata_are_extracted(store_settings: Settings) -> None:
    titles = {c.metadata["source"]: c.metadata for c in all_chunks(store_settings)}
    assert titles["004_af2a358e8bf9e421.txt"]["title"] == "Hamas Expands Reach Into Pakistan"
    assert titles["000_32508a09280337c8.txt"]["publisher"] == "Firstpost"
    assert titles["003_5cc5cd6bd2872c20.txt"]["date"] == "Friday, January 9, 2026"
    assert titles["001_3a4324403ecdb4af.txt"]["publisher"] == "gatestoneinstitute.org"


def test_reingest_is_incremental(scratch_settings: Settings) -> None:
    first = ingest(scratch_settings)
    assert (first.added, first.chunks_embedded > 0) == (5, True)
    again = ingest(scratch_settings)
    assert (again.unchanged, again.chunks_embedded, again.chunks_total) == (
        5,
        0,
        first.chunks_total,
    )

    changed = scratch_settings.corpus_dir / "002_396c6518924bf4f9.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nA new closing sentence was added here.\n"
    )
    after_change = ingest(scratch_settings)
    chunks_of_changed = sum(
        c.metadata["source"] == changed.name for c in all_chunks(scratch_settings)
    )
    assert (after_change.updated, after_change.unchanged) == (1, 4)
    assert after_change.chunks_embedded == chunks_of_changed

    (scratch_settings.corpus_dir / "001_3a4324403ecdb4af.txt").unlink()
    after_removal = ingest(scratch_settings)
    assert after_removal.removed == 1
    sources = {c.metadata["source"] for c in all_chunks(scratch_settings)}
    assert "001_3a4324403ecdb4af.txt" not in sources
    assert set(open_store(scratch_settings).files()) == sources


def test_touched_but_unchanged_file_embeds_nothing(scratch_settings: Settings) -> None:
    ingest(scratch_settings)
    path = scratch_settings.corpus_dir / "000_32508a09280337c8.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert ingest(scratch_settings).chunks_embedded == 0


def test_unreadable_files_are_skipped_with_reasons(
    scratch_settings: Settings, tmp_path: Path
) -> None:
    corpus = scratch_settings.corpus_dir
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus / "latin1.txt").write_bytes("caf\xe9 story".encode("latin-1"))
    (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret text outside the corpus.")
    (corpus / "link.txt").symlink_to(outside)

    summary = ingest(scratch_settings)
    reasons = {item["file"]: item["reason"] for item in summary.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"] == "binary file"
    assert reasons["latin1.txt"].startswith("not valid UTF-8")
    assert "unsupported" in reasons["notes.pdf"]
    assert "outside the corpus" in reasons["link.txt"]
    assert summary.added == 5
    assert "Secret text" not in json.dumps([c.text for c in all_chunks(scratch_settings)])


def test_html_is_extracted_to_text(scratch_settings: Settings) -> None:
    page = (
        "<html><head><title>Harbour Reopens</title><script>var tracker=1;</script></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Harbour Reopens</h1><p>The harbour of "
        "Examplia reopened on Monday after a nine-day strike by dock workers.</p><p>Officials "
        "said exports would resume within a week, and the union welcomed the agreement.</p>"
        "</article><footer>Subscribe to our newsletter</footer></body></html>"
    )
    (scratch_settings.corpus_dir / "harbour.html").write_text(page)
    ingest(scratch_settings)
    texts = [c.text for c in all_chunks(scratch_settings) if c.metadata["source"] == "harbour.html"]
    joined = " ".join(texts)
    assert "nine-day strike" in joined
    assert "tracker" not in joined and "<p>" not in joined


def test_second_ingest_is_refused_while_one_runs(scratch_settings: Settings) -> None:
    scratch_settings.store_dir.mkdir(parents=True, exist_ok=True)
    with ingest_lock(scratch_settings.store_dir), pytest.raises(IngestLocked, match="wait for it"):
        ingest(scratch_settings)


def test_a_store_built_by_an_older_cleaner_is_read_again_once(
    fake_scratch_settings: Settings,
) -> None:
    """A release that cleans or titles articles differently re-reads every file of an old
    store on the next ingest (else its titles and dates stay stale), and then only once."""
    from corpusqa.ingest.pipeline import CLEANING_VERSION

    ingest(fake_scratch_settings)
    store = open_store(fake_scratch_settings)
    assert store.info()["cleaning_version"] == CLEANING_VERSION
    store.update_info(cleaning_version=CLEANING_VERSION - 1)
    redone = ingest(fake_scratch_settings)
    assert (redone.updated, redone.unchanged) == (5, 0)
    assert open_store(fake_scratch_settings).info()["cleaning_version"] == CLEANING_VERSION
    assert (ingest(fake_scratch_settings).unchanged, redone.chunks_total) == (
        5,
        open_store(fake_scratch_settings).count(),
    )


def test_an_article_read_again_is_never_missing_from_the_store(
    fake_scratch_settings: Settings,
) -> None:
    """A chat reading the store while another process re-reads an edited article finds the
    article at every moment, listed and with chunks: the new chunks are written before the old
    ones are deleted, and none of the old ones stays."""
    from fakes import WatchedChromaStore

    settings = load_settings(
        store_dir=fake_scratch_settings.store_dir,
        corpus_dir=fake_scratch_settings.corpus_dir,
        embedding_model=fake_scratch_settings.embedding_model,
        store="fakes:WatchedChromaStore",
    )
    ingest(settings)
    edited = settings.corpus_dir / "000_32508a09280337c8.txt"
    new_text = edited.read_text(encoding="utf-8").replace("Reuven Azar", "Reuven Azaria")
    edited.write_text(new_text, encoding="utf-8")
    WatchedChromaStore.low_water.clear()
    WatchedChromaStore.unlisted.clear()
    assert ingest(settings).updated == 1
    assert WatchedChromaStore.low_water[edited.name] > 0
    assert edited.name not in WatchedChromaStore.unlisted  # listed throughout, then complete
    assert not open_store(settings).files()[edited.name].pending
    chunks = [c for c in all_chunks(settings) if c.metadata["source"] == edited.name]
    assert len(chunks) == open_store(settings).files()[edited.name].chunks
    for chunk in chunks:  # every chunk left is a span of the new text: no stale chunk stayed
        assert new_text[int(chunk.metadata["start"]) : int(chunk.metadata["end"])] == chunk.text
