"""Hybrid retrieval ranks the right article first for sample questions."""

from __future__ import annotations

import pytest

from corpusqa.retrieval import Retriever
from corpusqa.retrieval.fusion import reciprocal_rank_fusion
from corpusqa.settings import Settings

SAMPLES = [
    (
        "Which Israeli ambassador said his country is uncomfortable with Pakistani troops?",
        "000_32508a09280337c8.txt",
    ),
    (
        "What did Senator Mushahid Hussain say about hosting Qaddoumi in the Senate?",
        "001_3a4324403ecdb4af.txt",
    ),
    (
        "Why would Pakistan use Hamas against the Balochistan Liberation Army?",
        "002_396c6518924bf4f9.txt",
    ),
    (
        "What did Iran's president promise about relations with Pakistan?",
        "003_5cc5cd6bd2872c20.txt",
    ),
    ("What did Zaheer tell journalists at the Karachi Press Club?", "004_af2a358e8bf9e421.txt"),
]


@pytest.mark.parametrize(("question", "expected"), SAMPLES)
def test_right_file_ranks_first(store_settings: Settings, question: str, expected: str) -> None:
    passages = Retriever(store_settings).search(question, 5)
    assert passages[0].source == expected


def test_passages_carry_exact_spans_and_scores(store_settings: Settings) -> None:
    passages = Retriever(store_settings).search("Toofan-e-Aqsa conference in Karachi", 4)
    assert len(passages) == 4
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for passage in passages:
        text = (store_settings.corpus_dir / passage.source).read_text(encoding="utf-8")
        assert text[passage.start : passage.end] == passage.text
        assert passage.title


def test_bm25_alone_finds_a_rare_name(store_settings: Settings) -> None:
    index = Retriever(store_settings).lexical_index()
    assert index.search("Glody Murhabazi", 3), "BM25 should match a name that appears once"
    assert index.search("Gujranwala", 3), "a one-word query is a query too"
    assert index.search("the of and", 3) == []


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert [item for item, _ in fused][:2] == ["b", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_llama_index_retriever_returns_nodes_with_exact_spans(store_settings: Settings) -> None:
    from corpusqa.retrieval.llamaindex import CorpusRetriever

    nodes = CorpusRetriever(Retriever(store_settings), k=3).retrieve("Who is Reuven Azar?")
    assert len(nodes) == 3
    first = nodes[0]
    text = (store_settings.corpus_dir / first.node.metadata["source"]).read_text(encoding="utf-8")
    assert (
        text[first.node.metadata["start"] : first.node.metadata["end"]] == first.node.get_content()
    )
    assert "Azar" in first.node.get_content()
