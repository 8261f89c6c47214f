"""Question analysis: what kind of answer is asked for, what it must satisfy, and its focus words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from corpusqa.answer.deeds import Deed, asked_deed
from corpusqa.answer.nlp import YEAR, Entity, EntityFinder, Word
from corpusqa.answer.periods import periods_in
from corpusqa.answer.roles import asked_owner, asked_post, asked_posting
from corpusqa.answer.timeframe import asks_what_happened
from corpusqa.text import content_words, normalize


class AnswerType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    DATE = "date"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    REASON = "reason"
    DEFINITION = "definition"
    LIST = "list"
    YES_NO = "yes/no"
    OTHER = "other"


class MetadataField(StrEnum):
    TITLE = "title"
    AUTHOR = "author"
    DATE = "date"
    PUBLISHER = "publisher"
    EDITOR = "editor"  # "(Edited by Jane Doe)" at the foot of a page


# The entity labels that can fill each asked-for slot. "Who" is usually a person, but a
# group, a country or a people also answer it ("who won the vote?").
FILLERS: dict[AnswerType, frozenset[str]] = {
    AnswerType.PERSON: frozenset({"PERSON", "ORG", "NORP", "NAME"}),
    AnswerType.ORGANISATION: frozenset({"ORG", "NORP", "GPE", "PERSON", "NAME"}),
    AnswerType.PLACE: frozenset({"GPE", "LOC", "FAC", "ORG", "NAME"}),
    # "When was Warsaw razed?": "During the Second World War" (an event dates it).
    AnswerType.DATE: frozenset({"DATE", "TIME", "EVENT"}),
    AnswerType.NUMBER: frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"}),
    AnswerType.MONEY: frozenset({"MONEY", "CARDINAL"}),
    AnswerType.PERCENT: frozenset({"PERCENT", "CARDINAL"}),
}
PERSON_NOUNS = frozenset(
    """person people man woman men women official officials leader leaders minister ministers
    president king queen emperor chief commander ambassador spokesperson spokesman spokeswoman
    author writer founder general prince duke pope scientist player coach mayor governor senator
    envoy diplomat judge member members individual actor singer journalist moderator host
    speaker representative candidate winner chairman chairwoman director editor owner secretary
    successor predecessor deputy negotiator mediator head advocate lawyer attorney analyst
    expert scholar professor researcher politician lawmaker legislator cleric activist
    commentator columnist reporter correspondent economist historian philosopher physicist
    chemist biologist mathematician engineer architect artist painter composer musician poet
    novelist officer soldier captain colonel lieutenant admiral ruler monarch sultan bishop
    priest teacher student inventor explorer pilot athlete premier chancellor
    prosecutor commissioner policymaker filmmaker""".split()
)
# People named by what they did or what befell them: they make "the name of the driver" a
# person, but are said too many ways to be roles an answer must repeat ("the victim").
PEOPLE_BY_WHAT_THEY_DO = frozenset(
    """driver guard victim suspect passenger resident worker employee nurse doctor surgeon
    patient farmer child boy girl organiser organizer ringleader defendant witness survivor
    hostage runner rider cyclist swimmer climber footballer striker goalkeeper winger defender
    midfielder rector dean principal firefighter paramedic volunteer donor buyer seller tenant
    landlord pensioner student""".split()
)
# A who-question naming a role ("Who is Dunmore's budget director?", "Who was named runner-up?")
# asks for whoever holds that role: the answer must say so. Left out: roles too general to be
# named in the answer ("official", "leader", "head" are said a dozen ways).
ROLE_ASKED = re.compile(
    r"^\W*who\s+(?:is|was|are|were|will\s+be|has\s+been|had\s+been)\s+"
    r"(?:(?:named|appointed|elected|chosen|picked)\s+(?:as\s+)?)?(?:the\s+|an?\s+)?"
    r"(?P<phrase>[\w'’ -]{1,60}?)(?:\s+(?:of|for|at|in|to|on|from|with|by)\b.*)?\W*$",
    re.I,
)
# "Whom did she appoint as her deputy governor?", "Who did X pick as the new coach?"
ROLE_AS = re.compile(
    r"^\W*(?:who|whom)\b.*\bas\s+(?:his|her|its|their|the|a|an)\s+(?P<phrase>[\w'’ -]{1,40}?)\W*$",
    re.I,
)
# Verbs that name a post: "who coached X?" is answered by X's coach, not by whoever X beat.
# Left out: "found" and "own" (said a dozen ways: "set up", "established", "bought"), and
# "edit" (who edited a report is its metadata).
ROLE_OF_VERB = {
    "coach": "coach",
    "chair": "chair",
    "manag": "manager",
    "direct": "director",
    "captain": "captain",
}
ROLE_BY_VERB = re.compile(
    r"^\W*who\s+(?:now\s+|currently\s+)?(?P<verb>coach|chair|manag|direct|captain)"
    r"(?:e?s|ed|e)?\b(?!\s+(?:as|by|to)\b)",
    re.I,
)
EXTRA_ROLES = frozenset(
    "runner-up champion chair ceo treasurer manager captain supervisor foreman inspector".split()
)
GENERAL_ROLES = frozenset("person man woman individual member official leader head".split())
PLURAL_PERSON_NOUNS = frozenset("people men women officials leaders ministers members".split())
PERSON_LABELS = frozenset({"PERSON", "NAME"})
SINGLE_PERSON_NOUNS = PERSON_NOUNS - PLURAL_PERSON_NOUNS
ROLES = (SINGLE_PERSON_NOUNS | EXTRA_ROLES) - GENERAL_ROLES - PEOPLE_BY_WHAT_THEY_DO
ORGANISATION_NOUNS = frozenset(
    """group groups organisation organization company companies party parties outlet agency team
    university newspaper institution body force army militia faction firm network committee
    manufacturer maker bank lender insurer airline carrier retailer supplier broadcaster charity
    club ministry department council league studio startup brand operator cooperative union
    federation association foundation corporation conglomerate developer contractor regulator
    authority court publisher label school college hospital museum carmaker automaker chipmaker
    drugmaker steelmaker consultancy subsidiary institute watchdog trust""".split()
)
PLACE_NOUNS = frozenset(
    """city cities country countries town place region province state district village location
    area continent island river capital site venue border nation building stadium arena hall
    hotel airport station street road park neighbourhood neighborhood square harbour harbor
    mountain lake sea coast municipality campus""".split()
)
# Places inside a country: "which city ...?" is not answered by the name of a country.
SETTLEMENT_NOUNS = frozenset("city town village capital port suburb municipality".split())
TIME_UNITS = frozenset("seconds minutes hours days weeks months years decades centuries".split())
DATE_NOUNS = frozenset("year date day month century decade time period era".split())
# "What net profit did X report?" asks for a sum as surely as "how much profit".
MONEY_NOUNS = frozenset(
    """revenue profit price cost fee salary wage budget income earnings""".split()
)
QUALIFIERS = frozenset(
    """first last second third final earliest latest oldest youngest largest biggest smallest
    highest lowest most least best worst former current new old women men junior senior deputy
    vice acting interim national international domestic foreign annual""".split()
)
# Superlatives an answer must agree with ("the least important", "the smallest settlement"),
# each with the words that say the same. SQuAD 2.0 writes unanswerable questions by swapping
# "most" for "least"; a sentence about the most important one does not answer. Left out: "most"
# (also "the greater part of") and the ordinals ("first", "final"): the evidence often implies
# them without the word (on squad2-a, requiring them lost as many answers as it won refusals).
SUPERLATIVES: dict[str, frozenset[str]] = {
    "largest": frozenset({"largest", "biggest"}),
    "biggest": frozenset({"largest", "biggest"}),
    "smallest": frozenset({"smallest", "tiniest"}),
    "highest": frozenset({"highest", "tallest", "peak", "peaked", "record"}),
    "lowest": frozenset({"lowest"}),
    "oldest": frozenset({"oldest", "earliest"}),
    "youngest": frozenset({"youngest"}),
    "earliest": frozenset({"earliest", "first", "oldest"}),
    "latest": frozenset({"latest", "last", "recent"}),
    "best": frozenset({"best"}),
    "worst": frozenset({"worst"}),
    "least": frozenset({"least", "fewest"}),
}
ARTICLE_KINDS = r"article|story|report|piece|explainer|column|op-ed|editorial"
METADATA_CUE = re.compile(
    rf"\b(?:{ARTICLE_KINDS}|published|publish|publication|outlet|publisher|site|website|"
    r"newspaper|wrote|written|author|headline|byline|edited|editor)\b",
    re.I,
)
METADATA_PATTERNS = [
    (
        MetadataField.AUTHOR,
        re.compile(
            r"\bwho\s+(?:wrote|authored|penned)\b|\bauthor\b|\bbyline\b|\bwritten\s+by\b", re.I
        ),
    ),
    (
        MetadataField.PUBLISHER,
        re.compile(
            r"\b(?:which|what)\s+(?:outlet|publication|newspaper|publisher|news\s+\w+)\b|"
            r"\bwho\s+published\b|\bpublished\s+by\b|\bpublisher\b|"
            # "Which site ran the story?"; not "Which site did the report say was hit?"
            r"\b(?:which|what)\s+(?:web)?site\s+(?:published|ran|carried|posted|put\s+out)\b|"
            # "On which website did the article urging ... appear?"
            rf"\b(?:on|in)\s+(?:which|what)\s+(?:web)?site\s+did\s+(?:the|this|that)\s+"
            rf"(?:{ARTICLE_KINDS})\b.*\b(?:appear|run|come\s+out)\b",
            re.I,
        ),
    ),
    (
        MetadataField.DATE,
        re.compile(
            r"\bwhen\s+was\b.*\b(?:published|written|posted)\b|\bpublication\s+date\b|"
            r"\bdate\s+of\s+(?:the|\w+['’]s)\s+(?:\w+\s+)?(?:article|story|report|piece)\b|"
            # "What date appears on the article?", "When did the Firstpost piece come out?"
            r"\b(?:what|which)\s+(?:date|day)\s+(?:appears|is\s+(?:shown|given|printed))\s+"
            r"(?:on|in|at|atop)\b|\bwhen\s+did\b.*\b(?:article|story|report|piece|explainer)\b.*\b"
            r"(?:come\s+out|appear|run|go\s+(?:up|online))\b",
            re.I,
        ),
    ),
    (
        MetadataField.EDITOR,
        re.compile(
            r"\bwho\s+edited\b|\bedited\s+by\b|\b(?:which|what)\s+editor\b|"
            rf"\beditor\s+of\s+(?:the|this|that)\s+(?:\w+\s+)?(?:{ARTICLE_KINDS})\b",
            re.I,
        ),
    ),
    (
        MetadataField.TITLE,
        re.compile(
            r"\b(?:title|headline)\s+of\b|\bwhat\s+is\s+the\s+(?:title|headline)\b|\bcalled\b.*\barticle\b",
            re.I,
        ),
    ),
]
# "On what date ..." wants a day, "in what year ..." a year: a filler less precise than that
# ("late 2023", "the coming weeks") is about the right time but does not answer.
ASKED_FOR = r"\b(?:what|which)\s+(?:(?:is|was|were)\s+the\s+)?"
DATE_PRECISION = (
    # "On what date ...?" wants a date; "on which day ...?" a weekday will do.
    (
        "date",
        re.compile(rf"{ASKED_FOR}(?:exact\s+|specific\s+|precise\s+)?date\b(?!-)", re.I),
    ),
    (
        "day",
        re.compile(rf"{ASKED_FOR}(?:exact\s+|specific\s+|precise\s+)?day\b(?!-)", re.I),
    ),
    ("month", re.compile(rf"{ASKED_FOR}month\b(?!-)", re.I)),
    ("year", re.compile(rf"{ASKED_FOR}year\b(?!-)", re.I)),
)
NEGATION = re.compile(r"\b(?:not|never|no|none|neither|nor|nobody|nothing|cannot)\b|n['’]t\b", re.I)
NAMES_AN_ARTICLE = re.compile(
    rf"\b(?:{ARTICLE_KINDS}|byline|headline|publication\s+date)\b"
    # "Who wrote it?", "Who is the author?", "When was this published?": asked of the article
    # being read (a scoped chat); "who is the author of the treaty?" is not
    r"|\bwho\s+(?:wrote|authored|penned)\s+(?:it|this)\s*\??$|\bwho\s+is\s+the\s+author\s*\??$"
    r"|\bwhen\s+was\s+(?:it|this)\s+(?:published|written|posted)\b",
    re.I,
)
# "Which outlet published the story?" asks for metadata; "Which outlet did he speak to?" does not.
ABOUT_THE_ARTICLE = re.compile(rf"\b(?:publish\w*|{ARTICLE_KINDS}|ran|run)\b", re.I)
WH_WORD = re.compile(r"\b(who|whom|whose|when|where|why|how|which|what)\b", re.I)
YES_NO_START = re.compile(
    r"^\W*(?:is|are|was|were|did|does|do|can|could|will|would|has|have|had|should)\b", re.I
)
# Tags inside a noun phrase: adjectives, nouns, numbers, "two-star", "country's".
NOUN_PHRASE_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "HYPH", "POS"})
# Where the counted noun phrase ends: a verb of the question or a preposition.
COUNT_PHRASE_ENDS = frozenset(
    """is are was were will would did do does has have had can could should may might in on at
    for to from with by during since per than""".split()
)
# "Which three countries", "name two of the leaders"; not "what two-star general".
SEVERAL = re.compile(
    r"\b(?:which|what|name)\s+(?:the\s+)?(?:two|three|four|five|six|seven|eight|nine|ten|\d+)"
    r"\b(?!-)",
    re.I,
)
HOW_LONG = re.compile(r"\bhow\s+long\b", re.I)  # a duration or a length, in its unit
HOW_QUANTITY = re.compile(r"\bhow\s+(?:many|much|long|old|far|big|large|often|tall|high)\b", re.I)
# "What was the prize worth?", "What did the bridge cost?": a sum, though no "how much"
ASKS_A_PRICE = re.compile(
    r"^\W*what\s+(?:is|was|are|were|will|would|did|does|do)\b.*"
    r"\b(?:worth(?:\s+(?:to|for)\b[^?]*)?|cost(?:\s+[\w'’-]+){0,4})\s*\??\s*$"
    r"|^\W*what\s+(?:is|was|were)\s+the\s+(?:cost|price)\s+of\b",
    re.I,
)
# "What was her winning time?": a time measured on a clock (2:08:41, 9.58 seconds), not a date.
ASKS_A_MEASURED_TIME = re.compile(
    r"^\W*what\s+(?:is|was|were|are)\b.*\b(?:winning|finishing|record|lap|fastest|slowest|"
    r"qualifying)[\s-]+(?:record\s+)?times?\b(?!\s+of\s+(?:the\s+)?(?:year|day|week))",
    re.I,
)
# "What did X say / agree / decide / promise / demand ...?": only a sentence that reports such an
# act answers it (see candidates.ACT_MARKERS); the verbs of the question that name each act.
ASKED_ACTS = (
    ("say", r"say|tell|state|declare|claim|argue|warn|reply|respond"),
    ("agree", r"agree|settle"),
    ("decide", r"decide|vote|rule|resolve"),
    ("promise", r"promise|pledge|vow|commit"),
    ("demand", r"demand|call\s+for|urge|ask\s+for"),
)
ASKED_ACT = re.compile(
    r"^\W*what\s+(?:did|does|do|has|have|had|will|would)\s+.{1,80}?\s+(?:"
    + "|".join(rf"(?P<{act}>{verbs})" for act, verbs in ASKED_ACTS)
    + r")\b",
    re.I,
)
MONEY_WORDS = re.compile(
    r"\b(?:cost|costs|pay|paid|spend|spent|worth|price|fund|funding|budget|money|dollars|euros|"
    r"pounds|rupees|fines?|fined|penalty|penalties|compensation|damages|bail|bribes?|salary|"
    r"wages?|fees?|earn|earned|earnings|invest(?:ed|ments?)?|donat(?:e|ed|ions?)|owes?|owed|"
    r"repay|repaid|loans?)\b",
    re.I,
)
REASON = re.compile(
    r"^\W*why\b|\bwhat\s+(?:caused|causes|led\s+to|is\s+the\s+reason|was\s+the\s+reason)\b|\bfor\s+what\s+reason\b",
    re.I,
)
LIST = re.compile(
    r"^\W*(?:list|name)\b|\bwhat\s+are\s+(?:the|some)\b|\bwhich\s+\w+\s+(?:are|were)\b", re.I
)
DEFINITION = re.compile(
    r"^\W*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?[\w'’ -]{1,40}\??$", re.I
)
# Entity labels that are constraints: the question names them, a valid answer keeps them.
CONSTRAINT_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "PRODUCT",
        "LANGUAGE",
        "NAME",
    }
)


@dataclass(frozen=True)
class Constraint:
    """Something the question fixes that an answer must agree with."""

    kind: str  # "entity", "year", "period", "number", "superlative" or "qualifier"
    text: str
    label: str = ""  # the entity's label, for entities

    @property
    def is_name(self) -> bool:
        """A named person, place or body; a nationality ('American') is also said as 'US'."""
        return self.kind == "entity" and self.label != "NORP"

    @property
    def words(self) -> list[str]:
        return [w for w in re.findall(r"\w+", normalize(self.text)) if len(w) > 2 or w.isdigit()]


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a question asks for; every later step of answering reads it."""

    text: str
    answer_type: AnswerType
    constraints: tuple[Constraint, ...]
    focus: tuple[str, ...]  # content words that are neither constraints nor the question's frame
    entities: tuple[Entity, ...]
    metadata_field: MetadataField | None = None
    counted: str = ""  # the noun of "how many X": the figure must count X
    negated: bool = False  # "Who did not attend?": a sentence that negates nothing can't answer
    date_precision: str = ""  # "date", "day", "month" or "year" when the question asks for one
    # Narrower than FILLERS[answer_type] when the question says more ("which official": a person).
    filler_labels: frozenset[str] | None = None
    # "What did they agree?": about something that happened; a plan does not answer it.
    asks_what_happened: bool = False
    # "Which three countries ...?": one name does not answer it.
    asks_for_several: bool = False
    # "Who is X's budget director?": the role the answer must name ("director"), or "".
    role: str = ""
    # Whose role it is ("Pakistan" in "Who is Pakistan's prime minister?"), or "".
    role_owner: str = ""
    role_post: str = ""  # "defence" of "defence minister": another post is a near miss
    role_posting: str = ""  # "Pakistan" of "ambassador to Pakistan": another posting is one too
    # "What was the winning time?": only a clock time (2:08:41) answers it.
    asks_a_measured_time: bool = False
    # "What did X say (agree, decide, promise, demand)?": the act a sentence must report, or "".
    asked_act: str = ""
    # "Which city ...?": a place inside a country, so a country's name does not answer it.
    asks_for_a_settlement: bool = False
    # "Which country did the Netherlands beat?": the name, its verb and which side it is on.
    deed: Deed | None = None

    @property
    def needs_filler(self) -> bool:
        """Whether an answer must contain an entity of the asked-for type."""
        return self.answer_type in FILLERS

    def constraints_of(self, *kinds: str) -> list[Constraint]:
        return [c for c in self.constraints if c.kind in kinds]


