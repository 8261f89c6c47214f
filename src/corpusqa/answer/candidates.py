"""Candidate answers: each evidence sentence, with its context, scored on whether it answers.

A sentence that merely talks about the question's subject is not an answer. A candidate answers
when it holds a filler of the asked-for type that the question does not already contain, agrees
with every constraint of the question (in the sentence or its context: the sentences before it
and the article's title), and covers the question's words. These checks are features; the
confidence model (confidence.py) turns them into the probability that the candidate answers.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from corpusqa.answer.analysis import (
    FILLERS,
    HOW_LONG,
    MONTH_NAMES,
    ORGANISATION_NOUNS,
    PLACE_NOUNS,
    SUPERLATIVES,
    AnswerType,
    Constraint,
    QuestionAnalysis,
)
from corpusqa.answer.deeds import reverses_deed
from corpusqa.answer.evidence import (
    REFERS_BACK,
    VECTOR_CACHE_LIMIT,
    Sentence,
    embed_missing,
    embed_sentences,
    has_close_word,
    has_word,
    named_by_acronym,
    tokens_of,
)
from corpusqa.answer.nlp import NAMED_LABELS, YEAR, Entity, EntityFinder, Parsed, Word
from corpusqa.answer.opposites import (
    WEEKDAY_NAME,
    claimed_words,
    contradicted,
    other_count,
    other_numbered,
    other_ordinal,
    other_weekday,
)
from corpusqa.answer.periods import names_period
from corpusqa.answer.places import is_a_country
from corpusqa.answer.roles import held_by_another, names_role, posted_elsewhere
from corpusqa.answer.timeframe import only_prospective
from corpusqa.embed import Embedder
from corpusqa.text import STOPWORDS, content_words, normalize

# Constraints an answer must meet (in its sentence or context), not only weigh.
MUST_AGREE = frozenset({"year", "period", "number", "superlative"})
WORD_CONSTRAINTS = frozenset({"entity", "year", "number"})  # weighed as question words too
BY_MEANING = 4  # more sentences, closest in meaning, when their vectors are at hand
SHORTLIST = 8  # sentences that get a vector and entities; the rest are ranked by words alone
# (16 changed one answer in about 700 dev questions, at twice the embedding cost that dominates)
GIVES_REASON = re.compile(
    r"\b(?:because|since|due to|owing to|in order to|so that|aimed at|meant to|as a result|"
    r"to (?:avoid|prevent|protect|ensure|allow|help|stop|make|keep)|for fear|led to|caused)\b",
    re.I,
)
MONTH = re.compile(rf"\b{MONTH_NAMES}\b", re.I)
CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)*")
# "When ...?" is not answered by how long something took ("for the first time in six years").
# ("last year", "that day" are times: the count before the unit must be a number.)
DURATION = re.compile(
    r"(?:(?:about|nearly|almost|more than|over|some|just|only)\s+)?"
    r"(?:\d[\d,.]*|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|hundreds?|several|many|a few|(?:\w+-)?\w+ty(?:-\w+)?)\s+"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)",
    re.I,
)
# A time on a clock or a stopwatch: 2:08:41, 1:45.3, 9.58 seconds.
MEASURED_TIME = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\b|\b\d+(?:\.\d+)?\s+seconds\b", re.I
)
# A bare figure answers "how much money" or "what share" only in that unit.
UNIT_AFTER_A_FIGURE = {
    AnswerType.MONEY: re.compile(
        r"\s*(?:(?:million|billion|thousand|trillion|m|bn)\s+)?(?:dollars?|euros?|pounds?|"
        r"yen|yuan|rupees?|francs?|crowns?|kronor|krona|pesos?|rand|USD|EUR|GBP)\b",
        re.I,
    ),
    AnswerType.PERCENT: re.compile(r"\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.I),
}
CURRENCY_SIGN = re.compile(r"(?:[$£€¥₹]|\b(?:USD|EUR|GBP|INR|Rs\.?|US\$|A\$|C\$))\s*$")
FRACTION = re.compile(r"\b(?:half|halves|thirds?|quarters?|fifths?|tenths?)\b", re.I)
RELATIVE_TIME = frozenset(
    "coming next last this previous current new following upcoming past recent".split()
)
WEEKDAY = re.compile(rf"\b{WEEKDAY_NAME}\b", re.I)
DATE_WORDS = re.compile(
    r"\b(?:1[0-9]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|today|century|decade)\b|\b\d{1,2}(?:st|nd|rd|th)\b",
    re.I,
)
# A sentence can negate with a word ("not") or with the word's own form ("refusal", "lacked",
# "non-Catholics", "unjustified"): either can answer a negated question.
NEGATES = re.compile(
    r"\b(?:not|never|no|none|neither|nor|nobody|nothing|cannot|without|refus\w*|lack\w*|fail\w*|"
    r"den(?:y|ied|ies)|reject\w*|absent|prevent\w*|ban(?:s|ned)?|forb[ia]d\w*|prohibit\w*|"
    r"non-?\w+|un(?!der|it|ion|til|iver)\w{4,}|in(?:capable|ability|valid))\b|n['’]t\b",
    re.I,
)
# The verb a question negates after an auxiliary ("did not donate", "did Article 65 not agree",
# "couldn't recover"); "is not Pakistan's responsibility" negates no verb of its own.
NEGATED_VERB = re.compile(
    r"(?i:\b(?:did|does|do|could|would|can|will|should|has|have|had|might|may|must)\b)"
    r"(?:\s+[\w'’-]+){0,6}?\s+(?:(?i:not|never)|n['’]t)\s+(?:(?:be|been|have|ever|fully|yet)\s+)?"
    r"([a-z]+)\b|(?i:\bcannot|\b(?:did|does|do|could|would|ca|wo|should|has|have|had)n['’]t)"
    r"\s+(?:(?:be|been|have|ever|fully|yet)\s+)?([a-z]+)\b"
)
# How far before that verb a sentence's negation may stand ("had never fully recovered").
NEGATION_REACH = 30
# ...or how an exception after it negates it ("all came except Ali").
# What a sentence must say to report each act a question asks about (analysis.ASKED_ACTS): for
# "say", a verb of saying, "according to" or a quotation.
ACT_MARKERS = {
    "say": re.compile(
        r"\b(?:say|says|said|saying|tell|tells|told|state[sd]?|stating|declare[sd]?|declaring"
        r"|announce[sd]?|announcing|wr[io]te|writes|written|claim(?:s|ed)?|argue[sd]?|arguing"
        r"|warn(?:s|ed)?|add(?:s|ed)|insist(?:s|ed)?|note[sd]|urge[sd]|vow(?:s|ed)|assert(?:s|ed)"
        r"|describe[sd]|call(?:s|ed)|accuse[sd]|prais(?:es|ed)|den(?:y|ies|ied)|admit(?:s|ted)"
        r"|repl(?:y|ies|ied)|respond(?:s|ed)|stress(?:es|ed)|explain(?:s|ed)|suggest(?:s|ed)"
        r"|confirm(?:s|ed)|statement|remarks?|according\s+to)\b|[“\"‘]",
        re.I,
    ),
    "agree": re.compile(
        r"\b(?:agree[sd]?|agreeing|agreements?|deals?|accords?|pacts?|consensus|treaty"
        r"|sign(?:s|ed|ing)?|settle(?:s|d|ment)?|understanding)\b",
        re.I,
    ),
    "decide": re.compile(
        r"\b(?:decide[sd]?|deciding|decisions?|vote[sd]?|voting|approve[sd]?|approval"
        r"|reject(?:s|ed)?|rule[sd]|ruling|resolve[sd]?|resolution|cho(?:se|sen|ose))\b",
        re.I,
    ),
    "promise": re.compile(
        r"\b(?:promis(?:e|es|ed|ing)|pledge[sd]?|pledging|vow(?:s|ed)?|commit(?:s|ted|ment)?"
        r"|guarantee[sd]?|assure[sd]?)\b",
        re.I,
    ),
    "demand": re.compile(
        r"\b(?:demand(?:s|ed|ing)?|call(?:s|ed|ing)?\s+for|urge[sd]?|urging|ask(?:s|ed)?"
        r"|insist(?:s|ed)?|request(?:s|ed)?)\b",
        re.I,
    ),
}
# Words that open a clause whose year is not the sentence's own (see _in_an_aside).
ASIDE = re.compile(
    r"\b(?:who|whom|whose|which|than|since|compared|(?:up|down|rising|falling)\s+from"
    r"|previous(?:ly)?|earlier|prior|as\s+in)\b",
    re.I,
)
CLOSED_BY_COMMA = re.compile(r"[^,;.]{0,30},")
PARTICIPLE_ASIDE = re.compile(
    r"\s*(?:[a-z]+ed|built|born|founded|begun|made|set\s+up|won|held)\s+(?:in|on|at)\b"
)
EXCEPT = re.compile(r"\b(?:except|apart\s+from|other\s+than|but\s+not)\b", re.I)
# A word said right after a negation ("is not our responsibility"): the sentence denies it...
DENIED = re.compile(
    r"(?:\b(?:not|never|no|cannot|(?:declined|refused)\s+to\s+(?:give|say|comment|disclose|"
    r"provide|reveal|name|confirm|offer|release|publish|make))|n['’]t)"
    r"(?:\s+[\w'’-]+){0,2}\s+$",
    re.I,
)
DENIAL_REACH = 40  # characters before the word where that negation is looked for
# ...unless "not ... until", which says when it was ("not completed until 1769").
NOT_UNTIL = re.compile(r"[\w'’-]+(?:\s+[\w'’-]+)?\s+until\b", re.I)
# A question that itself sets something aside ("rather than against Israel").
CONTRASTED = re.compile(r"\b(?:rather\s+than|instead\s+of|as\s+opposed\s+to|not)\b", re.I)
# Words that stand before a person's name as a title ("Mayor", "Judge", "district commissioner"),
# and the labels the small tagger gives such names by mistake.
TITLES = frozenset(
    """mayor president minister senator judge governor general commissioner chairman chairwoman
    director coach captain colonel lieutenant admiral sergeant inspector detective prosecutor
    ambassador envoy spokesperson spokesman spokeswoman professor chief commander secretary
    superintendent chancellor premier councillor councilor bishop pope king queen prince
    princess sheikh imam dr mr mrs ms""".split()
)
MISLABELLED_PERSON = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
# "the town of Rawalakot": what follows is a place, whatever the tagger says.
PLACE_OF = re.compile(
    r"\b(?:town|city|village|district|province|region|county|island|capital|port|suburb|valley)"
    r"\s+of\s+$",
    re.I,
)
# Quantities without a figure ("several lakes", "dozens of empires", "none of the treaties"):
# an answer to "how many" only when the counted noun follows (see _counts).
QUANTIFIERS = re.compile(r"\b(?:several|many|few|numerous|dozens|scores|none|no)\b", re.I)
NUMBER_WORDS = re.compile(
    r"\d+(?:,\d{3})*(?:\.\d+)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens)\b",
    re.I,
)
# Two nouns at least this similar (MiniLM, each word alone) count the same things:
# nations/countries 0.79, troops/soldiers 0.89, cars/vehicles 0.88. Kinds of one family are
# close too and must stay apart: women/men 0.72, boys/girls 0.74, years/months 0.74.
SAME_KIND_SIMILARITY = 0.76
WORD_CACHE_LIMIT = 20_000
MISLABELLED_SURNAME = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC"})
NAME_REACH = 2_000  # characters either side of a sentence where its person is named in full
# "He further declared ...": who "he" is, is said in the sentence before (or the one before it).
OPENING_PRONOUN = re.compile(r"^\W*(He|She)\b")
REFERENT_REACH = 2
HEADLINE_WEIGHT = 0.5  # the sentence says more than its headline
# "Normans" or "French and Indian War" is a topic; "Farrow takes 2023 Harbor Light Prize" and
# "What are Hamas commanders doing in Pakistan?" are headlines.
HEADLINE_WORDS = 5
FEATURES = (
    "dense",
    "coverage",
    "window_coverage",
    "constraints_met",
    "constraints_in_sentence",
    "has_constraints",
    "filler_found",
    "filler_missing",
    "passage_rank",
    "absent_from_evidence",
    "best_coverage_gap",
    "sentence_length",
    "dense_gap",
    "window_gap",
)
RELATIVE = {"dense_gap": "dense", "window_gap": "window_coverage"}


@dataclass
class Candidate:
    """One sentence as a possible answer, with what the checks found."""

    sentence: Sentence
    fillers: list[Entity] = field(default_factory=list)  # offsets relative to sentence.text
    unmet: list[Constraint] = field(default_factory=list)
    # Names of the question that its whole passage lacks: it is about someone or somewhere else.
    elsewhere: list[Constraint] = field(default_factory=list)
    # The role a who-question asks about ("budget director"), absent from the sentence and the
    # one before it: whoever it names holds another role ("Mayor Celia Brandt").
    lacks_role: bool = False
    misses_negation: bool = False  # the question negates ("did not"); sentence and context don't
    # The sentence relates the question's two names the other way round ("Israel's ambassador
    # to India" for "India's ambassador to Israel").
    reverses_relation: bool = False
    # The question asks what happened; the sentence only says what will ("is slated to meet").
    only_planned: bool = False
    # A question word the sentence (or its context) says the opposite of ("western" for the
    # question's "eastern", "completed" for "incomplete"): a near miss, not the answer.
    contradicts: str = ""
    # The question asks it plainly; the sentence denies one of its words ("which country
    # should be responsible" and "... is not our responsibility", said by a country).
    denies_asked: bool = False
    # The question asks for several ("which three countries") and the sentence names one.
    names_too_few: bool = False
    # "What did X say (agree, decide, ...)?" and the sentence, with the one before it, reports
    # no such act: "X addressed the assembly" says that X spoke, not what.
    lacks_asked_act: bool = False
    says_unknown: bool = False  # "it was too early to say whether ...": a non-answer
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0

    @property
    def satisfies_constraints(self) -> bool:
        return (
            not self.elsewhere
            and not self.misses_negation
            and not self.reverses_relation
            and not self.only_planned
            and not self.contradicts
            and not self.names_too_few
            and not self.denies_asked
            and not self.lacks_role
            and not self.lacks_asked_act
            and not self.says_unknown
            and not any(c.kind in MUST_AGREE for c in self.unmet)
        )

    def vector(self) -> list[float]:
        return [self.features[name] for name in FEATURES]


class CandidateScorer:
    """Holds the per-process caches: sentence vectors and sentence entities."""

    def __init__(self, embedder: Embedder, finder: EntityFinder) -> None:
        self.embedder = embedder
        self.finder = finder
        self.vectors: dict[str, np.ndarray] = {}  # by sentence text
        # Set once every sentence of the corpus is in `vectors` (Answerer.warm_sentences): only
        # then is comparing all of a question's sentences free, and its answer independent of
        # which questions came before (articles added later join as questions embed them).
        self.corpus_embedded = False
        self._word_vectors: dict[str, np.ndarray] = {}

    def _shortlist(self, sentences: list[Sentence], question_vector: np.ndarray) -> list[Sentence]:
        """The sentences sharing most of the question's words, and, when the whole corpus is
        embedded, those closest in meaning: a paraphrase ("hid" for "sheltered") shares few
        words."""
        by_words = sorted(sentences, key=_words_first)[:SHORTLIST]
        if not self.corpus_embedded:
            return by_words
        chosen = {s.key for s in by_words}
        known = [s for s in sentences if s.key not in chosen and s.text in self.vectors]
        closeness = [float(self.meaning(s, self.vectors[s.text]) @ question_vector) for s in known]
        by_meaning = [known[i] for i in np.argsort(closeness)[::-1][:BY_MEANING]]
        return by_words + by_meaning

    def _embed_sentences_before(self, sentences: list[Sentence]) -> None:
        """The sentence before each one that refers back (what it refers to is named there),
        and each story's headline (see under_headline); in one call, so that a full cache
        emptied for them keeps both."""
        before = [s.just_before for s in sentences if s.just_before and REFERS_BACK.match(s.text)]
        headlines = [s.title for s in sentences if is_headline(s.title)]
        embed_missing(before + headlines, self.embedder, self.vectors, VECTOR_CACHE_LIMIT)

    def meaning(self, sentence: Sentence, vector: np.ndarray) -> np.ndarray:
        """What a sentence says. One that refers back ("Yet it sheltered...") says it together
        with the sentence before, which names what it refers to: its own vector lacks that."""
        before = self.vectors.get(sentence.just_before)
        if before is None or not REFERS_BACK.match(sentence.text):
            return vector
        joined: np.ndarray = vector + before
        return joined / (float(np.linalg.norm(joined)) or 1.0)

    def under_headline(self, sentence: Sentence, vector: np.ndarray) -> np.ndarray:
        """What a sentence says within its story: a news story names its event in the headline
        and then leaves it out ("A record 264 books were submitted" under "Farrow takes 2023
        Harbor Light Prize"). Only a headline: a topic title ("Normans") adds nothing."""
        headline = self.vectors.get(sentence.title) if is_headline(sentence.title) else None
        if headline is None or sentence.text == sentence.title:
            return vector
        joined: np.ndarray = vector + HEADLINE_WEIGHT * headline
        return joined / (float(np.linalg.norm(joined)) or 1.0)

    def same_kind(self, noun: str, others: Sequence[str]) -> bool:
        """Whether one of the other nouns names the same kind of thing ("nations", "countries")."""
        embed_missing([noun, *others], self.embedder, self._word_vectors, WORD_CACHE_LIMIT)
        asked = self._word_vectors[noun]
        return any(float(asked @ self._word_vectors[w]) >= SAME_KIND_SIMILARITY for w in others)

    def candidates(
        self, analysis: QuestionAnalysis, question_vector: np.ndarray, sentences: list[Sentence]
    ) -> list[Candidate]:
        """The shortlisted candidates with their features, best words-first."""
        if not sentences:
            return []
        terms = _question_terms(analysis)
        found_in = [_terms_in(terms, _words_of(s.text)) for s in sentences]
        weights = _term_weights(terms, found_in)
        total = sum(weights.values()) or 1.0
        for sentence, its_terms in zip(sentences, found_in):
            sentence.coverage = sum(weights[t] for t in its_terms) / total
        shortlist = self._shortlist(sentences, question_vector)
        embed_sentences(shortlist, self.embedder, self.vectors)
        parses = self.finder.parsed_of([s.text for s in shortlist])
        absent = _absent_share(weights, found_in, sentences, total)
        best_coverage = max(s.coverage for s in shortlist)
        names = frozenset().union(*(names_inside(s.text) for s in sentences))
        if analysis.answer_type is AnswerType.PERSON:
            parses = [
                self._with_referent(
                    analysis, s, self._with_surnames_as_persons(s, parsed, sentences), sentences
                )
                for s, parsed in zip(shortlist, parses)
            ]
        found = []
        self._embed_sentences_before(shortlist)
        for sentence, parsed in zip(shortlist, parses):
            assert sentence.vector is not None
            own = float(sentence.vector @ question_vector)
            in_context = float(self.meaning(sentence, sentence.vector) @ question_vector)
            sentence.dense = max(own, in_context)
            in_story = float(self.under_headline(sentence, sentence.vector) @ question_vector)
            sentence.dense_in_story = max(sentence.dense, in_story)
            candidate = self._candidate(analysis, sentence, parsed, weights, total, names)
            found.append(candidate)
        if analysis.counted and not any(c.fillers for c in found):
            # Only then: is a figure counting the asked-for things under another name? Each
            # new word costs an embedding, too slow to ask for every figure of every question.
            found = [
                self._candidate(analysis, s, parsed, weights, total, names, self.same_kind)
                for s, parsed in zip(shortlist, parses)
            ]
        for candidate in found:
            sentence = candidate.sentence
            candidate.features["absent_from_evidence"] = absent
            candidate.features["best_coverage_gap"] = best_coverage - sentence.coverage
        add_relative_features([c.features for c in found])
        return found

    def _with_surnames_as_persons(
        self, sentence: Sentence, parsed: Parsed, sentences: list[Sentence]
    ) -> Parsed:
        """A lone surname the small model took for a place or a body ("hosted Qaddoumi": GPE),
        relabelled as a person when its passage names that person in full ("Khaled Qaddoumi").

        The passage's sentences are tagged only when such a word is there (cached by text).
        """
        doubtful = [
            e for e in parsed.entities if e.label in MISLABELLED_SURNAME and " " not in e.text
        ]
        if not doubtful:
            return parsed
        named = {
            e.text
            for e in doubtful
            if full_name_nearby(sentence, e.text, sentences, self.finder.entities_of) is not None
        }
        relabelled = tuple(
            dataclasses.replace(e, label="PERSON") if e in doubtful and e.text in named else e
            for e in parsed.entities
        )
        return dataclasses.replace(parsed, entities=relabelled)

    def _with_referent(
        self,
        analysis: QuestionAnalysis,
        sentence: Sentence,
        parsed: Parsed,
        sentences: list[Sentence],
    ) -> Parsed:
        """A sentence about "he" or "she", or going on with someone's quotation, and no one
        named: a stand-in for the person the sentence before names ("Senator Mushahid Hussain
        ... He further declared that ...") is a filler like a name, unless that person is the
        one the question already names. The composed answer names them from that sentence
        (compose.with_referent)."""
        if any(e.label == "PERSON" for e in parsed.entities):
            return parsed
        found = referent_before(sentence, sentences, self.finder.entities_of)
        if found is None or _already_asked(found[1].text, _asked_words(analysis)):
            return parsed
        start, end = stand_in_span(sentence.text)
        stand_in = Entity(sentence.text[start:end], "PERSON", start, end)
        return dataclasses.replace(parsed, entities=(*parsed.entities, stand_in))

    def _candidate(
        self,
        analysis: QuestionAnalysis,
        sentence: Sentence,
        parsed: Parsed,
        weights: dict[str, float],
        total: float,
        names: Set[str],
        same_kind: Callable[[str, Sequence[str]], bool] | None = None,
    ) -> Candidate:
        # A news story's date is the setting of what it tells ("11,400 runners finished" in a
        # story dated April 2024 is about 2024), unless the sentence names another year.
        story_year = year_of(sentence.date)
        # "last year" in 2023: 2022, in an aside too ("up from 19,000 last year" tells of 2022)
        told = " ".join(told_years(sentence.text, story_year, in_asides=True))
        window = f"{sentence.title} {story_year} {told} {sentence.previous} {sentence.text}"
        window_words = _words_of(window)
        # A news story's first sentence is the setting of the rest: it names the place once.
        setting = f"{window} {sentence.lede}" if is_headline(sentence.title) else window
        unmet = [
            c
            for c in analysis.constraints
            if (
                not _meets(c, window, _name_words_of(window))
                and not (c.kind == "entity" and _meets(c, setting, _name_words_of(setting)))
            )
            or _dated_otherwise(c, sentence.text, story_year, analysis.text)
        ]
        own_words = _name_words_of(sentence.text)
        in_sentence = [c for c in analysis.constraints if _meets(c, sentence.text, own_words)]
        fillers = fillers_of(
            analysis, sentence.text, parsed.entities, names, same_kind, parsed.words
        )
        needs = analysis.needs_filler
        count = len(analysis.constraints)
        candidate = Candidate(sentence, fillers, unmet, _absent_from_passage(unmet, sentence))
        # "Which country did not donate?" needs a sentence that negates; "why would they not
        # use X?" is answered by a reason, which need not ("X has ties to the Taliban").
        candidate.misses_negation = (
            analysis.negated
            and analysis.answer_type is not AnswerType.REASON
            and not negates_what_is_negated(analysis.text, sentence.text)
        )
        # "Has X designated Y?" is answered by "X has not designated Y"; a reason may deny.
        candidate.denies_asked = (
            analysis.answer_type not in {AnswerType.REASON, AnswerType.YES_NO}
            and not analysis.negated
            and denies(analysis, sentence.text)
        )
        candidate.reverses_relation = reverses_relation(analysis, sentence.text) or (
            analysis.deed is not None and reverses_deed(analysis.deed, sentence.text, parsed.words)
        )
        candidate.only_planned = analysis.asks_what_happened and only_prospective(
            sentence.text, parsed.words
        )
        candidate.names_too_few = needs and analysis.asks_for_several and _fewer_than_two(fillers)
        candidate.lacks_asked_act = bool(analysis.asked_act) and not ACT_MARKERS[
            analysis.asked_act
        ].search(f"{sentence.just_before} {sentence.text}")
        # A typed question needs a filler, which such a sentence lacks or has for another slot.
        candidate.says_unknown = (
            not needs
            and analysis.answer_type is not AnswerType.REASON
            and bool(UNKNOWN.search(sentence.text))
            and not ASKS_WHAT_WAS_TOLD.search(analysis.text)
        )
        candidate.lacks_role = bool(analysis.role) and (
            not names_role(
                analysis.role, f"{sentence.just_before} {sentence.text}", analysis.role_post
            )
            or held_by_another(analysis.role, analysis.role_owner, sentence.text, parsed.entities)
            or posted_elsewhere(analysis.role, analysis.role_posting, sentence.text)
        )
        candidate.contradicts = contradicted(
            claimed_words(analysis.text), window_words, analysis.negated
        ) or other_ordinal(analysis.text, sentence.text, sentence.title)
        candidate.contradicts = (
            candidate.contradicts
            or other_numbered(analysis.text, sentence.text)
            or other_count(analysis.text, sentence.text)
            or other_weekday(analysis.text, sentence.text)
        )
        candidate.features = {
            "dense": sentence.dense,
            "dense_in_story": sentence.dense_in_story,
            "coverage": sentence.coverage,
            "window_coverage": _covered(weights, window_words) / total,
            "constraints_met": 1.0 - len(unmet) / count if count else 1.0,
            "constraints_in_sentence": len(in_sentence) / count if count else 1.0,
            "has_constraints": float(count > 0),
            # A reason cue ("because") is a sign, not a requirement: most reasons go without one.
            "filler_found": float(bool(fillers)),
            "filler_missing": float(needs and not fillers),
            "passage_rank": 1.0 / (1 + sentence.passage_rank),
            "sentence_length": min(1.0, len(sentence.text.split()) / 40),
        }
        return candidate


def is_headline(title: str) -> bool:
    """Whether a title says what its story reports (a news headline), not only what it is
    about (a topic such as a Wikipedia title): by its length, a rough but cheap sign."""
    return len(title.split()) >= HEADLINE_WORDS


def referent_before(
    sentence: Sentence,
    sentences: Sequence[Sentence],
    entities_of: Callable[[list[str]], list[tuple[Entity, ...]]],
) -> tuple[Sentence, Entity] | None:
    """The person a sentence speaks of or for without naming them, with the sentence of the
    evidence that names them: for an opening "he"/"she", the first person (most often the
    subject) of the nearest of the two sentences before it that names one; for a sentence that
    goes on with a quotation the sentence right before it opened ("Mahesh Jethmalani added,
    “So much for ... Gaza. Turns out ..."), the first person of that sentence: the speaker."""
    earlier = sorted(
        (s for s in sentences if s.source == sentence.source and s.start < sentence.start),
        key=lambda s: -s.start,
    )
    if OPENING_PRONOUN.match(sentence.text):
        reach = earlier[:REFERENT_REACH]
    elif earlier and _goes_on_quoting(earlier[0], sentence):
        reach = earlier[:1]
    else:
        return None
    for before in reach:
        if sentence.start - before.start > NAME_REACH:
            break
        persons = [e for e in entities_of([before.text])[0] if e.label == "PERSON"]
        if persons:
            return before, persons[0]
    return None


def stand_in_span(text: str) -> tuple[int, int]:
    """Where the stand-in for an unnamed person sits in a sentence: its opening "he"/"she",
    else its first word (a quotation going on names no one)."""
    pronoun = OPENING_PRONOUN.match(text)
    first = pronoun or re.match(r"\W*(\w+)", text)
    return first.span(1) if first else (0, 0)


def _goes_on_quoting(before: Sentence, sentence: Sentence) -> bool:
    """Whether `before`, right before `sentence`, opens a quotation it does not close."""
    adjacent = 0 <= sentence.start - before.end <= 3
    text = before.text
    return adjacent and (text.count("“") > text.count("”") or text.count('"') % 2 == 1)


def full_name_nearby(
    sentence: Sentence,
    surname: str,
    sentences: Sequence[Sentence],
    entities_of: Callable[[list[str]], list[tuple[Entity, ...]]],
    own: bool = True,
) -> tuple[Sentence, Entity] | None:
    """The nearest sentence of the same article that names in full ("Khaled Qaddoumi") the
    person this surname stands for, and that full name (own: whether the sentence itself counts).

    Sentences are tagged nearest first, one by one, and only those with a capitalised word
    right before the surname (the tagger is the slow part); the first full name will do.
    """
    nearby = sorted(
        (
            s
            for s in sentences
            if s.source == sentence.source
            and (own or s.key != sentence.key)
            and abs(s.start - sentence.start) <= NAME_REACH
            and _may_name_in_full(s.text, surname)
        ),
        key=lambda s: abs(s.start - sentence.start),
    )
    for candidate in nearby:
        found = entities_of([candidate.text])[0]
        full = next((e for e in found if _names_in_full(e, surname)), None)
        if full is not None:
            return candidate, full
    return None


def _may_name_in_full(text: str, surname: str) -> bool:
    return re.search(rf"[A-Z][\w'’.-]*\s+{re.escape(surname)}\b", text) is not None


def _names_in_full(entity: Entity, surname: str) -> bool:
    words = entity.text.split()
    return entity.label == "PERSON" and len(words) > 1 and words[-1] == surname


def reverses_relation(analysis: QuestionAnalysis, sentence: str) -> bool:
    """Whether the sentence says "B <link> A" where the question says "A <link> B".

    The link is the question's own words between two of its names ("'s ambassador to",
    "defeated"): the same words with the names swapped state a different fact.
    """
    names = sorted((e for e in analysis.entities if e.label in NAMED_LABELS), key=lambda e: e.start)
    text = _folded(sentence)
    for first, second in itertools.pairwise(names):
        link = analysis.text[first.end : second.start]
        if not content_words(link) or len(link) > 40:
            continue
        asked = _folded(f"{first.text}{link}{second.text}")
        swapped = _folded(f"{second.text}{link}{first.text}")
        if swapped in text and asked not in text:
            return True
    return False


def _folded(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def add_relative_features(features: list[dict[str, float]]) -> None:
    """How far each candidate is behind the question's best on a feature: ranking is relative."""
    for gap, name in RELATIVE.items():
        best = max((f[name] for f in features), default=0.0)
        for f in features:
            f[gap] = best - f[name]


def fillers_of(
    analysis: QuestionAnalysis,
    text: str,
    entities: Sequence[Entity],
    names: Set[str] = frozenset(),
    same_kind: Callable[[str, Sequence[str]], bool] | None = None,
    words: Sequence[Word] = (),
) -> list[Entity]:
    """Entities of the asked-for type that the question does not already name.

    When the tagger finds none for a who/which/where question (for "who": no person), a name
    the tagger missed counts (see unlabelled_names): the small model misses many single names
    ("Mashal attended").
    """
    kind = analysis.answer_type
    if kind is AnswerType.REASON:
        cue = GIVES_REASON.search(text)
        return [Entity(cue.group(0), "REASON", cue.start(), cue.end())] if cue else []
    labels = analysis.filler_labels or FILLERS.get(kind)
    if labels is None:
        return []
    if analysis.asks_a_measured_time:  # a margin ("two minutes ahead") is no finishing time
        return _regex_fillers(MEASURED_TIME, text, "TIME", _asked_words(analysis))
    entities = [_as_place(_as_person(e, text), text) for e in entities]
    asked = _asked_words(analysis)
    fillers = [
        e
        for e in entities
        if e.label in labels
        and not _already_asked(e.text, asked)
        and not same_initials(e.text, analysis.text)
    ]
    if "NAME" in labels and not any(_names_someone(kind, f) for f in fillers):
        fillers += [
            e
            for e in unlabelled_names(text, entities, names, words)
            if not _already_asked(e.text, asked) and not same_initials(e.text, analysis.text)
        ]
    if not fillers and kind is AnswerType.ORGANISATION:
        fillers = [b for b in named_bodies(text) if not _already_asked(b.text, asked)]
    if not fillers and kind is AnswerType.DATE:
        fillers = _regex_fillers(DATE_WORDS, text, "DATE", asked)
    if kind is AnswerType.DATE:
        fillers = [f for f in fillers if not DURATION.fullmatch(f.text.strip())]
        if analysis.date_precision:
            fillers = [f for f in fillers if _precise_enough(f.text, analysis.date_precision)]
    if not fillers and kind in {AnswerType.NUMBER, AnswerType.MONEY, AnswerType.PERCENT}:
        fillers = _regex_fillers(NUMBER_WORDS, text, "CARDINAL", asked)
    if kind in {AnswerType.NUMBER, AnswerType.MONEY, AnswerType.PERCENT}:
        fillers = [f for f in fillers if not _a_year(text, f)]  # "identified in 1923"
    if not fillers and kind is AnswerType.NUMBER and analysis.counted:
        fillers = _regex_fillers(QUANTIFIERS, text, "CARDINAL", asked)
    if analysis.counted:
        fillers = [f for f in fillers if _counts(text, f, analysis.counted, same_kind)]
    if kind in UNIT_AFTER_A_FIGURE:
        fillers = [f for f in fillers if f.label != "CARDINAL" or _in_unit(text, f, kind)]
    if kind is AnswerType.NUMBER and HOW_LONG.search(analysis.text):
        only_time = ASKS_A_DURATION.search(analysis.text) is not None
        fillers = [f for f in fillers if _a_length_or_duration(text, f, only_time)]
    if analysis.asks_for_a_settlement:  # not a country, nor a region ("South Asia")
        fillers = [f for f in fillers if f.label != "LOC" and not is_a_country(f.text)]
    return _past_the_dateline(text, fillers)


# A wire story's dateline: "ESKERBY, June 12 (Wire) - ", "WASHINGTON (Reuters) -". Its place
# and agency are the story's provenance, never who did what: "Wire" is no lender's chairman.
DATELINE = re.compile(
    r"^\s*(?=[A-Z]{4}|[A-Z]+\.?\s+[A-Z]{2})[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*"  # ST. LOUIS
    r"(?:,\s+[A-Z][\w.'’ -]{0,30}?)?"  # , Pakistan
    # then its date or agency ("Oct 17 (Wire) -", "(Reuters) -"), or a long dash alone
    r"(?:(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\([^()]{1,30}\)\s*[-–—]+"
    r"|,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*[-–—]+|\s*(?:—|–|--))\s"
)
DATELINE_KEEPS = frozenset({"DATE", "TIME", "GPE", "LOC"})  # when, and where it was filed


def _past_the_dateline(text: str, entities: Sequence[Entity]) -> list[Entity]:
    dateline = DATELINE.match(text)
    if dateline is None:
        return list(entities)
    return [e for e in entities if e.start >= dateline.end() or e.label in DATELINE_KEEPS]


# "How long ...?" is answered by a figure in a unit of time or length: "lane six" is no answer
# to how long racing stopped, "five" in "five meetings" none to how long he led; and
# "how long did it last?", "how long was the bridge closed?" by a time alone.
TIME_UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|nights?)"
LENGTH_UNIT = (
    r"(?:metres?|meters?|kilometres?|kilometers?|km|miles?|feet|foot|ft|yards?|inches|cm|mm|m)"
)
UNIT_AFTER = {
    True: re.compile(rf"[\s-]*{TIME_UNIT}\b", re.I),
    False: re.compile(rf"[\s-]*(?:{TIME_UNIT}|{LENGTH_UNIT})\b", re.I),
}
COUNTED_TIME = re.compile(
    rf"(?:\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    rf"hundred|several|few|\w+teen|\w+ty))[\s-]+{TIME_UNIT}\b",
    re.I,
)
ASKS_A_DURATION = re.compile(
    r"\bfor\s+how\s+long\b|\bhow\s+long\s+(?:did|does|do|had|has|have|will|would|can|could)\b"
    r"|\bhow\s+long\s+(?:is|was|are|were)\b(?:\s+[\w'’-]+)*?\s+(?-i:[a-z]{2,}ed)\W*$",
    re.I,
)


