"""A BERT sentence encoder in numpy, for the cold path.

Importing sentence-transformers costs about 6 s (torch, then transformers' model registry); a
question is a few dozen tokens, which six small layers in numpy encode in milliseconds. This runs
a sentence-transformers folder of the plain shape (a BERT model, mean pooling, optionally
normalised) from its own files with `tokenizers` and `safetensors`, giving the same vectors
(tested against sentence-transformers within 1e-5). Any other folder goes to sentence-transformers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from corpusqa.embed.base import Embedder
from corpusqa.embed.sentence_transformers import SentenceTransformerEmbedder

TRANSFORMER = "sentence_transformers.models.Transformer"
POOLING = "sentence_transformers.models.Pooling"
NORMALIZE = "sentence_transformers.models.Normalize"
# Abramowitz & Stegun 7.1.26: erf within 1.5e-7, well under float32 noise in the vectors.
ERF_P = 0.3275911
ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def runs_in_numpy(folder: Path) -> bool:
    """True when the folder is BERT + mean pooling (+ normalise), weights in safetensors."""
    try:
        modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
        config = json.loads((folder / "config.json").read_text())
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (
        modules in ([TRANSFORMER, POOLING], [TRANSFORMER, POOLING, NORMALIZE])
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and pooling.get("pooling_mode_mean_tokens") is True
        and not any(
            v
            for k, v in pooling.items()
            if k.startswith("pooling_mode_") and "mean_tokens" not in k
        )
        and (folder / "model.safetensors").is_file()
        and (folder / "tokenizer.json").is_file()
    )


@dataclass(frozen=True)
class _Shape:
    layers: int
    heads: int
    eps: float
    max_tokens: int
    hidden: int


class NumpyBert:
    """A BERT encoder in numpy: token ids in, hidden states out."""

    def __init__(self, model_path: Path) -> None:
        self.model_path = model_path

    @cached_property
    def shape(self) -> _Shape:
        config = json.loads((self.model_path / "config.json").read_text())
        st_config = self.model_path / "sentence_bert_config.json"
        max_tokens = (
            json.loads(st_config.read_text()).get("max_seq_length") if st_config.is_file() else None
        )
        return _Shape(
            layers=int(config["num_hidden_layers"]),
            heads=int(config["num_attention_heads"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
            max_tokens=int(max_tokens or config.get("max_position_embeddings", 512)),
            hidden=int(config["hidden_size"]),
        )

    @cached_property
    def weights(self) -> dict[str, np.ndarray]:
        from safetensors.numpy import load_file

        raw = load_file(str(self.model_path / "model.safetensors"))
        # Some checkpoints prefix every name with the model's base name ("bert.").
        return {k.removeprefix("bert."): v.astype(np.float32) for k, v in raw.items()}

    def tokenizer(self, max_tokens: int) -> Any:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.no_padding()
        return tokenizer

    def mean_pooled(self, ids: list[list[int]]) -> np.ndarray:
        """The mean of the last hidden states over each row's tokens."""
        width = max(len(row) for row in ids)
        token_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.float32)
        for row, row_ids in enumerate(ids):
            token_ids[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1.0
        hidden = self.hidden_states(token_ids, mask)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled: np.ndarray = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled

    def hidden_states(self, token_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.weights
        positions = np.arange(token_ids.shape[1])
        x = (
            w["embeddings.word_embeddings.weight"][token_ids]
            + w["embeddings.position_embeddings.weight"][positions][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding gets the most negative float32 in attention, as transformers does.
        bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min
        for layer in range(self.shape.layers):
            x = self._layer(x, bias, f"encoder.layer.{layer}.")
        return x

    def _layer(self, x: np.ndarray, bias: np.ndarray, prefix: str) -> np.ndarray:
        attended = self._attention(x, bias, prefix + "attention.self.")
        x = self._norm(
            x + self._dense(attended, prefix + "attention.output.dense"),
            prefix + "attention.output.LayerNorm",
        )
        inner = _gelu(self._dense(x, prefix + "intermediate.dense"))
        return self._norm(
            x + self._dense(inner, prefix + "output.dense"), prefix + "output.LayerNorm"
        )

    def _attention(self, x: np.ndarray, bias: np.ndarray, prefix: str) -> np.ndarray:
        batch, width, hidden = x.shape
        heads = self.shape.heads
        size = hidden // heads

        def split(name: str) -> np.ndarray:
            return (
                self._dense(x, prefix + name)
                .reshape(batch, width, heads, size)
                .transpose(0, 2, 1, 3)
            )

        query, key, value = split("query"), split("key"), split("value")
        scores = query @ key.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        attended: np.ndarray = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, width, hidden)
        return attended

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        # One 2-D product: a 3-D @ 2-D matmul loops in numpy instead of one BLAS call.
        flat = x.reshape(-1, x.shape[-1]) @ self.weights[name + ".weight"].T
        dense: np.ndarray = flat.reshape(*x.shape[:-1], -1) + self.weights[name + ".bias"]
        return dense

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normed = (x - mean) / np.sqrt(variance + np.float32(self.shape.eps))
        scaled: np.ndarray = normed * self.weights[name + ".weight"] + self.weights[name + ".bias"]
        return scaled


class NumpyBertEmbedder(Embedder):
    """Sentence vectors from a plain BERT sentence-transformers folder, without torch."""

    def __init__(self, model_path: Path, name: str) -> None:
        self.model_path = model_path
        self.name = name
        self.bert = NumpyBert(model_path)

    @cached_property
    def tokenizer(self) -> Any:
        return self.bert.tokenizer(self.bert.shape.max_tokens)

    @property
    def dimension(self) -> int:
        return self.bert.shape.hidden  # from config.json: the weights load on first use

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        # Batches of similar lengths pad little, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self.bert.mean_pooled([encodings[i].ids for i in batch])
        return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, 0.5·x·(1 + erf(x/√2)), with numpy only (no scipy import)."""
    # Constants as float32 arrays: Python floats against float32 arrays take a slow path here.
    one, half = np.float32(1.0), np.float32(0.5)
    # Clipped: erf is ±1 in float32 beyond |z| = 4, and exp(-z²) further out would be denormal.
    z = np.clip(x / np.float32(np.sqrt(2.0)), np.float32(-5.0), np.float32(5.0))
    t = one / (one + np.float32(ERF_P) * np.abs(z))
    a1, a2, a3, a4, a5 = (np.float32(a) for a in ERF_A)
    poly = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5))))
    erf = np.sign(z) * (one - poly * np.exp(-z * z))
    return half * x * (one + erf)


class QuickStartEmbedder(Embedder):
    """Few texts in numpy, many in sentence-transformers: the same model and the same vectors.

    A question is embedded in milliseconds by numpy without importing torch (6 s or more here);
    bulk encoding (ingest) is three times faster in torch, so large batches go there, loaded
    only when one comes or when the process warms up for a long life.
    """

    def __init__(
        self, quick: NumpyBertEmbedder, bulk: SentenceTransformerEmbedder, small_batch: int = 16
    ) -> None:
        self.quick = quick
        self.bulk = bulk
        self.small_batch = small_batch
        self.name = quick.name

    @property
    def dimension(self) -> int:
        return self.quick.dimension

    def warm_up(self) -> None:
        """A long-lived process (the chat, eval) loads torch once and encodes everything in it."""
        self.bulk.warm_up()

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self._encoder_for(texts)._encode(texts, batch_size)

    def _encoder_for(self, texts: list[str]) -> Embedder:
        # Once torch is loaded it does everything: it is faster for a few sentences, and numpy's
        # BLAS threads, spinning after each call, would compete with torch's for the two cores
        # (answer p50 +30 ms measured). Before, a handful of texts is not worth loading it for.
        if self.bulk.loaded or len(texts) > self.small_batch:
            return self.bulk
        return self.quick