def analyse(question: str, finder: EntityFinder) -> QuestionAnalysis:
    """Analyse one standalone question."""
    parsed = finder.parsed(question)
    entities, head = parsed.entities, asked_noun(parsed.words)
    kind = answer_type(question, head)
    if kind is AnswerType.PERSON and _asks_who_someone_is(question, entities):
        kind = AnswerType.DEFINITION
    precision = next((name for name, asks in DATE_PRECISION if asks.search(question)), "")
    if precision and kind is AnswerType.OTHER:  # "What was the exact date of ...?"
        kind = AnswerType.DATE
    constraints = _constraints(question, entities)
    constrained = {w for c in constraints for w in c.words}
    frame = {w.lower() for w in WH_WORD.findall(question)}
    focus = tuple(w for w in dict.fromkeys(content_words(question)) if w not in constrained | frame)
    role = asked_role(question) if kind is AnswerType.PERSON else ""
    return QuestionAnalysis(
        text=question,
        answer_type=kind,
        constraints=constraints,
        focus=focus,
        entities=entities,
        metadata_field=metadata_field(question),
        counted=_counted_noun(question),
        asks_for_several=bool(SEVERAL.search(question)),
        negated=bool(NEGATION.search(question)),
        date_precision=precision,
        filler_labels=_fillers_for(kind, question, head),
        asks_what_happened=asks_what_happened(question, parsed.words),
        role=role,
        role_owner=asked_owner(question, role),
        role_post=asked_post(question, role),
        role_posting=asked_posting(question, role),
        asks_a_measured_time=kind is AnswerType.NUMBER
        and bool(ASKS_A_MEASURED_TIME.search(question)),
        asked_act=asked_act(question),
        asks_for_a_settlement=kind is AnswerType.PLACE and _singular(head) in SETTLEMENT_NOUNS,
        deed=asked_deed(parsed.words, entities),
    )


