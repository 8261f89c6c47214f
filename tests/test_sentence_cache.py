"""The sentence cache: what warming a corpus computed, saved in the store for the next process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fakes import SlowToWarmAnswerer, WordHashEmbedder

from corpusqa.answer import Answerer
from corpusqa.answer import sentence_cache as cache
from corpusqa.answer.nlp import Entity, Parsed, Word
from corpusqa.ingest.pipeline import ingest
from corpusqa.retrieval import Retriever
from corpusqa.settings import Settings

TEXTS = ["Reuven Azar spoke in Delhi.", "Naïve café — 2024’s “quoted” text.", "Third one."]


class CountingEmbedder(WordHashEmbedder):
    """The fake embedder, counting the texts it is asked to embed."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        self.embedded = 0

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        self.embedded += len(texts)
        return super()._encode(texts, batch_size)


def test_vectors_and_tags_come_back_as_saved_and_only_for_the_texts_kept(tmp_path: Path) -> None:
    vectors = dict(zip(TEXTS, WordHashEmbedder().embed(TEXTS)))
    vectors["no longer in the corpus"] = np.ones(256, dtype=np.float32)
    path = cache.vectors_path(tmp_path, "fakes:WordHashEmbedder", 256)
    cache.save_vectors(path, vectors, TEXTS)
    loaded = cache.load_vectors(path, 256)
    assert list(loaded) == TEXTS  # the stale entry is dropped
    assert all(np.array_equal(loaded[t], vectors[t]) for t in TEXTS)

    parsed = Parsed(
        (Entity("Reuven Azar", "PERSON", 0, 11), Entity("Delhi", "GPE", 21, 26)),
        (Word("Reuven", "NNP", "reuven", 0), Word("spoke", "VBD", "speak", 12)),
    )
    tags = cache.parses_path(tmp_path, "en_core_web_sm-3.8.0")
    cache.save_parses(tags, {TEXTS[0]: parsed, "stale": parsed}, TEXTS)
    assert cache.load_parses(tags) == {TEXTS[0]: parsed}


def test_a_file_of_another_model_or_a_damaged_one_gives_nothing(tmp_path: Path) -> None:
    vectors = dict(zip(TEXTS, WordHashEmbedder().embed(TEXTS)))
    path = cache.vectors_path(tmp_path, "fakes:WordHashEmbedder", 256)
    cache.save_vectors(path, vectors, TEXTS)
    assert cache.vectors_path(tmp_path, "another-model", 256) != path
    assert cache.load_vectors(path, 384) == {}  # vectors of another size are not these
    path.write_bytes(path.read_bytes()[:100])  # cut short, as a full disk might leave it
    assert cache.load_vectors(path, 256) == {}
    tags = cache.parses_path(tmp_path, "tagger")
    tags.write_text('{"format": 1, "parses": {"a": [[["x"]], []]}}', encoding="utf-8")
    assert cache.load_parses(tags) == {}


def test_a_second_process_loads_the_warmed_sentences_instead_of_embedding_them(
    fake_scratch_settings: Settings,
) -> None:
    ingest(fake_scratch_settings)
    question = "Who is Israel's ambassador to India?"
    first = CountingEmbedder()
    warmed = Answerer(
        fake_scratch_settings, retriever=Retriever(fake_scratch_settings, embedder=first)
    )
    assert warmed.warm_sentences() > 100
    assert first.embedded > 100
    saved = list((fake_scratch_settings.store_dir / cache.FOLDER).iterdir())
    assert any(p.suffix == ".npz" for p in saved)

    second = CountingEmbedder()
    later = Answerer(
        fake_scratch_settings, retriever=Retriever(fake_scratch_settings, embedder=second)
    )
    assert later.warm_sentences() == warmed.warm_sentences()
    assert second.embedded == 0  # every sentence came from the file
    assert later.answer(question).answer == warmed.answer(question).answer


def test_a_one_shot_answer_reads_the_saved_sentences_instead_of_embedding_them(
    fake_scratch_settings: Settings,
) -> None:
    """`corpusqa ask` never warms up: it embeds the question, and its passages' sentences only
    when no warm process saved them."""
    ingest(fake_scratch_settings)
    question = "Who is Israel's ambassador to India?"
    unsaved = CountingEmbedder()
    Answerer(
        fake_scratch_settings, retriever=Retriever(fake_scratch_settings, embedder=unsaved)
    ).answer(question)
    assert unsaved.embedded > 5  # the question and the sentences it weighs

    Answerer(fake_scratch_settings, retriever=Retriever(fake_scratch_settings)).warm_sentences()
    one_shot = CountingEmbedder()
    Answerer(
        fake_scratch_settings, retriever=Retriever(fake_scratch_settings, embedder=one_shot)
    ).answer(question)
    assert one_shot.embedded < unsaved.embedded
    assert one_shot.embedded <= 1 + 5  # the question, and titles (which are not sentences)


def test_a_question_asked_while_the_chat_warms_up_waits_for_the_models(
    fake_scratch_settings: Settings,
) -> None:
    """The chat serves its page while the models load in a thread (warm_up_in_thread); a
    question asked meanwhile must not race that loading, only wait for it."""
    ingest(fake_scratch_settings)
    question = "Who is Israel's ambassador to India?"
    expected = Answerer(fake_scratch_settings).answer(question)  # loads spaCy: answers are quick
    warming = SlowToWarmAnswerer(fake_scratch_settings)
    warming.warm_up_in_thread()
    answered = warming.answer(question)
    assert warming.events == ["warmed"]  # the answer waited for the warm-up
    assert answered.answer == expected.answer and not answered.refused