def _a_length_or_duration(text: str, figure: Entity, only_time: bool) -> bool:
    if figure.label == "TIME" or (figure.label == "QUANTITY" and not only_time):
        return True
    if figure.label == "DATE":  # "19 years", "a twelve-day event"; not "November 2"
        return bool(DURATION.search(figure.text) or COUNTED_TIME.search(figure.text))
    if figure.label not in {"CARDINAL", "QUANTITY"}:
        return False
    return bool(UNIT_AFTER[only_time].match(text[figure.end :])) or (
        only_time and re.search(rf"\b{TIME_UNIT}\b", figure.text, re.I) is not None
    )


YEAR_AFTER = re.compile(r"\b(?:in|since|until|till|before|after|during|circa)\s+$", re.I)


def _a_year(text: str, figure: Entity) -> bool:
    """A bare year after "in", "by", "since" ...: a date, no count or sum."""
    return bool(YEAR.fullmatch(figure.text.strip())) and bool(
        YEAR_AFTER.search(text[: figure.start])
    )


def _is_a_sum(text: str, figure: Entity) -> bool:
    """A figure of money ("$4 million", "180 million crowns")."""
    return figure.label == "MONEY" or _in_unit(text, figure, AnswerType.MONEY)


def _in_unit(text: str, figure: Entity, kind: AnswerType) -> bool:
    """Whether a bare figure is a sum of money or a share ("$ 40", "64 euros", "34 percent",
    "two-thirds"), not a count of something else ("three years", "30 kilometres")."""
    before, after = text[: figure.start], text[figure.end :]
    if kind is AnswerType.MONEY and CURRENCY_SIGN.search(before):
        return True
    return bool(UNIT_AFTER_A_FIGURE[kind].match(after)) or (
        kind is AnswerType.PERCENT and FRACTION.search(figure.text) is not None
    )