def answer_type(question: str, head: str = "") -> AnswerType:
    """The kind of fact that answers the question, from its wh-word and the noun after it.

    head: the noun the wh-word asks about ("general" in "which two-star US general"), when the
    tagger found it (see asked_noun).
    """
    text = " ".join(question.split())
    if ASKS_A_MEASURED_TIME.search(text):
        return AnswerType.NUMBER
    if HOW_QUANTITY.search(text):
        return (
            AnswerType.MONEY
            if re.search(r"\bhow\s+much\b", text, re.I) and MONEY_WORDS.search(text)
            else AnswerType.NUMBER
        )
    if ASKS_A_PRICE.search(text):
        return AnswerType.MONEY
    if re.search(
        r"\b(?:what|which)\s+(?:is|was)\s+the\s+name\s+of\b|\bname\s+the\s+(?:person|man|woman)\b",
        text,
        re.I,
    ):  # "what is the name of the river" asks for a place, of the general a person
        if not head:
            return AnswerType.PERSON
        return _typed_by_noun(text, head) or AnswerType.OTHER  # "the name of the treaty"
    if re.search(r"\bwhat\s+(?:percentage|percent|share|proportion)\b", text, re.I):
        return AnswerType.PERCENT
    if REASON.search(text):
        return AnswerType.REASON
    typed = _typed_by_noun(text, head)
    if typed is not None:
        return typed
    first = WH_WORD.search(text)
    word = first.group(1).lower() if first else ""
    if word in {"who", "whom", "whose"}:
        return AnswerType.PERSON
    if word == "when":
        return AnswerType.DATE
    if word == "where":
        return AnswerType.PLACE
    if YES_NO_START.match(text):
        return AnswerType.YES_NO
    if LIST.search(text):
        return AnswerType.LIST
    if DEFINITION.match(text):
        return AnswerType.DEFINITION
    return AnswerType.OTHER


