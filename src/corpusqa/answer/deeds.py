"""Who did it to whom: a question's name on the other side of its verb in a sentence.

"Which country did the Netherlands beat in the final?" asks whom the Netherlands beat; "Belgium
beat the Netherlands in the final" says who beat them, with every word of the question in it.
SQuAD 2.0 writes unanswerable questions this way, and a user who asks "who did X sack?" is not
answered by "Y sacked X". The roles come from word order and spaCy's tags (no parser): a name
just before the verb does it, a name just after it (or before a passive) undergoes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpusqa.answer.nlp import NAMED_LABELS, Entity, Word
from corpusqa.answer.timeframe import AUXILIARIES

WH_WORDS = frozenset({"who", "whom", "what", "which"})
BETWEEN_NAME_AND_VERB = 40  # characters: "Belgium, the hosts, beat" is still Belgium's deed
# Verbs whose two sides do the same deed: "Putin met Obama" says whom Obama met.
BOTH_WAYS = frozenset("meet play face draw marry fight talk speak join tie merge partner".split())
PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|in|at|to|for|from|by|with|on|into|near|against)\s+(?:the\s+)?$", re.I
)


@dataclass(frozen=True)
class Deed:
    """A verb of the question and the name that does it ("subject") or undergoes it."""

    name: str
    verb: str  # its lemma
    role: str  # "subject" or "object"


def asked_deed(words: Sequence[Word], entities: Sequence[Entity]) -> Deed | None:
    """ "Which country did the Netherlands beat?": the Netherlands beat (subject); "Who
    defeated Belgium?": Belgium was defeated (object). None for other questions."""
    if not words or words[0].text.lower() not in WH_WORDS:
        return None
    names = [e for e in entities if e.label in NAMED_LABELS]
    for index, word in enumerate(words[:-1]):
        if word.lemma == "do" and word.tag == "VBD":  # "... did the Netherlands beat"
            name = _name_starting(names, words[index + 1].start, words)
            verb = _verb_after(words, name.end) if name else None
            if name and verb is not None:
                return Deed(name.text, verb.lemma, "subject")
            return None
    # "Who defeated Belgium?", "Which army attacked the fort?": wh-phrase, a past verb, a name
    verb_at = next((i for i, w in enumerate(words[1:4], start=1) if w.tag == "VBD"), None)
    if verb_at is None or words[verb_at].lemma in {"be", "have", "do"}:
        return None
    if any(w.tag.startswith("VB") for w in words[1:verb_at]):
        return None
    after = words[verb_at + 1] if verb_at + 1 < len(words) else None
    name = _name_starting(names, after.start, words) if after else None
    if name is None or _modifies_a_noun(name, words):  # "won the Halbrook University election"
        return None
    return Deed(name.text, words[verb_at].lemma, "object")


def reverses_deed(deed: Deed, sentence: str, words: Sequence[Word]) -> bool:
    """Whether the sentence has the deed's name only on the other side of its verb."""
    if deed.verb in BOTH_WAYS:
        return False
    # the whole name where the sentence has it, else its last word ("Breuer" for Anton Breuer)
    whole = re.escape(re.sub(r"^the\s+", "", deed.name, flags=re.I))
    name = re.compile(rf"(?<!\w)(?:{whole}|{re.escape(deed.name.split()[-1])})(?!\w)", re.I)
    does, undergoes = False, False
    for index, word in enumerate(words):
        if word.lemma != deed.verb or not word.tag.startswith("VB"):
            continue
        end = word.start + len(word.text)
        before = any(
            _close_before(sentence, m, word.start, words)
            for m in name.finditer(sentence, 0, word.start)
        )
        between = [sentence[end : m.start()] for m in name.finditer(sentence, end)]
        right_after = any(re.fullmatch(r"\s+(?:the\s+)?", gap) for gap in between)
        by_after = any(re.fullmatch(r"\s+by\s+(?:the\s+)?", gap) for gap in between)
        if _passive(words, index):
            does, undergoes = does or by_after, undergoes or before
        else:
            does, undergoes = does or before, undergoes or right_after
    if deed.role == "subject":
        return undergoes and not does
    return does and not undergoes


def _passive(words: Sequence[Word], index: int) -> bool:
    """ "were beaten", and "an event organised by X" (a participle before "by")."""
    if words[index].tag != "VBN":
        return False
    after_be = index > 0 and words[index - 1].lemma == "be"
    return after_be or (index + 1 < len(words) and words[index + 1].text.lower() == "by")


def _modifies_a_noun(name: Entity, words: Sequence[Word]) -> bool:
    following = next((w for w in words if w.start >= name.end), None)
    return following is not None and following.tag in {"NN", "NNS", "POS"}


def _close_before(
    sentence: str, name: re.Match[str], verb_start: int, words: Sequence[Word]
) -> bool:
    """The name stands before the verb as its doer: near it, in its clause, with no other verb
    between ("Kyiv officials said drones attacked the city": the officials said), and not inside
    a phrase of a preposition ("elected rector of Halbrook University ..., winning")."""
    if PREPOSITION_BEFORE.search(sentence[: name.start()]):
        return False
    if any(
        name.end() <= w.start < verb_start
        and w.tag.startswith("VB")
        and w.lemma not in AUXILIARIES  # "the Netherlands were beaten"
        for w in words
    ):
        return False
    between = sentence[name.end() : verb_start]
    return len(between) <= BETWEEN_NAME_AND_VERB and not re.search(
        r"[;:]|\b(?:and|but|when|after|before|while)\b", between
    )


def _name_starting(names: Sequence[Entity], at: int, words: Sequence[Word]) -> Entity | None:
    """The name that starts at a word, or right after it when that word is "the"."""
    starts = {at}
    position = next((i for i, w in enumerate(words) if w.start == at), None)
    if position is not None and words[position].text.lower() == "the" and position + 1 < len(words):
        starts.add(words[position + 1].start)
    return next((name for name in names if name.start in starts), None)


def _verb_after(words: Sequence[Word], end: int) -> Word | None:
    following = [w for w in words if w.start >= end]
    first = following[0] if following else None
    return first if first is not None and first.tag.startswith("VB") else None