def negates_what_is_negated(question: str, sentence: str) -> bool:
    """Whether the sentence negates what the question does: where it has the verb the question
    negates ("could not recover"), a negation just before that verb ("could never recover",
    "refused to recover") or an exception just after it ("attended except Ali"), not one
    elsewhere ("no restrictions ... could recover"); else a negation anywhere in it."""
    negated = NEGATED_VERB.search(question)
    verb = (negated.group(1) or negated.group(2)) if negated else ""
    if len(verb) < 4 or not content_words(verb):
        return bool(NEGATES.search(sentence))
    uses = _starts_of(verb.lower()[:5], sentence)
    if not uses:
        return bool(NEGATES.search(sentence))
    return any(
        NEGATES.search(sentence[max(0, at - NEGATION_REACH) : at])
        or EXCEPT.search(sentence[at : at + NEGATION_REACH])
        for at in uses
    )


def denies(analysis: QuestionAnalysis, sentence: str) -> bool:
    """Whether the sentence says no to one of the question's words wherever it has it.
    A question that itself sets something aside ("rather than against Israel") is answered by
    a sentence that denies that part."""
    if CONTRASTED.search(analysis.text):
        return False
    for word in (w for w in analysis.focus if len(w) >= 5):
        uses = _starts_of(word[: max(5, len(word) - 3)], sentence)
        if uses and all(_denied_at(sentence, at) for at in uses):
            return True
    return False