def _typed_by_noun(text: str, head: str = "") -> AnswerType | None:
    """'Which official ...', 'what year ...', 'in which city ...'."""
    match = re.search(r"\b(?:which|what)\s+(?:\w+\s+)?(\w+)", text, re.I)
    if not match:
        return None
    nouns = [w.lower() for w in re.findall(r"\w+", text[match.start() : match.end()])[1:]]
    for noun in [head, *nouns] if head else nouns:
        singular = _singular(noun)
        for vocabulary, kind in (
            (DATE_NOUNS, AnswerType.DATE),
            (PERSON_NOUNS | PEOPLE_BY_WHAT_THEY_DO, AnswerType.PERSON),
            (PLACE_NOUNS, AnswerType.PLACE),
            (ORGANISATION_NOUNS, AnswerType.ORGANISATION),
        ):
            if noun in vocabulary or singular in vocabulary:
                return kind
    # A sum only when it is the head noun: "what profit margin" asks for a share, "what budget
    # cuts" for the cuts.
    last = head or (nouns[-1] if nouns else "")
    return AnswerType.MONEY if last.lower() in MONEY_NOUNS else None


def asked_noun(words: Sequence[Word]) -> str:
    """The head noun of the phrase after "which"/"what": the last noun before the verb.

    "Which two-star US general did ..." asks for a general, "which country's president" for a
    president: the word right after "which" is often a modifier.
    """
    start = next((i for i, w in enumerate(words) if w.tag in {"WDT", "WP"}), None)
    if start is None or words[start].text.lower() not in {"which", "what"}:
        return ""
    after = words[start + 1 :]
    if after and after[0].text.lower() == "of":  # "which of India's states": one of the states
        after = after[1:]
    head = _head_noun(after)
    named = next(
        (i for i, w in enumerate(words[:-1]) if w.lemma == "name" and words[i + 1].text == "of"),
        None,
    )
    if named is not None and head in {"", "name", "names"}:
        return _head_noun(words[named + 2 :])  # "what is the name of the US general ..."
    return head


