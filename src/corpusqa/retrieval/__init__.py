"""Retrieval stage: a question becomes ranked passages (dense + BM25, fused)."""

from corpusqa.retrieval.hybrid import Retriever

__all__ = ["Retriever"]