def _starts_of(stem: str, sentence: str) -> list[int]:
    """Where the sentence's words starting with the stem begin."""
    return [m.start() for m in re.finditer(rf"\b{re.escape(stem)}", sentence, re.I)]


def _denied_at(sentence: str, at: int) -> bool:
    """A negation just before the word, and not "not ... until", which says when it was."""
    before = sentence[max(0, at - DENIAL_REACH) : at]
    return bool(DENIED.search(before)) and not NOT_UNTIL.match(sentence, at)


def _fewer_than_two(fillers: Sequence[Entity]) -> bool:
    """Fewer than two different things named: "the force (ISF)" is one name, not two."""
    names = list(dict.fromkeys(re.sub(r"[\"“”‘’]", "", f.text) for f in fillers))
    return not any(
        not named_by_acronym(first, second) and not named_by_acronym(second, first)
        for first, second in itertools.combinations(names, 2)
    )


def _as_person(entity: Entity, text: str) -> Entity:
    """A name the small tagger took for a body or a place where a title stands right before it:
    "Mayor Ilse Varga" (ORG), "district commissioner Agnes Thorvald"."""
    words = entity.text.split()
    before = re.findall(r"[\w.]+", text[: entity.start])
    if (
        entity.label not in MISLABELLED_PERSON
        or not before
        or before[-1].lower().rstrip(".") not in TITLES
        or not 2 <= len(words) <= 3
        or not all(w[:1].isupper() for w in words)
        or any(w.lower() in ORGANISATION_NOUNS | PLACE_NOUNS for w in words)
    ):
        return entity
    return dataclasses.replace(entity, label="PERSON")


