"""corpusqa's hybrid retrieval as a llama-index retriever, for use in llama-index pipelines.

Imported only by callers that want it: llama-index costs import time the CLI should not pay.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from corpusqa.retrieval.hybrid import Retriever


class CorpusRetriever(BaseRetriever):
    """Dense + BM25 fused passages as NodeWithScore; node metadata keeps source and exact span."""

    def __init__(self, retriever: Retriever, k: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._corpus_retriever = retriever
        self._k = k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        passages = self._corpus_retriever.search(query_bundle.query_str, self._k)
        return [
            NodeWithScore(
                node=TextNode(
                    id_=passage.id,
                    text=passage.text,
                    metadata={
                        "source": passage.source,
                        "start": passage.start,
                        "end": passage.end,
                        "title": passage.title,
                    },
                ),
                score=passage.score,
            )
            for passage in passages
        ]
