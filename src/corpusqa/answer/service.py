"""answer(): the one call behind the chat, the CLI and the evaluator."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Generator as GeneratorOf
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from corpusqa.answer import evidence
from corpusqa.answer.analysis import QuestionAnalysis, analyse
from corpusqa.answer.candidates import Candidate, CandidateScorer
from corpusqa.answer.citing import CitedText, citation_of
from corpusqa.answer.compose import Draft, refused, with_full_name, with_referent
from corpusqa.answer.compose import draft_answer as compose_draft
from corpusqa.answer.confidence import ConfidenceModel, load
from corpusqa.answer.grounding import Claim, Grounder, SupportRule, claims_of, settled_claims
from corpusqa.answer.metadata import metadata_draft
from corpusqa.answer.nlp import EntityFinder
from corpusqa.answer.question import (
    HISTORY_TURNS,
    Question,
    earlier_questions,
    ellipsis_of,
    labels_pointed_back_to,
    strip_instructions,
    understand,
)
from corpusqa.answer.refusal import PROMPTS, Refusal, RefusalReason
from corpusqa.answer.sentence_cache import SavedSentenceWork
from corpusqa.answer.verify import SourceTexts, verified
from corpusqa.errors import InvalidQuestion
from corpusqa.generate import (
    GenerationRequest,
    Generator,
    GeneratorError,
    NumberedPassage,
    make_generator,
)
from corpusqa.prompts import render
from corpusqa.retrieval import Retriever
from corpusqa.settings import Settings, load_settings
from corpusqa.text import content_words, without_lone_surrogates
from corpusqa.types import Answer, AnswerDelta, Passage, RetrievedRef

# An answer's stream: text as it is produced, then the Answer itself as the generator's value.
Steps = GeneratorOf[AnswerDelta | Answer, None, Answer]
log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
WARM_BATCH = 64  # sentences embedded and tagged at a time while warming
QUICK_TAGS_BYTES = 1_000_000  # saved tags a cold answer reads (~6 ms per 100 kB here)
CONDENSED_KEEPS = 0.6  # a model's rewrite of a follow-up must keep this share of its words


class Answerer:
    """Holds the loaded model, store and indexes; answer() is cheap after the first call."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.generator = generator or make_generator(settings)
        self.finder = EntityFinder()
        self._warmed: threading.Event | None = None  # set by warm_up_in_thread

    @cached_property
    def scorer(self) -> CandidateScorer:
        scorer = CandidateScorer(self.retriever.embedder, self.finder)
        self._read_saved_work(scorer)
        return scorer

    def _saved_work(self) -> SavedSentenceWork:
        embedder = self.retriever.embedder
        return SavedSentenceWork.of(
            self.settings.store_dir,
            f"{self.settings.embedding_model}|{embedder.name}",
            embedder.dimension,
        )

    def _read_saved_work(self, scorer: CandidateScorer) -> None:
        """What a warm process saved (warm_sentences), so that a one-shot `corpusqa ask` does
        not embed and tag its passages' sentences again: about 0.3 s of a 3 s cold start here.
        Tags are read only from a small file: reading the tags of 3,500 sentences (0.35 s)
        takes longer than tagging the few dozen a question weighs."""
        saved = self._saved_work()
        saved.load_vectors_into(scorer.vectors)
        if saved.tags_file is not None and _size(saved.tags_file) <= QUICK_TAGS_BYTES:
            saved.load_tags_into(self.finder)

    @cached_property
    def confidence(self) -> ConfidenceModel:
        return load(self.settings.confidence_model)

    @property
    def _sentence_vectors(self) -> dict[str, np.ndarray]:
        return self.scorer.vectors

    @cached_property
    def sources(self) -> SourceTexts:
        stored = self.retriever.store.info().get("corpus_dir")
        root = Path(stored) if stored and Path(stored).is_dir() else self.settings.corpus_dir
        return SourceTexts(root)

    def answer(
        self, question: str, history: Sequence[str] = (), sources: Sequence[str] = ()
    ) -> Answer:
        """Answer from the corpus only, with verified quotes; refuse when it does not say.

        `sources` (file names) limits the answer to those articles.
        """
        for event in self.stream(question, history, sources):
            if isinstance(event, Answer):
                return event
        raise AssertionError("stream() always ends with an Answer")

    def stream(
        self, question: str, history: Sequence[str] = (), sources: Sequence[str] = ()
    ) -> Iterator[AnswerDelta | Answer]:
        """Answer text as it is produced (AnswerDelta), then the full, checked Answer."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        self.wait_until_warm()
        cleaned, notice = self._checked(question)
        scope = self._checked_scope(sources)
        turns = earlier_questions([self._checked(h)[0] for h in history if h and h.strip()])
        clock = time.perf_counter()
        answered = self._name_answered_before(cleaned, turns, scope)
        if answered:  # a follow-up's earlier question answered again: its own cost, shown apart
            timings["earlier_answer"] = _ms_since(clock)
        asked = self._understand(
            cleaned, turns, answered, self._name_replaced(strip_instructions(cleaned)[0], turns)
        )
        timings["understand"] = round(_ms_since(started) - timings.get("earlier_answer", 0.0), 2)
        if not asked.has_content:
            nothing = Draft(Refusal(RefusalReason.NO_QUESTION))
            result = self._refusal(asked, nothing, notice or self._instructions_notice(asked))
        else:
            result = yield from self._answer_from_corpus(asked, turns, timings, notice, scope)
        result.scope = list(scope)
        result.latency_ms = _ms_since(started)
        result.timings_ms = timings
        yield result

    def warm_up(self, in_background: bool = False) -> None:
        """Load the models and indexes now rather than on the first question.

        in_background: be ready to answer as soon as the quick path is loaded (the NER model,
        the indexes, an embedder that needs no torch) and load the full embedder in a thread;
        answers switch to it once it is in. The chat is then ready seconds sooner.
        """
        # spaCy first and here: its import hides torch from thinc (see nlp.py), which must not
        # overlap a thread importing torch.
        self.finder.entities("Warm up the tagger: Ada Lovelace met them in London on Monday.")
        if not in_background:
            self.retriever.warm_up()
            self.warm_sentences()
            return
        self.retriever.quick_warm_up()
        loader = threading.Thread(target=self._load_in_background, name="embedder-warm-up")
        loader.daemon = True  # a process stopping before it finishes need not wait for it
        loader.start()

    def warm_up_in_thread(self) -> None:
        """warm_up(in_background=True) in a thread, so that a server can answer its page while
        the models load; questions wait until the quick path is in."""
        self._warmed = warmed = threading.Event()

        def warm() -> None:
            try:
                self.warm_up(in_background=True)
            except Exception:  # the first question loads what it needs, or says what is wrong
                log.exception("warming up failed")
            finally:
                warmed.set()

        threading.Thread(target=warm, name="answerer-warm-up", daemon=True).start()

    def wait_until_warm(self) -> None:
        """Return once warm_up_in_thread's quick path is in (at once if none was started).

        Whatever may import torch (an upload's ingest) must wait too: spaCy's import, early in
        the warm-up, hides torch from every thread for its duration (nlp.py).
        """
        if self._warmed is not None:
            self._warmed.wait()

    def _load_in_background(self) -> None:
        try:
            self.retriever.warm_up()
            self.warm_sentences()
        except Exception:  # the quick path keeps answering; say why the full one is missing
            log.exception("the full embedding model could not be loaded; questions still work")

    def warm_sentences(self) -> int:
        """Embed and tag every sentence of a small corpus now, so that no question waits for it.

        A question weighs the sentences of its passages; each is embedded and tagged the first
        time any question needs it (about 70 ms of a first answer on the five articles, 10 ms
        once cached; 130 ms on a 700-chunk Wikipedia store). Above `warm_sentences_max_chunks`
        this is left to the questions. What was computed is saved in the store folder
        (sentence_cache.py), so the next process loads it instead. Returns the number of
        sentences warmed.
        """
        limit = self.settings.warm_sentences_max_chunks
        if limit == 0 or self.retriever.store.count() > limit:
            return 0
        sentences = evidence.sentences_of(list(self.retriever.all_passages()))
        embedder = self.retriever.embedder
        saved = self._saved_work()
        already = (saved.load_vectors_into(self.scorer.vectors), saved.load_tags_into(self.finder))
        for start in range(0, len(sentences), WARM_BATCH):
            batch = sentences[start : start + WARM_BATCH]
            evidence.embed_sentences(batch, embedder, self.scorer.vectors)
            self.finder.parsed_of([s.text for s in batch])
        saved.save([s.text for s in sentences], self.scorer.vectors, self.finder, already)
        self.scorer.corpus_embedded = True
        return len(sentences)

    def _checked(self, question: str) -> tuple[str, str]:
        if not isinstance(question, str):
            raise InvalidQuestion("The question must be text.")
        text = without_lone_surrogates(_CONTROL.sub(" ", question))
        text = unicodedata.normalize("NFC", text).strip()
        if not text:
            raise InvalidQuestion("Type a question about the articles.")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            return text[:limit], f"Your question was cut to its first {limit} characters."
        return text, ""

    def _checked_scope(self, sources: Sequence[str]) -> tuple[str, ...]:
        """The articles a question is limited to; a name the store lacks is the user's error."""
        if isinstance(sources, str) or not all(isinstance(s, str) for s in sources):
            raise InvalidQuestion("The articles to ask within must be a list of file names.")
        scope = tuple(dict.fromkeys(s.strip() for s in sources if s.strip()))
        if not scope:
            return ()
        known = self.retriever.store.files()
        unknown = [s for s in scope if s not in known]
        if unknown:
            raise InvalidQuestion(
                f"No article named {', '.join(unknown)} in the corpus, which has {len(known)} "
                "(the Articles list in the chat, `corpusqa articles` on the command line)."
            )
        return scope

    def _understand(
        self, question: str, history: list[str], answered: str = "", replaces: str | None = None
    ) -> Question:
        asked = understand(question, history, answered, replaces)
        use_model = self.generator.uses_model and self.settings.condense_with_model
        if not (history and use_model and asked.has_content):
            return asked
        plain = strip_instructions(question)[0]
        if answered:  # the model sees the earlier questions only: tell it whom the answer named
            shown = render(
                self.settings.prompts_dir, "answered_turn", turn=history[-1], name=answered
            )
            history = [*history[:-1], shown]
        try:
            rewritten = self.generator.condense(plain, history)
        except GeneratorError:
            return asked  # the rules' rewrite is good enough; the answer step reports the outage
        if rewritten and _keeps_question(plain, rewritten):
            return dataclasses.replace(asked, standalone=strip_instructions(rewritten)[0])
        return asked

    def _name_replaced(self, question: str, history: list[str]) -> str | None:
        """For "what about X?", the name of the newest earlier question X takes the place of:
        its last name that may be of X's kind ("Who won the marathon in 2022?" + "what about
        2019?": the year). "" when it names nothing of that kind, None when X's kind is
        unknown."""
        instead = ellipsis_of(question)
        if instead is None or not history:
            return None
        kinds = self.finder.kinds_of(instead)
        if not kinds:
            return None
        named = self.finder.entities(history[-1])
        same = [e.text for e in named if kinds & self.finder.kinds_of(e.text, e.label)]
        return same[-1] if same else ""

    def _name_answered_before(
        self, question: str, history: list[str], scope: Sequence[str] = ()
    ) -> str:
        """The name the newest earlier question was answered with, when a pronoun of this one
        can stand for it and nothing else can: "Who is Israel's ambassador to India?" then "What
        did he say?". After "Whom did Zaheer meet?", "he" is still Zaheer.

        Front ends pass the earlier questions, not the answers, so the newest one is answered
        again (extractively: its short answer, no model call); its own follow-up names come from
        its questions alone, so this goes back one turn only.
        """
        wanted = labels_pointed_back_to(question)
        if not history or not wanted:
            return ""
        before = understand(history[-1], history[:-1][-HISTORY_TURNS:])
        if not before.has_content:
            return ""
        if any(e.label in wanted for e in analyse(before.standalone, self.finder).entities):
            return ""  # the earlier question names one itself: the pronoun is more likely it
        draft = self._draft(before, self._pool(before.standalone, scope))
        short = draft.short
        if draft.refused or short is None or short.label not in wanted:
            return ""
        return short.text.strip()

    def _answer_from_corpus(
        self,
        asked: Question,
        history: list[str],
        timings: dict[str, float],
        notice: str,
        scope: Sequence[str] = (),
    ) -> Steps:
        clock = time.perf_counter()
        pool = self._pool(asked.standalone, scope)
        passages = pool[: self.settings.top_k]
        timings["retrieve"] = _ms_since(clock)
        clock = time.perf_counter()
        draft = self._draft(asked, pool)
        timings["select"] = _ms_since(clock)
        clock = time.perf_counter()
        notice = notice or self._instructions_notice(asked)
        if draft.refused:  # the evidence decides; a model is never asked to answer without it
            result = self._refusal(asked, draft, notice)
        elif self.generator.uses_model:
            result = yield from self._generated(asked, history, passages, draft, notice)
            timings["generate"] = _ms_since(clock)
            clock = time.perf_counter()
        else:
            result = self._cited(asked, draft, notice)
            yield AnswerDelta(text=result.answer)
        result.retrieved = [
            RetrievedRef(
                source=p.source, start=p.start, end=p.end, score=p.score, title=p.title, text=p.text
            )
            for p in passages
        ]
        timings["verify"] = _ms_since(clock)
        return result

    def _draft(self, asked: Question, pool: list[Passage]) -> Draft:
        analysis = analyse(asked.standalone, self.finder)
        if analysis.metadata_field is not None and pool:
            return metadata_draft(
                analysis.metadata_field,
                asked.standalone,
                pool,
                lambda source: self.sources.text(source) or "",
            )
        sentences = evidence.sentences_of(pool)
        ranked = self.ranked_candidates(analysis, sentences)
        unmentioned = self._unmentioned(analysis, pool, ranked)
        if unmentioned is not None:
            return unmentioned
        threshold = self.settings.refusal_threshold
        threshold = self.confidence.threshold if threshold is None else threshold
        draft = compose_draft(analysis, ranked, sentences, threshold)
        draft = with_referent(draft, sentences, self.finder.entities_of)
        return with_full_name(draft, sentences, self.finder.entities_of)

    def ranked_candidates(
        self, analysis: QuestionAnalysis, sentences: list[evidence.Sentence]
    ) -> list[Candidate]:
        """The shortlisted sentences, most probable answer first."""
        ledes = {source: self._lede(source) for source in {s.source for s in sentences}}
        for sentence in sentences:
            sentence.lede = ledes[sentence.source]
        question_vector = self.retriever.embed_query(analysis.text)
        found = self.scorer.candidates(analysis, question_vector, sentences)
        return self.confidence.rank(found)

    def _lede(self, source: str) -> str:
        text = self.sources.text(source)
        return "" if text is None else evidence.lede_of(text)

    def analysed(self, question: str) -> tuple[QuestionAnalysis, list[Candidate]]:
        """The analysis and ranked candidates of a standalone question (for calibration)."""
        analysis = analyse(question, self.finder)
        pool = self._pool(question)
        return analysis, self.ranked_candidates(analysis, evidence.sentences_of(pool))

    def _pool(self, question: str, scope: Sequence[str] = ()) -> list[Passage]:
        """The passages whose sentences are weighed (more than the top_k that are shown)."""
        k = max(self.settings.top_k, self.settings.answer_pool)
        return self.retriever.search(question, k, scope)

    def _unmentioned(
        self, analysis: QuestionAnalysis, pool: list[Passage], ranked: list[Candidate]
    ) -> Draft | None:
        """A name the question asks about that the evidence lacks: say what is known, and no more.

        The claim "the articles don't mention X" is checked against the whole corpus; a name the
        corpus has but the matching passages lack is reported as just that.
        """
        present = frozenset().union(*(evidence.tokens_of(evidence.surroundings(p)) for p in pool))
        for constraint in (c for c in analysis.constraints if c.is_name):
            absent = [
                w
                for w in constraint.words
                if not w.isdigit() and not evidence.has_close_word(w, present)
            ]
            if not absent or any(
                evidence.named_by_acronym(constraint.text, evidence.surroundings(p)) for p in pool
            ):
                continue
            if any(self.retriever.corpus_mentions(word) for word in absent):
                return refused(RefusalReason.NOT_IN_MATCHES, ranked, constraint.text)
            return refused(RefusalReason.UNMENTIONED, ranked, constraint.text)
        return None

    def _generated(
        self,
        asked: Question,
        history: list[str],
        passages: list[Passage],
        draft: Draft,
        notice: str,
    ) -> Steps:
        """The model's answer, sentence by sentence, each kept only if a cited passage supports it."""
        shown = passages[: self.settings.generator_passages]
        request = GenerationRequest(
            question=asked.standalone,
            history=history,
            passages=[
                NumberedPassage(n, p.source, p.title, p.text) for n, p in enumerate(shown, 1)
            ],
        )
        rule = SupportRule(self.settings.support_min_overlap, self.settings.support_min_similarity)
        grounder = Grounder(shown, self.retriever.embedder, self._sentence_vectors, rule)
        cited = CitedText(self.sources)
        written, checked = "", 0
        try:
            for piece in self.generator.stream(request):
                written += piece
                settled = settled_claims(written)
                yield from _checked_deltas(settled[checked:], grounder, cited)
                checked = len(settled)
        except GeneratorError as error:
            return self._fallback(asked, draft, notice, str(error))
        yield from _checked_deltas(claims_of(written)[checked:], grounder, cited)
        outcome = grounder.result
        if not cited.citations or outcome.supported_share < self.settings.min_supported_share:
            reason = (
                f"wrote {len(outcome.removed)} sentence(s) the passages do not support"
                if outcome.removed
                else "wrote no answer"
            )
            return self._fallback(asked, draft, notice, reason, outcome.removed)
        if outcome.removed:
            removed = render(
                self.settings.prompts_dir, "model_removed", count=str(len(outcome.removed))
            )
            notice = f"{notice} {removed}".strip()
        result = _cited_answer(asked, cited, notice)
        result.generator, result.unsupported = self.generator.label, outcome.removed
        return result

    def _fallback(
        self, asked: Question, draft: Draft, notice: str, reason: str, removed: Sequence[str] = ()
    ) -> Answer:
        result = self._cited(asked, draft, notice)
        explanation = render(
            self.settings.prompts_dir, "model_fallback", model=self.generator.label, reason=reason
        )
        result.notice = f"{notice} {explanation}".strip()
        result.generator = f"extractive (fallback from {self.generator.label})"
        result.unsupported = list(removed)
        return result

    def _cited(self, asked: Question, draft: Draft, notice: str) -> Answer:
        cited = CitedText(self.sources)
        for part in draft.parts:
            text = part.text if part.sentence else render(self.settings.prompts_dir, part.text)
            cited.add(text, part.sentence)
        if not cited.citations:
            return self._refusal(asked, Draft(Refusal(RefusalReason.NOT_ANSWERED)), notice)
        result = _cited_answer(asked, cited, notice)
        result.short_answer = cited.short_answer(draft.short)
        if result.short_answer is not None:
            result.answer = f"{result.short_answer.text} — {result.answer}"
        result.confidence = draft.confidence
        return result

    def _refusal(self, asked: Question, draft: Draft, notice: str) -> Answer:
        refusal = draft.refusal or Refusal(RefusalReason.NOT_ANSWERED)
        prompt = PROMPTS[refusal.reason]
        text = render(
            self.settings.prompts_dir,
            self.settings.refusal_prompt if prompt == "refusal" else prompt,
            question=asked.original,
            detail=refusal.detail,
        )
        related = [citation_of(s, n) for n, s in enumerate(draft.related, start=1)]
        return Answer(
            question=asked.original,
            answer=text,
            refused=True,
            refusal_reason=str(refusal.reason),
            confidence=draft.confidence,
            related=verified(related, self.sources),
            standalone_question=asked.standalone,
            notice=notice,
        )

    def _instructions_notice(self, asked: Question) -> str:
        if not asked.instructions_removed:
            return ""
        return render(self.settings.prompts_dir, "instructions_ignored")


def _cited_answer(asked: Question, cited: CitedText, notice: str) -> Answer:
    return Answer(
        question=asked.original,
        answer=cited.text,
        refused=False,
        citations=cited.citations,
        standalone_question=asked.standalone,
        notice=notice,
    )


def _checked_deltas(
    claims: Sequence[Claim], grounder: Grounder, cited: CitedText
) -> Iterator[AnswerDelta]:
    """The claims a passage supports, cited; the rest are dropped (the grounder records them)."""
    for claim in claims:
        evidence_sentence = grounder.check(claim)
        if evidence_sentence is not None and (piece := cited.add(claim.text, evidence_sentence)):
            yield AnswerDelta(text=piece)


def _keeps_question(question: str, rewritten: str) -> bool:
    """A model's rewrite is used only if it still asks the same thing (small models wander)."""
    asked = set(content_words(question))
    kept = set(content_words(rewritten))
    if not asked or len(rewritten) > 3 * len(question) + 80:
        return False
    return len(asked & kept) / len(asked) >= CONDENSED_KEEPS


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


_answerers: dict[str, Answerer] = {}


def get_answerer(settings: Settings | None = None) -> Answerer:
    """One Answerer per distinct settings per process, so models load once."""
    settings = settings or load_settings()
    key = settings.model_dump_json()
    if key not in _answerers:
        _answerers[key] = Answerer(settings)
    return _answerers[key]


def answer(
    question: str,
    history: Sequence[str] = (),
    settings: Settings | None = None,
    sources: Sequence[str] = (),
) -> Answer:
    """Answer a question from the corpus (or from `sources` only). See Answerer.answer."""
    return get_answerer(settings).answer(question, history, sources)