def _as_place(entity: Entity, text: str) -> Entity:
    """A name the small tagger took for a person or a body where the text says it is a place:
    "the town of Rawalakot" (PERSON), "the market town of Oakhurst Vale" (ORG)."""
    if entity.label not in {"PERSON", "ORG"} or not PLACE_OF.search(text[: entity.start]):
        return entity
    return dataclasses.replace(entity, label="GPE")


def _counts(
    text: str,
    figure: Entity,
    noun: str,
    same_kind: Callable[[str, Sequence[str]], bool] | None = None,
    window: int = 5,
) -> bool:
    """'how many troops' needs a figure that counts troops (or soldiers), not any figure in the
    sentence; 'how many times' is answered by an ordinal too ("their third meeting")."""
    if noun in {"time", "times"} and figure.label == "ORDINAL":
        return True
    if _is_a_sum(text, figure) and not UNIT_AFTER_A_FIGURE[AnswerType.MONEY].fullmatch(noun):
        return False  # "a 180 million crown package for farmers" counts no farmers
    if (
        noun.lower() in PEOPLE
        and PEOPLE_MEASURE.search(text[: figure.start])
        and figure.label != "PERCENT"
        and not _in_unit(text, figure, AnswerType.PERCENT)
    ):
        return True  # "attendance reached 87,000", "a population of 60,000"; not "62%"
    stem = noun.lower().rstrip("s")[:5]
    following = re.findall(r"\w+", text[figure.end :].lower())[:window]
    own = re.findall(r"\w+", figure.text.lower())
    if any(w.startswith(stem) for w in own + following):
        return True
    # The noun right after the figure (past an adjective or two) is what it counts.
    counted = [w for w in following[:3] if w in content_words(" ".join(following[:3]))]
    return same_kind is not None and bool(counted) and same_kind(noun.lower(), counted)


