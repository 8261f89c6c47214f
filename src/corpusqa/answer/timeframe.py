"""When things happen: a plan or a forecast does not answer a question about what happened.

"What did Trump and Munir agree when they met?" is not answered by "Munir will meet Trump in the
coming weeks": the sentence is about the same people and the same meeting, but the meeting has
not happened. The tense comes from spaCy's part-of-speech tags (Penn Treebank: VBD is a past
verb, VBN a participle, MD a modal).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpusqa.answer.nlp import Word

# Verbs that report rather than tell of the event: "officials said he will meet Trump" is
# still only a plan.
REPORTING = frozenset(
    """say tell add note state report announce claim confirm write warn insist explain argue
    suggest indicate reveal disclose expect hope predict forecast""".split()
)
AUXILIARIES = frozenset({"be", "have", "do", "get"})
# "would" is left out on purpose: it is as often a past habit or a reported outcome ("the
# Normans would later conquer England") as a plan.
FUTURE_MODALS = frozenset({"will", "shall", "'ll", "wo"})  # spaCy splits "won't" into wo + n't
PLANNED = re.compile(
    r"\b(?:is|are|be|been|was|were)\s+(?:slated|set|scheduled|expected|due|poised|going"
    r"|planning|likely|lined\s+up)\s+to\b(?!\s+(?:a|an|the|his|her|its|their|this|that)\b)"
    # (not "the delay was due to a signal failure": a cause)
    r"|\bupcoming\b|\bin\s+the\s+coming\b|\bplans?\s+to\b"
    # "he expected the mine to return to full production": a forecast
    r"|\b(?:expects?|expected|hopes?|hoped|predicts?|predicted)\s+(?:[\w'’-]+\s+){1,3}to\s+[a-z]",
    re.I,
)


def asks_what_happened(question: str, words: Sequence[Word]) -> bool:
    """A question about something done ("did", "was", a past verb, "has won"), not planned."""
    if any(w.tag == "MD" for w in words) or PLANNED.search(question):
        return False
    return any(w.tag == "VBD" for w in words) or any(
        _completed(words, i) for i in range(len(words))
    )


def only_prospective(sentence: str, words: Sequence[Word]) -> bool:
    """The sentence tells of a plan or of what will be, and of nothing that has happened."""
    future = any(w.tag == "MD" and w.lemma in FUTURE_MODALS for w in words)
    plans = [match.span() for match in PLANNED.finditer(sentence)]
    if not (future or plans):
        return False
    # "was lined up to chair": the participle is the plan's own wording, not a thing done
    return not any(
        _happened(words, i)
        for i, word in enumerate(words)
        if not any(start <= word.start < end for start, end in plans)
    )


def _happened(words: Sequence[Word], index: int) -> bool:
    word = words[index]
    if word.tag == "VBD":
        return word.lemma not in REPORTING | AUXILIARIES
    return _completed(words, index) and word.lemma not in REPORTING


def _completed(words: Sequence[Word], index: int) -> bool:
    """A participle after have or a past be ("has met", "was killed"), not "is slated to"."""
    word = words[index]
    if word.tag != "VBN":
        return False
    following = words[index + 1].text.lower() if index + 1 < len(words) else ""
    before = words[max(0, index - 2) : index]
    helped = any(w.lemma == "have" or (w.lemma == "be" and w.tag == "VBD") for w in before)
    return helped and following != "to"