def _head_noun(words: Sequence[Word]) -> str:
    head = ""
    for index, word in enumerate(words):
        if word.tag not in NOUN_PHRASE_TAGS and not (index == 0 and word.tag == "DT"):
            break
        if word.tag in {"NN", "NNS"}:
            head = word.text.lower()
    return head


# A club is often named after its town ("Harlan Town": LOC to the tagger), a hospital or a
# school is a building as well as a body (FAC).
NAMED_LIKE_PLACES = {
    "club": frozenset({"LOC", "GPE"}),
    "team": frozenset({"LOC", "GPE"}),
    "side": frozenset({"LOC", "GPE"}),
    "hospital": frozenset({"FAC"}),
    "museum": frozenset({"FAC"}),
    "school": frozenset({"FAC"}),
    "college": frozenset({"FAC"}),
    "university": frozenset({"FAC"}),
}


# A business is no country or people: "which construction firm" is not answered by a town.
COMPANY_NOUNS = frozenset(
    """company firm manufacturer maker bank lender insurer airline carrier retailer supplier
    broadcaster startup brand operator corporation conglomerate developer contractor builder
    carmaker automaker chipmaker drugmaker steelmaker publisher studio""".split()
)


def _fillers_for(kind: AnswerType, question: str, head: str) -> frozenset[str] | None:
    """The labels that fill the slot when the question narrows or widens its type's."""
    if kind is AnswerType.PERSON:
        return _narrower_fillers(question, head)
    if kind is AnswerType.NUMBER and (
        _counted_noun(question) in TIME_UNITS or HOW_LONG.search(question)
    ):
        return FILLERS[kind] | {"TIME", "DATE"}  # "how many minutes": "55 minutes" (TIME)
    if kind is AnswerType.ORGANISATION:
        which = re.search(r"\b(?:which|what)\s+(\w+)", question, re.I)
        noun = _singular(head or (which.group(1).lower() if which else ""))
        if noun in NAMED_LIKE_PLACES:
            return FILLERS[kind] | NAMED_LIKE_PLACES[noun]
        if noun in COMPANY_NOUNS:
            return FILLERS[kind] - {"GPE", "NORP"}
    return None


