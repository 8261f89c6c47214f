"""Who holds the role a who-question asks about.

"Who is the prime minister of Pakistan-occupied Kashmir?" is answered by a sentence that names
the role ("PoK Prime Minister Anwarul Haq"), and not by one that names the same role of another
place or body ("Pakistan Prime Minister Shehbaz Sharif"): that is a near miss.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from corpusqa.answer.evidence import named_by_acronym
from corpusqa.answer.nlp import Entity
from corpusqa.text import STOPWORDS

# Roles named more than one way: "the Israeli envoy" is "Israel's ambassador".
ROLE_GROUPS = (
    ("envoy", "ambassador", "diplomat", "emissary", "representative"),
    ("chief", "head", "chief executive", "ceo", "director", "leader", "commander"),
    ("chairman", "chairwoman", "chair", "chairperson", "president", "chaired"),
    ("spokesman", "spokeswoman", "spokesperson", "representative"),
    ("minister", "premier", "prime minister"),
    ("director", "directed"),
    ("editor", "edited"),
    ("owner", "owned", "owns"),
    ("manager", "coach", "boss", "managed", "coached"),
    ("captain", "captained", "skipper"),
    ("winner", "champion", "victor", "won"),
    ("founder", "founded", "co-founder"),
    ("author", "writer", "wrote", "novelist"),
)
ROLE_NAMES = {
    role: tuple(name for group in ROLE_GROUPS if role in group for name in group)
    for role in {r for group in ROLE_GROUPS for r in group}
}
# Words of a title that say which post, not whose: "Pakistan Foreign Minister", "Deputy Mayor".
TITLE_WORDS = frozenset(
    """prime deputy vice acting interim former then new chief executive senior junior first
    foreign finance defence defense interior home health education trade commerce federal state
    general national security economic economy justice labour labor transport environment energy
    information culture sports affairs external internal industry planning development tourism
    agriculture minister secretary adviser advisor managing regional provincial""".split()
)
# Labels of a name that can own a role: a country, a people, a body, a region.
OWNER_LABELS = frozenset({"GPE", "NORP", "ORG", "LOC", "FAC"})
NAME_WORD = r"[A-Z][\w.&’'-]*"
LAST_WORD = re.compile(r"(\S+)\s*$")
NAME_RUN_BEFORE = re.compile(rf"(?:{NAME_WORD}\s+)+$")
OF_NAME_RUN = re.compile(rf"^\s+of\s+(?:the\s+)?(?P<run>{NAME_WORD}(?:\s+{NAME_WORD})*)")
POSSESSIVE = re.compile(r"['’]s?$")
# Names of a country compared whole ("united states" is not two owners' words).
WHOLE_NAME_ALIASES = {
    "united kingdom": "uk",
    "great britain": "uk",
    "united states": "us",
    "united states of america": "us",
}
# Compared word by word: adjectives of a people that do not begin like their country's name,
# and other one-word names of a country.
ALIASES = {
    "britain": "uk",
    "england": "uk",
    "america": "us",
    "american": "us",
    "french": "france",
    "british": "uk",
    "dutch": "netherlands",
    "spanish": "spain",
    "swiss": "switzerland",
    "irish": "ireland",
    "polish": "poland",
    "danish": "denmark",
    "finnish": "finland",
    "welsh": "wales",
    "scottish": "scotland",
    "english": "uk",
    "filipino": "philippines",
    "thai": "thailand",
}


@lru_cache(maxsize=256)
def role_pattern(role: str) -> re.Pattern[str]:
    # Built once per role: it is matched against every candidate of a who-question.
    names = ROLE_NAMES.get(role, (role,))
    return re.compile(rf"\b(?:{'|'.join(re.escape(n) for n in names)})(?:s|es)?\b", re.I)


def names_role(role: str, text: str, post: str = "") -> bool:
    """Whether the text names the role; with a post ("defence" minister, "deputy" governor),
    that post of it ("Defence Minister X", "the minister of defence")."""
    if not post:
        return bool(role_pattern(role).search(text))
    return any(
        re.search(rf"\b{re.escape(post)}\w*[\s-]+(?:\w+\s+)?$", text[: m.start()], re.I)
        or re.match(rf"\s+(?:of|for)\s+(?:the\s+)?{re.escape(post)}", text[m.end() :], re.I)
        for m in role_pattern(role).finditer(text)
    )


# The words before a role that make it another post: a deputy governor is not the governor, a
# defence minister not the foreign minister. Not those that say when or how senior ("former",
# "new", "senior"), which the articles often leave out.
POSTS = frozenset(
    """deputy vice acting interim foreign finance defence defense interior home health
    education trade commerce justice labour labor transport environment energy information
    culture sports industry planning tourism agriculture economy security""".split()
)


def asked_post(question: str, role: str) -> str:
    """The post word right before the asked role ("Who is Pakistan's defence minister?")."""
    mention = role_pattern(role).search(question) if role else None
    if mention is None:
        return ""
    before = re.findall(r"[\w-]+", question[: mention.start()])
    return before[-1].lower() if before and before[-1].lower() in POSTS else ""


def asked_owner(question: str, role: str) -> str:
    """Whose role the question asks about: "Pakistan's prime minister", "the CEO of Nordvik"
    give "Pakistan" and "Nordvik"; "Who is the director?" gives ""."""
    mention = role_pattern(role).search(question) if role else None
    if mention is None:
        return ""
    return _owner_before(question, mention.start()) or _owner_after(question, mention.end())


def held_by_another(role: str, owner: str, text: str, entities: Sequence[Entity]) -> bool:
    """Whether every mention of the role in the text is another owner's: "Pakistan Prime
    Minister Shehbaz Sharif" for a question about the prime minister of Kashmir. A mention
    whose owner the text does not say, or says by a name the tagger does not know, is not."""
    if not owner:
        return False
    owners = [_owner_in(text, m, entities) for m in role_pattern(role).finditer(text)]
    return bool(owners) and all(o and not same_owner(o, owner) for o in owners)


# An envoy is sent to a place: "Israel's ambassador to India" is not its ambassador to Pakistan.
TO_NAME_RUN = re.compile(rf"^\s+to\s+(?:the\s+)?(?P<run>{NAME_WORD}(?:\s+{NAME_WORD})*)")
SENT_ROLES = frozenset({"envoy", "ambassador", "diplomat", "emissary", "representative"})


def asked_posting(question: str, role: str) -> str:
    """Where the asked envoy is sent ("Who is Israel's ambassador to Pakistan?": "Pakistan")."""
    if role not in SENT_ROLES:
        return ""
    mention = role_pattern(role).search(question)
    found = TO_NAME_RUN.match(question[mention.end() :]) if mention else None
    return found.group("run") if found else ""


def posted_elsewhere(role: str, posting: str, text: str) -> bool:
    """Whether every mention of the envoy in the text says it is sent to another place."""
    if not posting:
        return False
    places = [TO_NAME_RUN.match(text[m.end() :]) for m in role_pattern(role).finditer(text)]
    return bool(places) and all(
        p is not None and not same_owner(p.group("run"), posting) for p in places
    )


def same_owner(first: str, second: str) -> bool:
    """ "Pakistani" and "Pakistan", "PoK" and "Pakistan-occupied Kashmir", "U.S." and "US",
    "Nordvik" and "Nordvik Energy", "Fed" and "Federal Reserve", "British" and "UK". When in
    doubt, the same: this only ever keeps a sentence from answering."""
    a, b = _plain(first), _plain(second)
    a, b = WHOLE_NAME_ALIASES.get(a, a), WHOLE_NAME_ALIASES.get(b, b)
    if not a or not b or a == b:
        return True
    if named_by_acronym(first, second) or named_by_acronym(second, first):
        return True
    return any(_same_word(x, y) for x in _owner_words(a) for y in _owner_words(b))


def _owner_words(name: str) -> set[str]:
    # A hyphenated word stays whole: "Pakistan-occupied" is not "Pakistan".
    words = {w for w in name.split() if w not in STOPWORDS}
    return {ALIASES.get(w, w) for w in words}


def _same_word(first: str, second: str) -> bool:
    """The same word, its people's adjective ("Israeli"/"Israel", "Japanese"/"Japan"), or a
    short form of it ("Fed"/"Federal")."""
    if first == second:
        return True
    short, long = sorted((first, second), key=len)
    if len(short) <= 4:
        return len(short) >= 3 and long.startswith(short) and "-" not in long
    return len(long) - len(short) <= 3 and long.startswith(short[: max(4, len(short) - 1)])


def _owner_in(text: str, mention: re.Match[str], entities: Sequence[Entity]) -> str:
    """The owner the text gives this mention of the role, when the tagger knows it as a place,
    people or body ("Pakistan" in "Pakistan Foreign Minister Ishaq Dar")."""
    for owner, start in (
        (_owner_before(text, mention.start()), None),
        (_owner_after(text, mention.end()), mention.end()),
    ):
        if not owner:
            continue
        at = text.rfind(owner, 0, mention.start()) if start is None else text.find(owner, start)
        if at < 0:  # written across a line break: not where the tagger's spans are
            continue
        if any(
            e.label in OWNER_LABELS and e.start < at + len(owner) and at < e.end for e in entities
        ):
            return owner
    return ""


def _owner_before(text: str, end: int) -> str:
    before = text[:end]
    while (last := LAST_WORD.search(before)) and _plain(last.group(1)) in TITLE_WORDS:
        before = before[: last.start()]  # "Pakistan's foreign minister": past "foreign"
    run = NAME_RUN_BEFORE.search(before)
    if run is None:
        return ""
    words = run.group().split()
    while words and _plain(words[0]) in STOPWORDS:
        words.pop(0)
    return POSSESSIVE.sub("", " ".join(words)) if words else ""


def _owner_after(text: str, start: int) -> str:
    found = OF_NAME_RUN.match(text[start:])
    return found.group("run") if found else ""


def _plain(name: str) -> str:
    name = POSSESSIVE.sub("", name.strip()).lower().replace(".", "")
    return name[4:] if name.startswith("the ") else name
