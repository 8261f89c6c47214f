"""Words that say the opposite of each other.

A sentence that matches a question word for word except that it says "western" where the
question says "eastern", "completed" where it says "incomplete", or "accepted" where it says
"rejected" states a different fact: it is the nearest miss, not the answer. The pairs are
general English (compass points, order, size, change, assent, what befell people), not words of
any question set.
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache

from corpusqa.text import STOPWORDS, content_words

_PAIRS = (
    ("east", "west"),
    ("eastern", "western"),
    ("north", "south"),
    ("northern", "southern"),
    ("northeast", "southwest"),
    ("northwest", "southeast"),
    ("first", "last"),
    ("before", "after"),
    ("earlier", "later"),
    ("early", "late"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("increases", "decreases"),
    ("increase", "reduce"),
    ("increased", "reduced"),
    ("increases", "reduces"),
    ("raise", "lower"),
    ("raised", "lowered"),
    ("encourage", "suppress"),
    ("encourages", "suppresses"),
    ("encouraged", "suppressed"),
    ("promote", "inhibit"),
    ("promotes", "inhibits"),
    ("promoted", "inhibited"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("gain", "loss"),
    ("win", "lose"),
    ("won", "lost"),
    ("victory", "defeat"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("allow", "forbid"),
    ("allowed", "forbidden"),
    ("allowed", "prohibited"),
    ("support", "oppose"),
    ("supported", "opposed"),
    ("support", "reject"),
    ("supported", "rejected"),
    ("major", "minor"),
    ("maximum", "minimum"),
    ("upper", "lower"),
    ("inner", "outer"),
    ("internal", "external"),
    ("public", "private"),
    ("ancient", "modern"),
    ("positive", "negative"),
    ("male", "female"),
    ("import", "export"),
    ("imports", "exports"),
    ("imported", "exported"),
    ("success", "failure"),
    ("succeeded", "failed"),
    ("strong", "weak"),
    ("stronger", "weaker"),
    ("higher", "lower"),
    ("larger", "smaller"),
    ("large", "small"),
    ("big", "small"),
    ("largest", "smallest"),
    ("long", "short"),
    ("longest", "shortest"),
    ("high", "low"),
    ("highest", "lowest"),
    ("open", "closed"),
    ("wet", "dry"),
    ("hot", "cold"),
    ("fast", "slow"),
    ("rich", "poor"),
    ("legal", "illegal"),
    ("direct", "indirect"),
    ("above", "below"),
    ("inside", "outside"),
    ("true", "false"),
    ("encourage", "discourage"),
    ("encouraged", "discouraged"),
    ("maximize", "minimize"),
    ("advantage", "disadvantage"),
    ("successful", "failed"),
    ("successful", "failure"),
    ("acceleration", "deceleration"),
    ("accelerate", "decelerate"),
    ("flexible", "fixed"),
    ("flexible", "rigid"),
    ("born", "died"),
    ("born", "death"),
    ("birth", "died"),
    ("birth", "death"),
    ("began", "ended"),
    ("opened", "closed"),
    # a thing's start against its end: "when did the shipyard shut?" is not answered by the
    # year it was founded, nor "when did Intel stop using X?" by the year it introduced X
    ("founded", "closed"),
    ("founded", "shut"),
    ("founded", "dissolved"),
    ("established", "closed"),
    ("established", "dissolved"),
    ("open", "shut"),
    ("opened", "shut"),
    ("start", "stop"),
    ("started", "stopped"),
    ("introduce", "abandon"),
    ("introduced", "abandoned"),
    ("introduce", "stop"),
    ("introduced", "stopped"),
    ("introduce", "discontinue"),
    ("introduced", "discontinued"),
    ("build", "demolish"),
    ("built", "demolished"),
    ("arrive", "depart"),
    ("arrived", "departed"),
    ("add", "remove"),
    ("added", "removed"),
    ("bought", "sold"),
    ("buy", "sell"),
    ("rural", "urban"),
    ("domestic", "foreign"),
    ("majority", "minority"),
    ("predecessor", "successor"),
    ("ancestor", "descendant"),
    ("son", "daughter"),
    ("sons", "daughters"),
    ("brother", "sister"),
    ("husband", "wife"),
    ("king", "queen"),
    ("man", "woman"),
    ("men", "women"),
    ("men's", "women's"),
    ("boy", "girl"),
    ("boys", "girls"),
    ("father", "mother"),
    ("prince", "princess"),
    ("winner", "loser"),
    ("junior", "senior"),
    ("nephew", "niece"),
    ("younger", "older"),
    ("offensive", "defensive"),
    ("superior", "inferior"),
    # what befell people in an attack or a disaster: a count of one is not a count of another
    ("killed", "injured"),
    ("killed", "wounded"),
    ("killed", "hostage"),
    ("killed", "missing"),
    ("killed", "arrested"),
    ("died", "injured"),
    ("died", "wounded"),
    ("dead", "injured"),
    ("dead", "wounded"),
    ("deaths", "injuries"),
    ("injured", "arrested"),
    ("injured", "hostage"),
)
# Words that say the same of what befell people: "12 died" answers how many were killed, though
# "killed" and "injured" are kept apart.
_SAME = (
    frozenset({"killed", "died", "dead", "deaths", "death", "fatalities", "lives"}),
    frozenset({"injured", "wounded", "hurt", "injuries"}),
    frozenset({"arrested", "detained", "held"}),
    # and of a thing's start or end: "when did the yard shut?" is answered by "it closed in 1987"
    frozenset({"shut", "closed", "close", "closes", "closing"}),
    frozenset({"open", "opened", "reopened", "reopen", "reopens"}),
    frozenset({"stop", "stopped", "ceased", "cease", "halted", "halt", "ended", "end"}),
    frozenset({"founded", "established", "founding"}),
)
SAME_AS = {word: group - {word} for group in _SAME for word in group}
OPPOSITES: dict[str, frozenset[str]] = {}
for _one, _other in _PAIRS:
    OPPOSITES[_one] = OPPOSITES.get(_one, frozenset()) | {_other}
    OPPOSITES[_other] = OPPOSITES.get(_other, frozenset()) | {_one}

# A negating prefix, and the shortest word it may stand before: "in"+"valid" is a negation,
# "in"+"form" is not a word's opposite ("inform"), so the short prefixes need longer words.
NEGATING_PREFIXES = (("non", 4), ("un", 5), ("dis", 6), ("in", 6), ("im", 6), ("il", 5), ("ir", 6))


def contradicted(question_words: Set[str], window_words: Set[str], negated: bool = False) -> str:
    """The question's word that the window says the opposite of (lower-case words), or "".

    question_words: the question's claimed_words.

    negated: the question negates ("wasn't justified"), so a prefix's negation in the window
    ("unjustified") may say the same thing: only the pairs count then.
    """
    for word in sorted(question_words):
        if said_in_any_form(window_words, word) or SAME_AS.get(word, frozenset()) & window_words:
            continue
        if any(said_in_any_form(window_words, other) for other in opposites_of(word)):
            return word  # "encourage" asked, "discouraging" said; "lose" asked, "won" said
        base = "" if negated else without_negating_prefix(word)
        if base and has_form(window_words, base):
            return word  # the question says "incomplete", the window "completed"
    for word in sorted(window_words) if not negated else ():
        base = without_negating_prefix(word)
        if base and base in question_words and not has_form(window_words - {word}, base):
            return base  # the question says "successful", the window only "unsuccessful"
    return ""


@lru_cache(maxsize=50_000)
def claimed_words(question: str) -> frozenset[str]:
    """The question's content words (lower case) less the word a "how" asks the degree of:
    "how large is the town?" asks for a measure, which "a small town of 3,000" gives."""
    degree = {word.lower() for word in HOW_DEGREE.findall(question)}
    return frozenset(word for word in content_words(question) if word not in degree)


HOW_DEGREE = re.compile(r"\bhow\s+([a-z]+)", re.I)


@lru_cache(maxsize=50_000)
def without_negating_prefix(word: str) -> str:
    """The word a negating prefix stands before ("incomplete": "complete"), or ""."""
    for prefix, shortest in NEGATING_PREFIXES:
        base = word[len(prefix) :].lstrip("-")
        if word.startswith(prefix) and len(base) >= shortest:
            return base
    return ""


# The irregular past forms of the verbs among the pairs: "What did the party lose?" is asked in
# the present, and the sentence says that it "won".
IRREGULAR_PAST = {
    "win": ("won",),
    "lose": ("lost",),
    "rise": ("rose", "risen"),
    "fall": ("fell", "fallen"),
    "buy": ("bought",),
    "sell": ("sold",),
    "begin": ("began", "begun"),
}
BASE_OF = {past: base for base, pasts in IRREGULAR_PAST.items() for past in pasts}


def base_forms(word: str) -> tuple[str, ...]:
    """The word and the forms a past tense may stand for ("rejected": "reject", "raised":
    "raise", "lost": "lose")."""
    if word in BASE_OF:
        return (word, BASE_OF[word])
    if word.endswith("ed") and len(word) > 5:
        return (word, word[:-2], word[:-1])
    return (word,)


def opposites_of(word: str) -> frozenset[str]:
    """The opposites of a word and of its base form ("lost": those of "lose")."""
    return frozenset().union(*(OPPOSITES.get(form, frozenset()) for form in base_forms(word)))


def said_in_any_form(words: Set[str], word: str) -> bool:
    """The word in a regular or an irregular form ("lose": "losing", "lost")."""
    forms = {f for base in base_forms(word) for f in (base, *IRREGULAR_PAST.get(base, ()))}
    return any(has_form(words, form) for form in forms)


def has_form(words: Set[str], word: str) -> bool:
    """The word or an inflection of it ("complete": "completed", "completes", "completely")."""
    stem = word[:-1] if word.endswith("e") else word
    return word in words or any(
        _INFLECTION.fullmatch(w[len(stem) :]) for w in words if w.startswith(stem)
    )


_INFLECTION = re.compile(r"e?(?:s|d|r|st|ly|ness|ment)?|e?(?:ed|ing|er|est)|ies|ied")


ORDINALS = {
    word: n
    for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1
    )
}
ORDINAL_BEFORE_NOUN = re.compile(  # "third son", "4th son", "second-quarter profit"
    rf"\b({'|'.join(ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))[\s-]+([a-z]+)", re.I
)


def other_ordinal(question: str, sentence: str, context: str = "") -> str:
    """The question's ordinal where the sentence gives another for the same thing ("Genghis's
    4th son": "Genghis' third son"; "the fifth Session": "the fourth Session"), or "".

    Where the sentence gives none, its headline's counts ("Net profit was $241 million" under
    "Nordvik returns to growth in third quarter" is third-quarter profit). Not the sentences
    before: "Vos won the first stage. Pidcock won the stage..." is about another stage.
    """
    said = _ordinals_by_noun(sentence)
    around = _ordinals_by_noun(context)
    for noun, asked in _ordinals_by_noun(question).items():
        numbers = {n for n, _ in said.get(noun, ())} or {n for n, _ in around.get(noun, ())}
        if numbers and not numbers & {n for n, _ in asked}:
            return min(asked)[1]
    return ""


def _ordinals_by_noun(text: str) -> dict[str, set[tuple[int, str]]]:
    """Each noun an ordinal stands before, with the ordinals (as numbers, and as written)."""
    found: dict[str, set[tuple[int, str]]] = {}
    for ordinal, noun in ORDINAL_BEFORE_NOUN.findall(text):
        word = ordinal.lower()
        number = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        found.setdefault(noun.lower().rstrip("s"), set()).add((number, word))
    return found


# A capitalised name followed by its number: "Article 20", "Apollo 11", "Route 66". Years (four
# digits) and dates ("June 14") are left to the year and date checks.
NUMBERED_NAME = re.compile(r"\b([A-Z][a-z]{2,})\s+(\d{1,3}[A-Za-z]?)\b(?![\d,.:/%-]\d)")
NUMBERED_WORD = re.compile(NUMBERED_NAME.pattern, re.I)  # "article 66" in a sentence too
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def other_numbered(question: str, sentence: str) -> str:
    """The question's numbered name where the sentence numbers the same name otherwise
    ("Article 20": "required in Article 12"), or "": the sentence is about another one."""
    said = _numbers_by_name(sentence, NUMBERED_WORD)
    for name, asked in _numbers_by_name(question, NUMBERED_NAME).items():
        if said.get(name) and not said[name] & asked:
            return next(  # as the question writes it ("Article 20")
                f"{n} {number}"
                for n, number in NUMBERED_NAME.findall(question)
                if n.lower() == name and number.lower() == min(asked)
            )
    return ""


def _numbers_by_name(text: str, pattern: re.Pattern[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, number in pattern.findall(text):
        if name.lower() not in MONTHS:
            found.setdefault(name.lower(), set()).add(number.lower())
    return found


CARDINALS = {
    word: n
    for n, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
}
CARDINAL_BEFORE_WORD = re.compile(rf"\b({'|'.join(CARDINALS)})\s+([a-z]+)", re.I)


def other_count(question: str, sentence: str) -> str:
    """The question's count of a thing where the sentence counts the same thing otherwise
    ("two consistent theories": "one consistent theory"), or ""."""
    said = _counts_by_word(sentence)
    for word, asked in _counts_by_word(question, in_names=False).items():
        if said.get(word) and not said[word] & asked:
            return f"{min(asked)} {word}"
    return ""


def _counts_by_word(text: str, in_names: bool = True) -> dict[str, set[int]]:
    """in_names: count "Seven Years' War" too (a name: the question's count is its own)."""
    found: dict[str, set[int]] = {}
    for count, word in CARDINAL_BEFORE_WORD.findall(text):
        if not in_names and count[0].isupper():
            continue
        key = _singular(word.lower())
        if key not in STOPWORDS:  # "one of them" counts nothing
            found.setdefault(key, set()).add(CARDINALS[count.lower()])
    return found


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


WEEKDAY_NAME = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
WEEKDAY = re.compile(rf"\b({WEEKDAY_NAME})s?\b", re.I)
# "organisers said on Monday": the day a thing was said, not the day it happened.
REPORTED_ON = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|added|stated)\s+(?:on\s+)?$", re.I
)


def other_weekday(question: str, sentence: str) -> str:
    """The question's day of the week where the sentence names only other days for what it
    tells ("on the Sunday" asked, "on Saturday morning" said), or ""."""
    asked = {m.group(1).lower() for m in WEEKDAY.finditer(question)}
    said = {
        m.group(1).lower()
        for m in WEEKDAY.finditer(sentence)
        if not REPORTED_ON.search(sentence[: m.start()])
    }
    if asked and said and not asked & said:
        return min(asked).capitalize()
    return ""