def _narrower_fillers(question: str, head: str = "") -> frozenset[str] | None:
    """A who-question that names the role it asks about wants a person: "which official",
    "the name of the moderator" want a person; "who is the head of X" never wants a people
    ("Islamist"), though "who sided with Y" may ("the Normans")."""
    text = " ".join(question.split())
    named = re.search(r"\bname\s+of\s+the\s+(\w+)", text, re.I)
    which = re.search(r"\b(?:which|what)\s+(\w+)", text, re.I)
    role = head or (named.group(1).lower() if named else "")
    if (role or (which.group(1).lower() if which else "")) in (
        SINGLE_PERSON_NOUNS | PEOPLE_BY_WHAT_THEY_DO
    ):
        return PERSON_LABELS
    who_is_the = re.match(r"^\W*who\s+(?:is|was|are|were)\s+the\s+(\w+)(?:\s+(\w+))?", text, re.I)
    if who_is_the and {w.lower() for w in who_is_the.groups() if w} & SINGLE_PERSON_NOUNS:
        return PERSON_LABELS  # "who is the current head of X": a person, not the army
    if who_is_the:
        return FILLERS[AnswerType.PERSON] - {"NORP"}
    return None


def _counted_noun(question: str) -> str:
    """The noun of "how many X": the first plural of the next words, else the first word
    ("how many major mainstream parties in" -> parties; "how many times will" -> times)."""
    match = re.search(r"\bhow\s+many\s+((?:\w+\s*){1,4})", question, re.I)
    if not match:
        return ""
    words = []
    for word in re.findall(r"\w+", match.group(1)):
        if word.lower() in COUNT_PHRASE_ENDS:
            break
        if word.lower() not in {"of", "the"} and not word.isupper():  # "US troops": troops
            words.append(word.lower())
    plural = [w for w in words[:3] if len(w) > 3 and w.endswith("s") and not w.endswith("ss")]
    return str((plural or words or [""])[0])