# Nouns that count people, and a measure of people just before a figure, which then counts
# them though no noun follows it.
PEOPLE = frozenset(
    "people persons visitors spectators residents inhabitants attendees fans guests".split()
)
PEOPLE_MEASURE = re.compile(
    r"\b(?:attendance|crowds?|turnout|population|audience)\b(?:\s+\S+){0,3}\s*$", re.I
)


# A body's name ends with the kind of body it is: "Middle East Media Research Institute".
NAMED_BODY = re.compile(
    r"\b(?:[A-Z][\w&'’-]*[ ]+){1,5}(?:"
    + "|".join(sorted(w.capitalize() for w in ORGANISATION_NOUNS if not w.endswith("s")))
    + r")\b"
)


NOT_A_NAME_START = STOPWORDS | {"yesterday", "today", "tomorrow", "meanwhile", "however"}


def named_bodies(text: str) -> list[Entity]:
    """Names of bodies the tagger missed (it took "the Middle East" of the name for a place)."""
    found = []
    for match in NAMED_BODY.finditer(text):
        words = match.group(0).split(" ")
        lead = 0  # "The Council", "Yesterday Stanford University": not part of the name
        while lead < len(words) - 1 and words[lead].lower() in NOT_A_NAME_START:
            lead += 1
        start = match.start() + sum(len(w) + 1 for w in words[:lead])
        if len(words) - lead >= 2:
            found.append(Entity(text[start : match.end()], "ORG", start, match.end()))
    return found


