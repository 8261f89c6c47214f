"""One benchmark phase per process, so each phase's peak memory is its own.

Run as `python -m corpusqa.bench.worker PHASE ARGS_JSON`; settings come from CORPUSQA_* variables
set by the parent. The last stdout line is the phase's result as JSON.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from corpusqa.eval.metrics import percentile
from corpusqa.settings import Settings, load_settings

RECALL_K = 10
TIE_EPSILON = 1e-5
SAMPLED_QUERIES = 200  # pool sentences used as queries, beside the question set's questions


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _questions(path: str) -> list[Any]:
    from corpusqa.eval.questions import load

    return load(Path(path)).questions


def _warm_embedder(settings: Settings) -> Any:
    from corpusqa.embed import make_embedder

    embedder = make_embedder(settings.embedding_model, settings)
    embedder.warm_up()  # model load is start-up, not ingest throughput
    return embedder


def phase_ingest(settings: Settings, args: dict[str, Any]) -> dict[str, Any]:
    """The real ingest, then a bare SentenceTransformer.encode of (a sample of) the same chunks."""
    from corpusqa.ingest.pipeline import ingest
    from corpusqa.store import open_store

    embedder = _warm_embedder(settings)
    started = time.perf_counter()
    summary = ingest(settings, progress=sys.stderr.isatty())
    ingest_s = time.perf_counter() - started
    ingest_rss = peak_rss_mb()
    texts = [chunk.text for chunk in open_store(settings).iter_chunks()]
    sample = random.Random(0).sample(texts, min(len(texts), args["encode_sample"]))
    started = time.perf_counter()
    bulk = getattr(embedder, "bulk", embedder)  # the encoder ingest uses for large batches
    bulk.model.encode(sample, batch_size=settings.embedding_batch_size, show_progress_bar=False)
    encode_s = time.perf_counter() - started
    return {
        "chunks": summary.chunks_embedded,
        "files": summary.files,
        "ingest_s": ingest_s,
        "ingest_chunks_per_s": summary.chunks_embedded / ingest_s,
        "encode_chunks_per_s": len(sample) / encode_s,
        "encoded": len(sample),
        "peak_rss_mb": ingest_rss,
    }


def phase_recall(settings: Settings, args: dict[str, Any]) -> dict[str, Any]:
    """Dense top-10 from Chroma's HNSW (our parameters, then Chroma's defaults) vs exact search."""
    from corpusqa.bench.corpus import prose_sentences
    from corpusqa.store.chroma import ChromaStore, chroma_client

    # Opened as the app opens it, so the store searches with the configured ef_search.
    chunks = ChromaStore(chroma_client(settings), settings).chunks
    ids, vectors = _all_vectors(chunks)
    queries = [q.question for q in _questions(args["questions"])]
    queries += random.Random(1).sample(prose_sentences(), SAMPLED_QUERIES)
    query_vectors = _warm_embedder(settings).embed(queries)
    similarities = query_vectors @ vectors.T  # L2-normalised vectors: dot product is cosine
    kth_best = -np.partition(-similarities, RECALL_K - 1, axis=1)[:, RECALL_K - 1]
    row_of = {chunk_id: row for row, chunk_id in enumerate(ids)}

    def recall(found: list[list[str]]) -> float:
        # Tie-aware, as ann-benchmarks counts it: a result as close as the exact 10th is a hit
        # (repeated text gives equal vectors, and any of them is a right answer).
        hits = [
            sum(similarities[q, row_of[i]] >= kth_best[q] - TIE_EPSILON for i in row) / RECALL_K
            for q, row in enumerate(found)
        ]
        return round(float(np.mean(hits)), 4)

    ours = _hnsw_top_k(chunks, query_vectors)
    defaults = _chroma_defaults_top_k(args["scratch"], ids, vectors, query_vectors)
    return {
        "queries": len(queries),
        "chunks": len(ids),
        "recall": recall(ours),
        "recall_chroma_defaults": recall(defaults),
    }


def _all_vectors(collection: Any, page: int = 5000) -> tuple[list[str], np.ndarray]:
    ids: list[str] = []
    rows: list[np.ndarray] = []
    while True:
        got = collection.get(limit=page, offset=len(ids), include=["embeddings"])
        ids += got["ids"]
        rows.append(np.asarray(got["embeddings"], dtype=np.float32))
        if len(got["ids"]) < page:
            return ids, np.concatenate(rows)


def _hnsw_top_k(collection: Any, queries: np.ndarray) -> list[list[str]]:
    result = collection.query(query_embeddings=queries, n_results=RECALL_K, include=[])
    ids: list[list[str]] = result["ids"]
    return ids


def _chroma_defaults_top_k(
    scratch: str, ids: list[str], vectors: np.ndarray, queries: np.ndarray
) -> list[list[str]]:
    from corpusqa.store.chroma import embedded_client

    client = embedded_client(Path(scratch))
    client.reset()
    # Only the distance is set (to cosine, like ours): every HNSW parameter is Chroma's default.
    collection = client.create_collection(
        "defaults", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    batch = client.get_max_batch_size()
    for begin in range(0, len(ids), batch):
        collection.add(ids=ids[begin : begin + batch], embeddings=vectors[begin : begin + batch])
    return _hnsw_top_k(collection, queries)


def phase_serve(settings: Settings, args: dict[str, Any]) -> dict[str, Any]:
    """A warm answering process: the question set through answer(), then search() alone."""
    from corpusqa.answer import Answerer
    from corpusqa.eval import runner
    from corpusqa.eval.questions import load
    from corpusqa.retrieval import Retriever

    question_set = load(Path(args["questions"]))
    answerer = Answerer(settings)
    summary = runner.run(question_set, answerer)["summary"]  # it warms the answerer up first
    Retriever.forget_query_vectors()  # search() timed with the query embedding included
    searches = [_ms(partial(answerer.retriever.search, q.question)) for q in question_set.questions]
    return {
        "answer_p50_ms": summary["latency_p50_ms"],
        "answer_p95_ms": summary["latency_p95_ms"],
        "answer_accuracy": summary["answer_accuracy"],
        "refusal_accuracy": summary["refusal_accuracy"],
        "search_p50_ms": percentile(searches, 0.5),
        "search_p95_ms": percentile(searches, 0.95),
        "peak_rss_mb": peak_rss_mb(),
    }


def _ms(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def phase_llamaindex(settings: Settings, args: dict[str, Any]) -> dict[str, Any]:
    """A plain LlamaIndex pipeline: VectorStoreIndex over Chroma, same model, default retriever."""
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from corpusqa.embed.factory import packaged_minilm_path
    from corpusqa.store.chroma import embedded_client

    embed_model = HuggingFaceEmbedding(model_name=str(packaged_minilm_path()), device="cpu")
    embed_model.get_text_embedding("warm up")
    client = embedded_client(Path(args["scratch"]))
    client.reset()
    collection = client.create_collection("llamaindex", embedding_function=None)
    started = time.perf_counter()
    documents = SimpleDirectoryReader(settings.corpus_dir, recursive=True).load_data()
    index = VectorStoreIndex.from_documents(
        documents,
        storage_context=StorageContext.from_defaults(
            vector_store=ChromaVectorStore(chroma_collection=collection)
        ),
        embed_model=embed_model,
        # The same chunk length as corpusqa's, so both embed about as many chunks.
        transformations=[
            SentenceSplitter(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)
        ],
    )
    ingest_s = time.perf_counter() - started
    retriever = index.as_retriever()
    queries = [_ms(partial(retriever.retrieve, q.question)) for q in _questions(args["questions"])]
    return {
        "chunks": collection.count(),
        "ingest_s": ingest_s,
        "ingest_chunks_per_s": collection.count() / ingest_s,
        "query_p50_ms": percentile(queries, 0.5),
        "query_p95_ms": percentile(queries, 0.95),
        "peak_rss_mb": peak_rss_mb(),
    }


PHASES: dict[str, Callable[[Settings, dict[str, Any]], dict[str, Any]]] = {
    "ingest": phase_ingest,
    "recall": phase_recall,
    "serve": phase_serve,
    "llamaindex": phase_llamaindex,
}


def main() -> None:
    phase, raw = sys.argv[1], sys.argv[2]
    result = PHASES[phase](load_settings(), json.loads(raw))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