def asked_act(question: str) -> str:
    """ "What did X say/agree/decide/promise/demand ...?": which of these acts, or ""."""
    found = ASKED_ACT.search(question)
    return found.lastgroup or "" if found else ""


def asked_role(question: str) -> str:
    """The role a who-question asks the holder of: the last word before "of"/"for"/..., when
    it is a role ("director", "runner-up", "ambassador"), or the role its verb does ("who
    coached the crew?": the coach)."""
    text = " ".join(question.split())
    by_verb = ROLE_BY_VERB.match(text)
    if by_verb:
        return ROLE_OF_VERB[by_verb.group("verb").lower()]
    match = ROLE_ASKED.match(text) or ROLE_AS.search(text)
    if not match:
        return ""
    singular = _singular(match.group("phrase").split()[-1].lower())
    return singular if singular in ROLES else ""


def _singular(noun: str) -> str:
    """ "directors" -> "director"; "boss" stays."""
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _asks_who_someone_is(question: str, entities: tuple[Entity, ...]) -> bool:
    """'Who is Asim Munir?' asks for a description; 'Who is the army chief?' asks for a name."""
    match = re.match(r"^\W*who\s+(?:is|was|are|were)\s+(?P<rest>.+?)\W*$", question, re.I)
    if not match:
        return False
    rest = _without_article(match.group("rest"))
    return any(_without_article(e.text) == rest for e in entities)


