"""Why an answer was refused, as a typed value; its wording lives in prompts/."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RefusalReason(StrEnum):
    NO_QUESTION = "no_question"  # nothing left to search for once instructions were taken out
    UNMENTIONED = "unmentioned"  # a name the question asks about is nowhere in the corpus
    NOT_IN_MATCHES = "not_in_matches"  # the corpus has the name, the matching passages don't
    # evidence exists, but for another year, figure or superlative
    CONSTRAINT_UNMET = "constraint_unmet"
    # the nearest evidence says the opposite of a question's word ("won" for "lose")
    CONTRADICTED = "contradicted"
    NOT_ANSWERED = "not_answered"  # no sentence is likely enough to answer
    METADATA_MISSING = "metadata_missing"  # the article does not state what was asked


# The wording file (prompts/NAME.txt) of each reason.
PROMPTS = {
    RefusalReason.NO_QUESTION: "refusal",
    RefusalReason.UNMENTIONED: "refusal_unmentioned",
    RefusalReason.NOT_IN_MATCHES: "refusal_not_in_matches",
    RefusalReason.CONSTRAINT_UNMET: "refusal_constraint",
    RefusalReason.CONTRADICTED: "refusal_contradicted",
    RefusalReason.NOT_ANSWERED: "refusal",
    RefusalReason.METADATA_MISSING: "refusal_metadata",
}


@dataclass(frozen=True)
class Refusal:
    reason: RefusalReason
    detail: str = ""  # the name, the constraint or the metadata field concerned