def _regex_fillers(
    pattern: re.Pattern[str], text: str, label: str, asked: set[str]
) -> list[Entity]:
    return [
        Entity(m.group(0), label, m.start(), m.end())
        for m in pattern.finditer(text)
        if normalize(m.group(0)) not in asked
    ]


def unlabelled_names(
    text: str, entities: Sequence[Entity], names: Set[str], words: Sequence[Word] = ()
) -> list[Entity]:
    """Capitalised words the tagger left untagged that are names, not sentence openers.

    A capitalised word inside a sentence is a name; the first word of a sentence is one only if
    the evidence also writes it capitalised inside a sentence (`names`: "... leader Khaled
    Mashal" makes "Mashal attended" a name) and the tagger, where it ran, reads it as a proper
    noun: "Intelligence reports show ..." opens with a common noun, though the evidence also
    says "Inter-Services Intelligence".
    """
    tagged = [(e.start, e.end) for e in entities]
    # NN only: a surname like "Davies" is often read as a plural (NNS).
    common_nouns = {w.start for w in words if w.tag == "NN"}
    found = []
    for match in CAPITALISED_RUN.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in tagged) or not content_words(match.group(0)):
            continue
        opens = not text[:start].strip(" \"'“‘([—–-")
        if opens and (match.group(0).split()[0] not in names or start in common_nouns):
            continue
        if text[:start].rstrip().endswith(("“", '"', "‘")):
            continue  # a quoted phrase is a title or a slogan ("Naara-e-Takbeer!"), not a name
        found.append(Entity(match.group(0), "NAME", start, end))
    return found


def _names_someone(kind: AnswerType, filler: Entity) -> bool:
    """A "who" question is answered by a person: a people ("Palestinian") is a weak stand-in."""
    return kind is not AnswerType.PERSON or filler.label == "PERSON"


@lru_cache(maxsize=50_000)
def names_inside(sentence: str) -> frozenset[str]:
    """Capitalised words that stand inside a sentence (after its first word): names."""
    return frozenset(re.findall(r"(?<=\w[\s,])\s*([A-Z][a-z][\w'’-]*)", sentence))


