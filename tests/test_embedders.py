"""The embedding model without torch: numpy gives sentence-transformers' vectors, and is used
for the few texts of a question so that the answer path never imports torch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from corpusqa.embed import make_embedder
from corpusqa.embed.factory import packaged_minilm, packaged_minilm_path
from corpusqa.embed.numpy_bert import NumpyBertEmbedder, QuickStartEmbedder, runs_in_numpy
from corpusqa.embed.sentence_transformers import SentenceTransformerEmbedder
from corpusqa.settings import load_settings

pytestmark = pytest.mark.model  # every test here loads the real model

TEXTS = [
    "Who is Israel's ambassador to India?",
    "Israel’s ambassador to India, Reuven Azar, told NDTV his country is uncomfortable with the "
    "Pakistan Army having a presence in Gaza.",
    "a",
    "Pakistan's Upper House of Parliament hosted Qaddoumi in a formal session. " * 30,  # truncated
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return SentenceTransformerEmbedder(packaged_minilm_path(), "st").embed(TEXTS)


def test_numpy_bert_gives_the_vectors_of_sentence_transformers(reference: np.ndarray) -> None:
    ours = NumpyBertEmbedder(packaged_minilm_path(), "numpy").embed(TEXTS)
    assert ours.shape == reference.shape
    assert np.abs(ours - reference).max() < 1e-5


def test_the_default_model_answers_questions_in_numpy_and_ingests_in_torch(
    reference: np.ndarray,
) -> None:
    embedder = packaged_minilm(load_settings())  # a new one, not the process's cached one
    assert isinstance(embedder, QuickStartEmbedder)
    few = embedder.embed(TEXTS)
    assert not embedder.bulk.loaded  # sentence-transformers was not loaded
    many = embedder.embed(TEXTS * 5)  # more than a question's handful: the bulk encoder
    assert embedder.bulk.loaded
    assert np.abs(few - reference).max() < 1e-5
    assert np.abs(many[: len(TEXTS)] - few).max() < 1e-5
    # Once torch is loaded it encodes questions too (numpy's BLAS threads would compete with it).
    assert embedder._encoder_for(TEXTS[:1]) is embedder.bulk


def test_a_folder_numpy_cannot_run_goes_to_sentence_transformers(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(packaged_minilm_path(), folder)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(
        json.dumps({**config, "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True})
    )
    assert not runs_in_numpy(folder)
    assert isinstance(make_embedder(str(folder)), SentenceTransformerEmbedder)
