"""Embedders: text to unit vectors."""

from corpusqa.embed.base import Embedder
from corpusqa.embed.factory import make_embedder

__all__ = ["Embedder", "make_embedder"]