def _precise_enough(date: str, precision: str) -> bool:
    """ "date": a day of a month; "day": that or a weekday ("on which day": "Tuesday")."""
    if precision == "year":
        return bool(YEAR.search(date))
    month = MONTH.search(date)
    if precision == "month":
        return bool(month)
    return bool(
        (month and re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", date))
        or (precision == "day" and WEEKDAY.search(date))
        or re.search(r"\b\d{1,2}[/.-]\d{1,2}\b", date)
    )


def same_initials(entity: str, question: str) -> bool:
    """An acronym and the name it stands for are one name: "ISI" is asked about when the
    question says "Inter-Services Intelligence", and the other way round."""
    return any(
        short in long_initials
        for short, long_text in ((entity, question), (question, entity))
        for short in _acronyms(short)
        for long_initials in _initials(long_text)
    )


def _acronyms(text: str) -> list[str]:
    return re.findall(r"\b[A-Z]{2,6}\b", text)


def _initials(text: str) -> list[str]:
    """The initials of each run of capitalised words ("Inter-Services Intelligence": ISI)."""
    runs = re.findall(r"[A-Z][\w'’]*(?:[\s-]+[A-Z][\w'’]*)*", text)
    return ["".join(w[0] for w in re.split(r"[\s-]+", run) if w) for run in runs]


def _asked_words(analysis: QuestionAnalysis) -> set[str]:
    return set(content_words(analysis.text)) | {w for c in analysis.constraints for w in c.words}


# "Crestmoor Savings" is the "Crestmoor" a question names: a word that ends a company's name
# says what it is, not which.
COMPANY_NAME_ENDINGS = frozenset(
    """savings holdings group lines airways airlines motors minerals foods energy partners
    capital industries systems technologies pharmaceuticals inc ltd plc corp llc""".split()
)
KIND_WORDS = ORGANISATION_NOUNS | PLACE_NOUNS | COMPANY_NAME_ENDINGS


def _already_asked(entity: str, asked: set[str]) -> bool:
    """Whether the question already says all an entity says: "the coming fiscal year" tells
    nothing of when "the new fiscal year" begins (a relative word adds no time)."""
    own = [w for w in content_words(entity) if len(w) > 1 and w not in RELATIVE_TIME]
    # "Brackenford General Hospital" is the "Brackenford General" asked about: a kind word
    # ("hospital", "club", "city") added to the question's name makes no new name.
    named = [w for w in own if w not in KIND_WORDS] or own
    return bool(own) and all(has_word(asked, w) for w in named)


def _meets(constraint: Constraint, text: str, words: Set[str]) -> bool:
    if constraint.kind == "year":
        return constraint.text in text
    if constraint.kind == "number":
        if constraint.text in text:  # "9/11", "20-point"
            return True
        digits = re.sub(r"[^\d.]", "", constraint.text)
        return bool(digits) and digits in re.sub(r"(?<=\d),(?=\d)", "", text)
    if constraint.kind == "superlative":
        return any(has_word(words, w) for w in SUPERLATIVES[constraint.text])
    if constraint.kind == "period":
        return names_period(constraint.text, text)
    return all(has_word(words, w) for w in constraint.words) or named_by_acronym(
        constraint.text, text
    )


def year_of(date: str) -> str:
    """The year a date names ("April 15, 2024": "2024"), or ""."""
    found = YEAR.search(date)
    return found.group() if found else ""


def _dated_otherwise(constraint: Constraint, text: str, story_year: str, question: str) -> bool:
    """The sentence gives its own, other year ("in April 2024" for a question about 2025): the
    year its context names is not the year of what this sentence says. A year in an aside or a
    comparison ("won by Reljic, who also won in 2023", "up from $248 million in 2022") dates
    that aside, not the sentence: so where the asked year stands only in asides ("the first
    time since the event began in 2009"), the sentence tells of its story's year, unless the
    question too puts it in an aside ("grown since 2022")."""
    if constraint.kind != "year":
        return False
    asked = [found.start() for found in re.finditer(re.escape(constraint.text), text)]
    if asked:
        in_asides = all(_in_an_aside(text, at) for at in asked)
        aside_asked = _in_an_aside(question, max(0, question.find(constraint.text)))
        # dated by its story, or by a year of its own ("The salmon, which had disappeared by
        # 1960, was recorded in 2016" tells of 2016), unless the question asks what the aside
        # tells ("which college was founded in 1850?" of "The college, which was founded in
        # 1850, moved in 1900")
        own_year = any(
            year.group() != constraint.text
            and not _in_an_aside(text, year.start())
            and YEAR_AFTER.search(text[: year.start()])
            for year in YEAR.finditer(text)
        ) and not _asks_the_aside(question, text, asked[0])
        dated = story_year not in {"", constraint.text} or own_year
        return in_asides and not aside_asked and dated
    told = told_years(text, story_year)
    if told:  # "produced 41,000 tonnes last year", in a story of 2023, is about 2022
        return constraint.text not in told
    return any(not _in_an_aside(text, year.start()) for year in YEAR.finditer(text))


def _asks_the_aside(question: str, text: str, at: int) -> bool:
    """Whether the question shares a word with the clause that holds position `at` (back to
    the comma, bracket or dash that opens it)."""
    opening = max(text.rfind(mark, 0, at) for mark in (",", "(", " - ", "—", "–"))
    clause = set(content_words(text[opening + 1 : at]))
    return bool(clause & set(content_words(question)))


# Years a news story names relative to its date, and how far from it each lies.
RELATIVE_YEAR = re.compile(
    r"\b(?:(?P<last>last\s+year|a\s+year\s+ago)"
    r"|(?P<this>this\s+year)|(?P<next>next\s+year)"
    r"|(?P<count>two|three|four|five|\d)\s+years\s+ago)\b",
    re.I,
)
YEARS_AGO = {"two": 2, "three": 3, "four": 4, "five": 5}


def _years_from_story(match: re.Match[str]) -> int:
    """How many years after the story's a RELATIVE_YEAR match lies (negative: before)."""
    if match.group("count"):
        count = match.group("count").lower()
        return -int(YEARS_AGO.get(count, count))
    return {"last": -1, "this": 0, "next": 1}[
        next(g for g in ("last", "this", "next") if match.group(g))
    ]


def told_years(text: str, story_year: str, in_asides: bool = False) -> list[str]:
    """The years a sentence of a dated story gives as "last year", "this year", "two years ago"
    .... Those that date what the sentence tells are outside asides and comparisons ("up from
    480,000 a year ago" dates the comparison) and are no possessive ("last year's champion
    missed the regatta" tells of this year); in_asides: every year it names."""
    if not story_year:
        return []
    found = []
    for match in RELATIVE_YEAR.finditer(text):
        possessive = re.match(r"['’]s\b", text[match.end() :]) is not None
        if not in_asides and (possessive or _in_an_aside(text, match.start())):
            continue
        found.append(str(int(story_year) + _years_from_story(match)))
    return found


def _in_an_aside(text: str, at: int) -> bool:
    """Whether the clause before position `at` (back to the last comma, semicolon, bracket or
    dash) opens a relative clause or a comparison, or is a participle set off by a comma
    ("The bridge, opened in 1967, carries ...")."""
    parts = re.split(r"([,;:]\s|[()]|\s[—–-]\s)", text[:at])  # not "9,800" or "2:08"
    clause = parts[-1]
    # "The bridge, opened in 1967, carries": commas on both sides; not "closed in 2019,
    # reopened in 2022 after ...", which tells of 2022.
    set_off = (
        len(parts) > 1 and parts[-2].startswith(",") and bool(CLOSED_BY_COMMA.match(text[at:]))
    )
    return bool(ASIDE.search(clause)) or (set_off and bool(PARTICIPLE_ASIDE.match(clause)))


def _absent_from_passage(unmet: list[Constraint], sentence: Sentence) -> list[Constraint]:
    """Names missing from the window that the sentence's whole passage lacks too.

    A person is often named in full once and by surname after ("Naji Zaheer", then "Zaheer"):
    one word of the name in the passage is enough.
    """
    names = [c for c in unmet if c.is_name]
    if not names:
        return []
    present = tokens_of(sentence.passage)
    return [
        c
        for c in names
        if not any(has_close_word(w, present) for w in c.words if not w.isdigit())
        and not named_by_acronym(c.text, sentence.passage)
    ]


def _words_first(sentence: Sentence) -> tuple[float, int]:
    return (-(sentence.coverage + 0.05 / (1 + sentence.passage_rank)), sentence.passage_rank)


# "What did the spokesperson say ...?", "What did the club decline to disclose?": a sentence
# saying that something is not told answers these.
ASKS_WHAT_WAS_TOLD = re.compile(
    r"\b(?:say|said|tell|told|comment\w*|confirm\w*|disclos\w*|releas\w*|reveal\w*|"
    r"declin\w*|refus\w*|clear|unclear|known|unknown)\b",
    re.I,
)
# A sentence saying that what is asked is not known or not told: the nearest miss of a question
# whose answer the articles withhold ("too early to say whether the embankment failed").
UNKNOWN = re.compile(
    r"\btoo\s+early\s+to\s+(?:say|tell|know)\b"
    r"|\b(?:has|have|had|was|were|is|are)\s+(?:not|yet\s+to)\s+(?:yet\s+)?(?:been\s+|be\s+)?"
    r"(?:released|disclosed|revealed|made\s+public|identified|determined|established|known)\b"
    r"|\b(?:declined|refused)\s+to\s+(?:say|comment|disclose|reveal|name|give|confirm)\b"
    r"|\b(?:would|did|could)\s+not\s+(?:say|disclose|reveal|confirm)\b"
    r"|\b(?:remains?|remained)\s+(?:unclear|unknown)\b|\bit\s+(?:is|was)\s+(?:not\s+)?(?:unclear|not\s+clear)\b"
    r"|\bundisclosed\b",
    re.I,
)


@lru_cache(maxsize=50_000)
def _words_of(text: str) -> frozenset[str]:
    # Cached: each pool sentence is matched against the question's words several times.
    return frozenset(content_words(text))


@lru_cache(maxsize=50_000)
def _name_words_of(text: str) -> frozenset[str]:
    """Content words and the parts of hyphenated ones: a name's words ("taiba") are matched
    one by one, and "Lashkar-e-Taiba" or "Khyber-Pakhtunkhwa" is one token of the text."""
    found = _words_of(text)
    return found | {p for w in found if "-" in w for p in w.split("-") if len(p) > 2}


def _question_terms(analysis: QuestionAnalysis) -> list[str]:
    constrained = [w for c in analysis.constraints if c.kind in WORD_CONSTRAINTS for w in c.words]
    return list(dict.fromkeys([*analysis.focus, *constrained]))


def _terms_in(terms: list[str], present: frozenset[str]) -> frozenset[str]:
    """The question's terms a text has (in some form: see has_word)."""
    return frozenset(t for t in terms if has_word(present, t))


def _term_weights(terms: list[str], found_in: list[frozenset[str]]) -> dict[str, float]:
    """IDF of each question word over the evidence sentences (the terms each one has);
    rarer words weigh more."""
    frequency = Counter(t for found in found_in for t in found)
    count = len(found_in) + 1
    return {t: math.log(1 + count / (frequency[t] + 0.5)) for t in terms}


def _covered(weights: dict[str, float], present: Set[str]) -> float:
    return sum(w for term, w in weights.items() if has_word(present, term))


def _absent_share(
    weights: dict[str, float],
    found_in: list[frozenset[str]],
    sentences: list[Sentence],
    total: float,
) -> float:
    """The weighted share of the question's words found in no evidence sentence at all (nor
    in its article's title)."""
    in_texts = frozenset().union(*found_in)
    titles = {s.title for s in sentences}
    missing = [t for t in weights if t not in in_texts]
    absent = [t for t in missing if not any(has_word(_words_of(title), t) for title in titles)]
    return sum(weights[t] for t in absent) / total