def metadata_field(question: str) -> MetadataField | None:
    """The article metadata a question asks about ('Who wrote the article ...?'), if any."""
    if not METADATA_CUE.search(question):
        return None
    for field, pattern in METADATA_PATTERNS:
        if pattern.search(question) and _about_an_article(field, question):
            return field
    return None


def _about_an_article(field: MetadataField, question: str) -> bool:
    """Whether the question asks it of an article, not of something the articles report:
    "Who wrote the article ...?" but not "Who wrote the novel?", "What did each shortlisted
    author receive?" or "When was the treaty written?"."""
    if field is MetadataField.PUBLISHER:
        return bool(ABOUT_THE_ARTICLE.search(question))
    if field in (MetadataField.AUTHOR, MetadataField.DATE, MetadataField.EDITOR):
        return bool(NAMES_AN_ARTICLE.search(question))
    return True


def _constraints(question: str, entities: tuple[Entity, ...]) -> tuple[Constraint, ...]:
    found: list[Constraint] = []
    for entity in entities:
        if YEAR.fullmatch(entity.text.strip()) or (
            entity.label == "DATE" and YEAR.search(entity.text)
        ):
            found += [Constraint("year", y) for y in YEAR.findall(entity.text)]
        elif _attributes_the_source(question, entity):
            continue  # "according to NewsX": the outlet may be named only in the file's header
        elif entity.label in CONSTRAINT_LABELS and _is_name(entity.text):
            found.append(Constraint("entity", _without_article(entity.text), entity.label))
        elif entity.label in {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"} and re.search(
            r"\d", entity.text
        ):
            if DAY_BEFORE_MONTH.match(question[entity.end :]):
                continue  # "9 January 2026" split by the tagger: a day, not a figure
            found.append(Constraint("number", entity.text))
    found += [
        Constraint("year", y) for y in YEAR.findall(question) if all(c.text != y for c in found)
    ]
    found += [Constraint("period", period) for period in periods_in(question)]
    words = {w.lower() for w in re.findall(r"[\w']+", _without_names(question, entities))}
    found += [
        Constraint("superlative" if q in SUPERLATIVES else "qualifier", q)
        for q in sorted(QUALIFIERS & {w.removesuffix("'s") for w in words})
    ]
    return tuple(dict.fromkeys(found))


def _without_names(question: str, entities: tuple[Entity, ...]) -> str:
    """The question with its names blanked: "New Delhi" holds no qualifier "new"."""
    for entity in entities:
        if entity.label in CONSTRAINT_LABELS and _is_name(entity.text):
            question = (
                question[: entity.start]
                + " " * (entity.end - entity.start)
                + question[entity.end :]
            )
    return question


QUESTION_WORDS = frozenset(
    "who whom whose what when where why how which is are was were did does do can could will "
    "would should has have had name list tell".split()
)


MONTH_NAMES = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
DAY_BEFORE_MONTH = re.compile(rf"^\s+{MONTH_NAMES}\b", re.I)
ATTRIBUTION_AFTER = re.compile(
    r"^['’]?s?\s+(?:article|report|story|piece|says?|said|reports?|reported)\b", re.I
)


# "ThePrint's 9 January 2026 report": an outlet's own piece, whatever stands before it.
OWN_PIECE_AFTER = re.compile(
    rf"^['’]s\s+(?:(?:\d{{1,2}}|\d{{4}}|{MONTH_NAMES}),?\s+){{0,3}}(?:{ARTICLE_KINDS})\b", re.I
)


def _attributes_the_source(question: str, entity: Entity) -> bool:
    """'According to NewsX, ...', 'the ThePrint article' or "ThePrint's report": who reports
    it, not what it is about."""
    if entity.label not in {"ORG", "WORK_OF_ART", "NAME", "PRODUCT", "GPE"}:
        return False
    before, after = question[: entity.start], question[entity.end :]
    return bool(
        re.search(r"\baccording\s+to\s+(?:the\s+)?$", before, re.I)
        or (ATTRIBUTION_AFTER.match(after) and re.search(r"\b(?:the|does|did)\s+$", before, re.I))
        or (entity.label != "GPE" and bool(OWN_PIECE_AFTER.match(after)))
    )


def _is_name(text: str) -> bool:
    """Not a question word that the model took for a name ('Whom', 'Which')."""
    first = re.findall(r"\w+", text.lower())[:1]
    return bool(re.search(r"[A-Za-z]{2}", text)) and not (first and first[0] in QUESTION_WORDS)


def _without_article(text: str) -> str:
    return (
        re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
        .removesuffix("'s")
        .removesuffix("’s")
    )
