"""Answers that answer: the failure classes of choosing what to say, each on the five articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fakes import WordHashEmbedder

from corpusqa.answer import Answerer, evidence
from corpusqa.answer.analysis import (
    FILLERS,
    AnswerType,
    Constraint,
    MetadataField,
    analyse,
    answer_type,
    asked_role,
)
from corpusqa.answer.candidates import (
    DATELINE,
    MUST_AGREE,
    Candidate,
    CandidateScorer,
    _as_person,
    _dated_otherwise,
    _precise_enough,
    fillers_of,
    named_bodies,
    names_inside,
    negates_what_is_negated,
    referent_before,
    reverses_relation,
    same_initials,
    told_years,
    unlabelled_names,
)
from corpusqa.answer.compose import _agree, draft_answer
from corpusqa.answer.confidence import ConfidenceModel
from corpusqa.answer.deeds import asked_deed, reverses_deed
from corpusqa.answer.evidence import Sentence, spells_out
from corpusqa.answer.metadata import _author_bio, _edited_by
from corpusqa.answer.nlp import Entity, EntityFinder
from corpusqa.answer.opposites import (
    claimed_words,
    contradicted,
    other_count,
    other_numbered,
    other_ordinal,
    other_weekday,
)
from corpusqa.answer.periods import names_period, periods_in
from corpusqa.answer.places import is_a_country
from corpusqa.answer.roles import (
    asked_owner,
    asked_post,
    asked_posting,
    names_role,
    posted_elsewhere,
    same_owner,
)
from corpusqa.answer.timeframe import only_prospective
from corpusqa.ingest.pipeline import ingest
from corpusqa.settings import PROJECT_ROOT, Settings
from corpusqa.text import content_words, normalize

CORPUS = PROJECT_ROOT / "data" / "articles"


def corpus_text() -> str:
    return normalize(" ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who is Israel's ambassador to India?", AnswerType.PERSON),
        ("Who is Naji Zaheer?", AnswerType.DEFINITION),
        ("Which official did the Senate host in January?", AnswerType.PERSON),
        ("When did the Pakistani Senate host Qaddoumi?", AnswerType.DATE),
        ("In which city did Zaheer speak?", AnswerType.PLACE),
        ("How many troops will Indonesia send?", AnswerType.NUMBER),
        ("How much money did Pakistan donate?", AnswerType.MONEY),
        ("Why is Israel uncomfortable with Pakistan?", AnswerType.REASON),
        ("Did Israel reject the Pakistan Army?", AnswerType.YES_NO),
        # "which of X" asks for one of X: the head noun after "of" types it.
        ("Which of Pakistan's southern provinces did Zaheer visit?", AnswerType.PLACE),
        ("Which of the militant groups sent a delegate?", AnswerType.ORGANISATION),
        # Kinds of company and of building are asked for by their everyday names too.
        ("Which carmaker signed a supply deal with the company?", AnswerType.ORGANISATION),
        ("Which bank lent the city the money?", AnswerType.ORGANISATION),
        ("In which building was the prize handed out?", AnswerType.PLACE),
        ("Which policymaker spoke first?", AnswerType.PERSON),
        # a price asked without "how much"
        ("What was the prize worth to its winner?", AnswerType.MONEY),
        ("What did the bridge cost the city?", AnswerType.MONEY),
        ("What is Hamas worth fighting for?", AnswerType.DEFINITION),
        # a sum asked for by its name; one that only describes the noun asked about is not
        ("What net profit did Nordvik report?", AnswerType.MONEY),
        ("What revenue did the company forecast?", AnswerType.MONEY),
        ("What net loss of seats did the party suffer?", AnswerType.OTHER),
        ("What profit margin did the company report?", AnswerType.OTHER),
        # a time on the clock, not a date; "who set it" still asks for a person
        ("What was her winning time at the marathon?", AnswerType.NUMBER),
        ("Who set the course record time?", AnswerType.PERSON),
        ("In what year did she set her best time?", AnswerType.DATE),
    ],
)
def test_question_analysis_knows_what_is_asked_for(question: str, kind: AnswerType) -> None:
    assert analyse(question, EntityFinder()).answer_type is kind


def test_a_qualifier_inside_a_name_is_the_name_s() -> None:
    """ "New Delhi" asks for nothing new; "the new president" does."""
    in_a_name = analyse("Who is the Israeli envoy in New Delhi?", EntityFinder())
    assert ("entity", "New Delhi") in {(c.kind, c.text) for c in in_a_name.constraints}
    assert not any(c.kind == "qualifier" for c in in_a_name.constraints)
    asked = analyse("Who is the new president of the National Assembly?", EntityFinder())
    assert ("qualifier", "new") in {(c.kind, c.text) for c in asked.constraints}


def test_question_analysis_keeps_constraints_but_not_question_words() -> None:
    analysis = analyse("Whom did Hamas meet in Karachi in 2023 for the first time?", EntityFinder())
    kinds = {(c.kind, c.text) for c in analysis.constraints}
    assert {("year", "2023"), ("qualifier", "first")} <= kinds
    assert any(kind == "entity" and "Karachi" in text for kind, text in kinds)
    assert not any(text.lower().startswith("whom") for _, text in kinds)
    assert analyse("Who wrote the article?", EntityFinder()).metadata_field is MetadataField.AUTHOR


def test_who_answer_names_someone_the_question_does_not(answerer: Answerer) -> None:
    """Class 1: a sentence that says the Senate hosted a delegation, naming no one, is no answer."""
    result = answerer.answer("Which Hamas official did the Pakistani Senate host in January?")
    assert not result.refused, result.answer
    assert "Qaddoumi" in result.answer
    assert result.short_answer is not None
    assert result.short_answer.text.lower() not in result.question.lower()


def test_evidence_about_another_year_is_refused_with_near_misses(answerer: Answerer) -> None:
    """Class 2: the articles date the Karachi conference to 2023; asked for 2019, they don't say."""
    result = answerer.answer("Which Hamas leader addressed the Toofan-e-Aqsa Conference in 2019?")
    assert result.refused
    assert result.refusal_reason == "constraint_unmet"
    assert result.related


def test_a_fact_about_another_country_is_no_answer(answerer: Answerer) -> None:
    """Class 4: the $1 million was Pakistan's donation; asked about Iran (which the articles do
    mention elsewhere), the sentence is about someone else and the question is refused."""
    swapped = answerer.answer("How much money has Iran donated to the Hamas government?")
    assert swapped.refused, swapped.answer
    assert swapped.refusal_reason != "unmentioned"  # Iran is in the corpus: never say otherwise
    asked = answerer.answer("How much money did Pakistan donate to the Hamas government?")
    assert not asked.refused and "$1 million" in asked.answer


def test_a_sentence_relating_two_names_the_other_way_round_is_no_answer(
    answerer: Answerer,
) -> None:
    """Class 4: "Israel's ambassador to India" does not answer who India's ambassador to Israel is."""
    swapped = answerer.answer("Who is India's ambassador to Israel?")
    assert swapped.refused, swapped.answer
    asked = answerer.answer("Who is Israel's ambassador to India?")
    assert not asked.refused and "Reuven Azar" in asked.answer
    analysis = analyse("Did Pakistan defeat India in the final?", EntityFinder())
    assert reverses_relation(analysis, "India defeat Pakistan in the final, as expected.")
    assert not reverses_relation(analysis, "Pakistan defeat India, and India defeat Pakistan.")


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        ("Which official did the Senate host in January?", {"PERSON", "NAME"}),
        ("What was the name of the moderator who introduced Zaheer?", {"PERSON", "NAME"}),
        ("Who is the current head of Pakistan's intelligence agency?", {"PERSON", "NAME"}),
        ("Who is the leader of the group?", {"PERSON", "NAME"}),
        ("What is the name of the two-star US general who will lead it?", {"PERSON", "NAME"}),
        ("Which country's president met Trump?", {"PERSON", "NAME"}),
        ("Who was the first to arrive?", {"PERSON", "ORG", "NAME"}),
        ("Who identified themselves as English?", None),
    ],
)
def test_a_role_in_a_who_question_narrows_what_can_answer_it(
    question: str, labels: set[str] | None
) -> None:
    """Class 1: a role noun asks for a person, wherever it stands ("the head of X", "which
    country's president", "the name of the two-star general"), never a body or a people; "who
    was the first" may be a body too but never a people; a plain "who" may be a people ("the
    Normans")."""
    narrowed = analyse(question, EntityFinder()).filler_labels
    assert (set(narrowed) if narrowed is not None else None) == labels


def test_a_negated_question_needs_a_sentence_that_negates(answerer: Answerer) -> None:
    """Class 4: "which country did not donate" is not answered by the country that did."""
    negated = answerer.answer("Which country did not donate $1 million to the Hamas government?")
    assert negated.refused, negated.answer
    uninvited = answerer.answer("Which country was not invited to the gathering?")
    assert not uninvited.refused, uninvited.answer
    assert uninvited.short_answer is not None and uninvited.short_answer.text == "Turkey"


def test_a_person_named_by_surname_in_the_passage_still_meets_the_constraint(
    answerer: Answerer,
) -> None:
    """Articles name someone in full once and by surname after: 'Naji Zaheer' meets 'Zaheer'."""
    result = answerer.answer("Which Karachi venue did Naji Zaheer visit in January 2024?")
    assert not result.refused, result.answer
    assert "Karachi Press Club" in result.answer


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("Which site ran the explainer on the Gaza force?", MetadataField.PUBLISHER),
        ("Which site did Hamas attack, according to the report?", None),
        ("What date appears on the article about Hamas commanders?", MetadataField.DATE),
        ("When did the Firstpost piece about the Gaza force come out?", MetadataField.DATE),
        ("What date did the report say the Senate met?", None),
        ("When did the conference come out against Israel?", None),
        (
            "On which website did the piece warning about troops in Gaza appear?",
            MetadataField.PUBLISHER,
        ),
        ("On which website did the rally appear, according to the report?", None),
        # Authors and dates the articles report on are content, not the article's header.
        ("How much did each shortlisted author receive for the 2023 prize?", None),
        ("Who wrote the novel that won the prize?", None),
        ("When was the treaty written?", None),
        ("Who is the author of the piece on Pakistani troops in Gaza?", MetadataField.AUTHOR),
        # ... and of the article being read, in a chat scoped to it
        ("Who wrote it?", MetadataField.AUTHOR),
        ("When was this published?", MetadataField.DATE),
        ("What is the publication date?", MetadataField.DATE),
        ("Who is the author of the treaty?", None),
        ("Who edited ThePrint's report on Hamas commanders?", MetadataField.EDITOR),
        ("Who was the editor of the article about Hamas in Pakistan?", MetadataField.EDITOR),
        ("Who is the editor of Dawn?", None),
    ],
)
def test_metadata_questions_are_told_from_questions_about_the_content(
    question: str, field: MetadataField | None
) -> None:
    assert analyse(question, EntityFinder()).metadata_field is field


def test_source_attributions_and_nationalities_are_not_names_to_find() -> None:
    finder = EntityFinder()
    attributed = analyse("According to NewsX, why would Pakistan not use the TTP?", finder)
    assert "NewsX" not in {c.text for c in attributed.constraints}
    nationality = analyse("What rank of American general will Trump appoint?", finder)
    assert not any(c.is_name and c.text == "American" for c in nationality.constraints)
    assert analyse("Which news outlet did Azar speak to?", finder).metadata_field is None
    assert (
        analyse("Which outlet published the article?", finder).metadata_field
        is MetadataField.PUBLISHER
    )


@pytest.mark.parametrize(
    "question",
    [
        "What did Osama bin Laden say about the International Space Station?",
        "What did Reuven Azar say about cricket?",
        "Who is Zorblax Quentaro?",
        "What did Elon Musk say about the ISF?",
    ],
)
def test_a_refusal_never_names_as_missing_what_the_corpus_contains(
    answerer: Answerer, question: str
) -> None:
    """Class 3: "the articles don't mention X" is checked against every article."""
    result = answerer.answer(question)
    if result.refusal_reason == "unmentioned":
        named = re.findall(r"\w+", normalize(result.answer.split(" mentions ", 1)[1].split(",")[0]))
        assert not all(word in corpus_text() for word in named), result.answer


def test_a_name_absent_from_the_corpus_is_reported_as_such(answerer: Answerer) -> None:
    result = answerer.answer("What did Zorblax Quentaro say about Gaza?")
    assert result.refused and result.refusal_reason == "unmentioned"
    assert "Zorblax" in result.answer


@pytest.mark.parametrize(
    "question",
    [
        "How many Pakistani soldiers died in Gaza?",
        "How much did the Gaza reconstruction cost?",
        "How many rockets did Hamas fire at India?",
    ],
)
def test_figures_of_other_things_do_not_answer_how_many(answerer: Answerer, question: str) -> None:
    """Class 4: an adjacent fact (a number of something else) is not an answer."""
    assert answerer.answer(question).refused


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # "Yet, it sheltered Osama bin Laden ...": "it" is Pakistan, named two sentences before.
        (
            "Whom did Pakistan shelter for years despite its alliance with the US?",
            "Osama bin Laden",
        ),
        ("Who is Israel's ambassador to India?", "Reuven Azar"),
    ],
)
def test_plainly_answered_questions_are_answered(
    answerer: Answerer, question: str, fact: str
) -> None:
    """Class 5: no false refusal where a sentence names the answer."""
    result = answerer.answer(question)
    assert not result.refused, result.answer
    assert fact in result.answer


def test_metadata_questions_are_answered_from_the_header(answerer: Answerer) -> None:
    """Class 6: the publisher is stated in the article's title line; it is cited there."""
    result = answerer.answer(
        "Which outlet published the article 'Pakistan uses Hamas to wriggle out of Trump's Gaza "
        "peacekeeping force'?"
    )
    assert not result.refused, result.answer
    assert result.short_answer is not None and result.short_answer.text == "Firstpost"
    assert result.citations[0].start == 0  # the first line of the file


def test_an_editor_credited_at_the_foot_of_a_page_is_metadata(answerer: Answerer) -> None:
    """Class 6: ThePrint closes its story with "(Edited by Theres Sudeep)": asked who edited
    it, that line is the answer, cited where it stands; an outlet named with a possessive
    ("ThePrint's 9 January 2026 report") attributes the piece and is no name to find in it."""
    result = answerer.answer(
        "Who edited ThePrint's 9 January 2026 report on what Hamas commanders are doing in Pakistan?"
    )
    assert not result.refused, result.answer
    assert result.short_answer is not None and result.short_answer.text == "Theres Sudeep"
    assert result.citations[0].quote == "(Edited by Theres Sudeep)"
    assert result.citations[0].source == "003_5cc5cd6bd2872c20.txt"
    other = answerer.answer("Who edited the Firstpost explainer on Pakistan and the Gaza force?")
    assert other.refused and other.refusal_reason == "metadata_missing"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        # The article is described, not titled: most of its title's words name it.
        (
            "Which site ran the explainer on how Pakistan used Hamas to dodge Trump's Gaza force?",
            "Firstpost",
        ),
        (
            "What date is shown on the article about what Hamas commanders are doing in Pakistan?",
            "January 9, 2026",
        ),
        # Named by its publisher only.
        ("Who published the Gatestone piece about Pakistani troops?", "gatestoneinstitute.org"),
    ],
)
def test_metadata_of_an_article_named_by_description_or_publisher(
    answerer: Answerer, question: str, value: str
) -> None:
    result = answerer.answer(question)
    assert not result.refused, result.answer
    assert result.short_answer is not None and value in result.short_answer.text


@pytest.mark.parametrize(
    ("question", "precision"),
    [
        ("On what date did the Senate host Qaddoumi?", "date"),
        ("What was the exact date of Zaheer's speech in Peshawar?", "date"),
        ("In which year did Hamas open an office?", "year"),
        ("What month was the conference held?", "month"),
        ("When did Zaheer speak?", ""),
        ("What day-to-day work does the ISI do?", ""),
    ],
)
def test_question_analysis_knows_how_precise_a_date_is_asked_for(
    question: str, precision: str
) -> None:
    assert analyse(question, EntityFinder()).date_precision == precision


def test_a_date_less_precise_than_asked_is_no_answer(answerer: Answerer) -> None:
    """Class 1: 'on what date' wants a day; 'October 2023' is about the right time only."""
    result = answerer.answer("What was the exact date of Zaheer's speech at the Peshawar rally?")
    assert not result.refused, result.answer
    assert result.short_answer is not None
    assert "October 14" in result.short_answer.text
    # The articles give months for this ("since October 2023"): enough for "when", not for
    # "on what date".
    assert not answerer.answer("When did Qaddoumi start travelling across Pakistan?").refused


@pytest.mark.xfail(
    strict=True,
    reason="known regression: read under its headline, a near miss with another date "
    "(Qaddoumi at a February 5, 2025 event) rises to 0.31, just over the 0.30 threshold",
)
def test_a_day_asked_for_is_not_answered_by_another_day_of_the_same_person(
    answerer: Answerer,
) -> None:
    vague = answerer.answer("On what date did Qaddoumi start travelling across Pakistan?")
    assert vague.refused, vague.answer


def test_a_name_the_tagger_misses_still_answers_who(answerer: Answerer) -> None:
    """Class 5: "Mashal virtually attended the meet" names him, though the small NER model
    tags nothing there; the article calls him "Khaled Mashal" mid-sentence elsewhere, which
    is the name the short answer gives."""
    result = answerer.answer("Who attended the Peshawar meet virtually?")
    assert not result.refused, result.answer
    assert result.short_answer is not None and result.short_answer.text == "Khaled Mashal"
    assert any(re.search(r"Mashal\b.{0,40}\bvirtually", c.quote) for c in result.citations)


def test_a_sentence_opener_is_not_taken_for_a_name() -> None:
    names = names_inside("The rally drew thousands, and Mashal spoke by video link.")
    assert names == {"Mashal"}
    opener = "Thousands attended the rally in the city."
    assert unlabelled_names(opener, [], names) == []
    assert unlabelled_names("“Thousands came,” he said.", [], names) == []
    found = unlabelled_names("Mashal attended the rally.", [], names)
    assert [(e.text, e.label, e.start, e.end) for e in found] == [("Mashal", "NAME", 0, 6)]


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many troops will Indonesia send?", "troops"),
        ("Is the PML-N one of how many major mainstream parties in Pakistan?", "parties"),
        ("How many times will they have met by March?", "times"),
        ("How many of the hostages were freed?", "hostages"),
        ("How many people died?", "people"),
        ("How many US troops are in Iraq?", "troops"),
    ],
)
def test_how_many_knows_what_is_counted(question: str, noun: str) -> None:
    assert analyse(question, EntityFinder()).counted == noun


def test_how_many_times_is_answered_by_an_ordinal() -> None:
    analysis = analyse("How many times did the two leaders meet this year?", EntityFinder())
    text = "The talks were their third in six months, with 40 aides present."
    third = Entity("third", "ORDINAL", 21, 26)
    aides = Entity("40", "CARDINAL", 50, 52)
    assert [f.text for f in fillers_of(analysis, text, [third, aides])] == ["third"]


def test_an_acronym_and_its_name_are_one_name() -> None:
    """A who-answer must name someone the question does not: "ISI" is the question's own
    "Inter-Services Intelligence", so it cannot be the answer to who heads it."""
    question = "Who is the current head of Pakistan's Inter-Services Intelligence?"
    assert same_initials("ISI", question)
    assert same_initials("Inter-Services Intelligence", "Who heads the ISI?")
    assert not same_initials("Asim Munir", question)
    assert not same_initials("UN", question)


def test_the_article_a_metadata_question_names_is_the_one_answered(answerer: Answerer) -> None:
    """Class 6: the author of the article named by its title, from the bio line it closes with,
    even when another article matches the question's other words better."""
    result = answerer.answer("Who wrote the article 'Hamas Expands Reach Into Pakistan'?")
    assert not result.refused, result.answer
    assert result.short_answer is not None
    assert result.short_answer.text == "Anna Mahjar-Barducci"
    assert result.citations[0].source.startswith("004_")


def test_a_bio_sentence_inside_the_body_is_not_a_byline() -> None:
    body = "x" * 400
    closing = f"Title\n\n{body}\n\nJane Roe is a senior fellow at the Example Institute.\n"
    inside = f"Title\n\nJohn Doe is a senator of the Example Party.\n\n{body}\n"
    assert _author_bio(closing) is not None
    start, end, name_start, name_end = _author_bio(closing)
    assert closing[name_start:name_end] == "Jane Roe"
    assert closing[start:end].endswith("Institute.")
    assert _author_bio(inside) is None
    not_a_name = f"Title\n\n{body}\n\nThe Prime Minister is a member of the Example Assembly.\n"
    assert _author_bio(not_a_name) is None


def test_short_answers_are_exact_spans_inside_their_quotes(answerer: Answerer) -> None:
    for question in [
        "Who is Israel's ambassador to India?",
        "Which Hamas official did the Pakistani Senate host in January?",
        "Where was the Lashkar-e-Taiba event that Naji Zaheer attended as chief guest?",
    ]:
        result = answerer.answer(question)
        short = result.short_answer
        assert short is not None, question
        cited = next(c for c in result.citations if c.n == short.n)
        text = (CORPUS / short.source).read_text(encoding="utf-8")
        assert text[short.start : short.end] == short.text
        assert cited.start <= short.start < short.end <= cited.end
        assert result.answer.startswith(short.text)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The tagger ends the party's name inside its bracket: the short answer closes it.
        (
            "Which party does Senator Mushahid Hussain belong to?",
            "the Pakistan Muslim League (Nawaz)",
        ),
        # An outlet is a body: the outlet the ambassador spoke to, not the country beside it.
        ("Which news outlet did Reuven Azar speak to?", "NDTV"),
    ],
)
def test_a_short_answer_is_the_whole_name_of_the_asked_kind(
    answerer: Answerer, question: str, expected: str
) -> None:
    short = answerer.answer(question).short_answer
    assert short is not None and short.text == expected


@pytest.mark.parametrize(
    ("span", "closed"),
    [
        ("the League (Nawaz", "the League (Nawaz)"),  # the ")" right after it is taken in
        ("the League (Nawaz party", "the League"),  # no ")" follows: cut before the "("
        ("A (B (C", "A"),  # nested: cut before the first bracket left open
        ("A (B) (C x", "A (B)"),
        ("(Nawaz", "(Nawaz"),  # nothing before the bracket: left as it is
    ],
)
def test_a_short_answer_never_ends_inside_a_bracket(span: str, closed: str) -> None:
    from corpusqa.answer.compose import _balanced

    text = f"{span}) and more" if span == "the League (Nawaz" else f"{span} and more"
    start, end = _balanced(text, 0, len(span))
    assert text[start:end] == closed


def _candidate(text: str, source: str, vector: list[float]) -> Candidate:
    import numpy as np

    sentence = Sentence(source, "", 0, len(text), text, 0, vector=np.array(vector))
    figures = [
        Entity(m.group(0), "CARDINAL", m.start(), m.end()) for m in re.finditer(r"\d+", text)
    ]
    return Candidate(sentence, fillers=figures)


def test_different_figures_are_never_reported_as_the_same_fact() -> None:
    """Class 7: 1001 and 1002 of one thing are two facts, however similar the sentences."""
    analysis = analyse("How many fighters were trained?", EntityFinder())
    first = _candidate("The group trained 1001 fighters in the camps.", "a.txt", [1.0, 0.0])
    second = _candidate("The group trained 1002 fighters in the camps.", "b.txt", [1.0, 0.0])
    same = _candidate("Officials said 1001 fighters were trained.", "c.txt", [1.0, 0.0])
    assert not _agree(first, second, analysis)
    assert _agree(first, same, analysis)


def test_confidence_model_file_is_the_default_and_says_what_it_was_fit_on(
    answerer: Answerer,
) -> None:
    model = answerer.confidence
    assert Path(answerer.settings.confidence_model).name == "confidence.json"
    assert 0 < model.threshold < 1 and model.fitted_on.get("questions", 0) > 100
    result = answerer.answer("Who is Israel's ambassador to India?")
    assert result.confidence is not None and result.confidence >= model.threshold


def test_a_plan_does_not_answer_what_happened(answerer: Answerer) -> None:
    """Class 4: "Trump is slated to pick a general" does not say whom he picked; asked what
    will happen, the same sentence is about the question's time again."""
    asked = "Which general did Trump name to head the Gaza Stabilisation Force?"
    analysis, ranked = answerer.analysed(asked)
    plan = next(c for c in ranked if "slated to pick" in c.sentence.text)
    assert analysis.asks_what_happened and plan.only_planned and not plan.satisfies_constraints
    assert answerer.answer(asked).refused
    future, ranked = answerer.analysed("Who will Trump pick to head the Gaza Stabilisation Force?")
    assert not future.asks_what_happened
    assert not next(c for c in ranked if "slated to pick" in c.sentence.text).only_planned


@pytest.mark.parametrize(
    ("sentence", "prospective"),
    [
        ("Munir is slated to travel to the United States, where he will meet Trump.", True),
        ("Officials said the two leaders will meet in the coming weeks.", True),
        ("Munir met Trump in June and will meet him again in the autumn.", False),
        ("He was killed in 1066, and his son will rule after him.", False),
        ("The meeting ended without a deal.", False),
        # a forecast is no more than a plan
        ("Vantrell said he expected the mine to return to full production by June.", True),
        ("The mine returned to full production in June, as he had expected.", False),
        # a plan told in the past is still only a plan
        ("Brandt was lined up to chair the merged bank's board.", True),
        ("The vote was due to take place in May.", True),
        ("The delay was due to a signal failure.", False),  # a cause, no plan
    ],
)
def test_only_a_sentence_about_the_future_is_a_plan(sentence: str, prospective: bool) -> None:
    words = EntityFinder().parsed(sentence).words
    assert only_prospective(sentence, words) is prospective


def test_a_figure_counts_the_asked_for_things_under_another_name(answerer: Answerer) -> None:
    """Class 5: "how many nations" is answered by "three countries"; "how many soldiers" is not,
    and nouns of one family (women, men) are not taken for each other."""
    nations = answerer.answer("How many nations agreed to take part in the stabilization force?")
    assert not nations.refused and nations.short_answer is not None
    assert nations.short_answer.text == "three"
    assert answerer.answer(
        "How many soldiers agreed to take part in the stabilization force?"
    ).refused
    assert answerer.scorer.same_kind("troops", ["rallies", "soldiers"])
    assert not answerer.scorer.same_kind("women", ["men", "boys"])


def test_a_lone_surname_the_tagger_takes_for_a_place_is_still_a_person(
    answerer: Answerer,
) -> None:
    """Class 1: the small model tags "hosted Qaddoumi" as a place; the article names him in full
    ("Khaled Qaddoumi") nearby, so he answers "which official" (a person only)."""
    assert (
        EntityFinder().entities("In January 2024, Pakistan's Senate hosted Qaddoumi.")[-1].label
        != "PERSON"
    )
    result = answerer.answer("Which Hamas official did the Pakistani Senate host in January?")
    assert result.short_answer is not None and "Qaddoumi" in result.short_answer.text


def test_a_quoted_slogan_is_not_a_name() -> None:
    text = "Supporters of Zaheer chanted “Naara-e-Takbeer!” as he spoke."
    assert [e.text for e in unlabelled_names(text, [], frozenset())] == ["Zaheer"]


def test_a_person_answered_by_surname_is_named_in_full(answerer: Answerer) -> None:
    """The sentence that answers says "Hussain stated ..."; the article named him in full
    earlier. The short answer is the full name, exact inside a quote of the sentence that has it."""
    result = answerer.answer(
        "Which senator praised Hamas as a democratically elected organization?"
    )
    assert not result.refused, result.answer
    assert result.short_answer is not None and result.short_answer.text == "Mushahid Hussain"
    quoted = next(c for c in result.citations if c.n == result.short_answer.n)
    assert "Mushahid Hussain" in quoted.quote and any(
        "takes pride" in c.quote for c in result.citations
    )
    assert result.answer.startswith("Mushahid Hussain — ")


def test_a_superlative_of_the_question_must_be_met(answerer: Answerer) -> None:
    """Class 2: the article names one of the *biggest* events; asked for one of the smallest,
    it does not say (and says which word it could not meet). "Largest" is "biggest"."""
    smallest = answerer.answer("Where was one of the smallest events held?")
    assert smallest.refused and smallest.refusal_reason == "constraint_unmet"
    assert "smallest" in smallest.answer and smallest.related
    largest = answerer.answer("Where was one of the largest events held?")
    assert not largest.refused and "Rawalakot" in largest.answer


def test_an_article_that_asks_the_question_itself_is_quoted_with_its_answer() -> None:
    """Class 5: the article asks "Why not use LeT or JeM instead?" and answers in the next
    sentence, which shares few words with the question; both are quoted."""
    analysis = analyse("Why doesn't the ISI use LeT or JeM against the TTP?", EntityFinder())
    asked = Sentence("a.txt", "T", 100, 131, "Why not use LeT or JeM instead?", 0)
    answer = Sentence("a.txt", "T", 132, 210, "Those groups have strong ties to the Taliban.", 0)
    ranked = [Candidate(asked, probability=0.6), Candidate(answer, probability=0.1)]
    draft = draft_answer(analysis, ranked, [asked, answer], threshold=0.3)
    assert not draft.refused
    assert [p.sentence for p in draft.parts] == [asked, answer] and draft.confidence == 0.6
    too_unsure = draft_answer(analysis, [Candidate(asked, probability=0.2)], [asked, answer], 0.3)
    assert too_unsure.refused


def test_a_negated_why_question_is_answered_by_a_reason_that_negates_nothing() -> None:
    """ "Which group did not ..." needs a sentence that negates; "why would they not ..." is
    answered by a reason, which need not."""
    finder = EntityFinder()
    scorer = CandidateScorer(WordHashEmbedder(), finder)
    reason = "Those groups have strong ties to the Taliban."
    for question, misses in (
        ("Why would Pakistan not use LeT against the TTP?", False),
        ("Which group did not turn against the TTP?", True),
    ):
        analysis = analyse(question, finder)
        sentence = Sentence("a.txt", "T", 0, len(reason), reason, 0)
        vector = WordHashEmbedder().embed([question])[0]
        (candidate,) = scorer.candidates(analysis, vector, [sentence])
        assert analysis.negated and candidate.misses_negation is misses


def test_a_small_corpus_has_its_sentences_embedded_and_tagged_before_questions(
    answerer: Answerer,
) -> None:
    """Warming embeds and tags every sentence of a small store (the chat does it in the
    background at start-up, eval before it times): answers are the same, only sooner."""
    question = "Who is Israel's ambassador to India?"
    before = answerer.answer(question)
    warmed = answerer.warm_sentences()
    sentences = evidence.sentences_of(list(answerer.retriever.all_passages()))
    assert warmed == len(sentences) > 100
    assert all(s.text in answerer.scorer.vectors for s in sentences)
    assert answerer.finder.parsed_of([s.text for s in sentences[:5]])[0].words
    assert answerer.answer(question).answer == before.answer
    small = answerer.settings.model_copy(update={"warm_sentences_max_chunks": 1})
    assert Answerer(small, retriever=answerer.retriever).warm_sentences() == 0


def test_an_acronym_is_met_by_the_name_it_stands_for(answerer: Answerer) -> None:
    """Class 5: the article says "the Pakistan Muslim League (Nawaz)", the question "PML-N";
    the name is there, so the sentence answers (and no refusal may say it is missing)."""
    result = answerer.answer("Which PML-N senator welcomed Qaddoumi?")
    assert not result.refused, result.answer
    assert result.short_answer is not None and result.short_answer.text == "Mushahid Hussain"
    assert spells_out("TTP", "the Tehreek-e-Taliban Pakistan (TTP)")
    assert spells_out("ISI", "Pakistan's Inter-Services Intelligence agency")
    assert not spells_out("US", "Ukraine and Syria")
    assert not spells_out("ISI", "In Syria Islamists gathered.")
    assert spells_out("WWII", "After World War II, the city")  # a numeral is spelt whole
    assert not spells_out("WWII", "After World War I, the city")


@pytest.mark.parametrize(
    ("question", "window", "word"),
    [
        (
            "When did eastern governments support Islamists?",
            "Western governments supported",
            "eastern",
        ),
        (
            "When was the takeover incomplete?",
            "The takeover was not completed until 1769",
            "incomplete",
        ),
        ("Which campaign was successful?", "The campaign was unsuccessful", "successful"),
        ("Which campaign was successful?", "One campaign was successful, one unsuccessful", ""),
        ("Which country accepted the plan?", "Israel accepted the plan", ""),
        # a negated question may say what the window's prefix says ("wasn't justified")
        ("Which refusal wasn't justified?", "The refusal was unjustified", ""),
        # "inform" is not the opposite of "form"
        ("Whom did they inform?", "They form a committee", ""),
        ("When was the poet born?", "The poet died in 1821", "born"),
        ("When was the poet born?", "After the death of the poet in 1821", "born"),
        # an opposite in any of its forms
        ("What did the edict encourage?", "by discouraging new churches", "encourage"),
        ("Who was the king's son?", "The king's daughter Anne married", "son"),
        ("What was the women's winning time?", "He won the men's race in 2:08:41", "women's"),
        ("Who won the men's race?", "Dobre won the women's race, Haddad the men's", ""),
        # an irregular past says the same verb, or its opposite
        ("What did the party lose in the election?", "In the election it won the majority", "lose"),
        ("Who lost the race?", "Dobre won the race", "lost"),
        ("Who won the race?", "Dobre won the race, Haddad lost it", ""),
        ("When did prices rise?", "Prices fell in 2009", "rise"),
        ("When did prices fall?", "Prices fell in 2009", ""),
        # a past tense asked, the present said ("supported": "rejects")
        ("Which country supported the plan?", "Israel rejects the plan", "supported"),
        ("Which country rejected the plan?", "Israel rejects the plan", ""),
        # a count of the injured or of hostages is not a count of the dead
        ("How many people were killed?", "More than 250 people were taken hostage", "killed"),
        ("How many people were killed?", "Four people were killed and 30 injured", ""),
        ("How many people were killed?", "Twelve people died and 30 were injured", ""),
        ("What is the study of small sets of proteins?", "the study of large sets", "small"),
        ("What do forces do in open systems?", "In closed systems, forces change", "open"),
        # "how large" asks for a measure, which a small size gives
        ("How large is the town?", "It is a small town of 3,000 people", ""),
    ],
)
def test_a_window_that_says_the_opposite_of_a_question_word_is_found(
    question: str, window: str, word: str
) -> None:
    negated = analyse(question, EntityFinder()).negated
    assert contradicted(claimed_words(question), set(content_words(window)), negated) == word


def test_a_sentence_that_says_the_opposite_does_not_answer(answerer: Answerer) -> None:
    """Class 4: the article says Israel *rejected* the Pakistan Army's involvement; asked who
    accepted it, that sentence is the nearest miss, not the answer."""
    accepted = "Which country accepted the involvement of the Pakistan Army in the force?"
    _, ranked = answerer.analysed(accepted)
    miss = next(c for c in ranked if "rejected the involvement" in c.sentence.text)
    assert miss.contradicts == "accepted" and not miss.satisfies_constraints
    assert not any(
        "rejected the involvement" in c.quote for c in answerer.answer(accepted).citations
    )
    rejected = answerer.answer(
        "Which country rejected the involvement of the Pakistan Army in the force?"
    )
    assert not rejected.refused and "Israel" in rejected.answer


def test_a_refusal_says_when_the_nearest_evidence_says_otherwise(answerer: Answerer) -> None:
    """Class 4: the article counts the coming meeting as the third; asked about the first,
    the refusal says that the nearest passages say otherwise about "first", and shows them."""
    result = answerer.answer("When did Munir first meet Trump?")
    assert result.refused and result.refusal_reason == "contradicted", result.answer
    assert "“first”" in result.answer
    assert any("third" in c.quote for c in result.related)


def test_how_many_is_answered_by_a_quantity_without_a_figure_and_when_by_an_event() -> None:
    finder = EntityFinder()
    how_many = analyse("How many rallies did the party hold in Karachi?", finder)
    text = "The party held several rallies in Karachi and many meetings."
    found = fillers_of(how_many, text, finder.entities(text))
    assert [f.text for f in found] == ["several"]  # "many meetings" counts meetings
    when = analyse("When was the old city razed?", finder)
    text = "During the Second World War, the old city was razed by bombing raids."
    assert "the Second World War" in [f.text for f in fillers_of(when, text, finder.entities(text))]


def test_a_figure_answers_in_the_unit_asked_for_and_a_duration_is_no_date() -> None:
    finder = EntityFinder()
    money = analyse("How much prize money did the winner collect?", finder)
    text = "She claimed her second title in three years, and 64 euros went to charity."
    assert [f.text for f in fillers_of(money, text, finder.entities(text))] == ["64"]
    assert [f.text for f in fillers_of(money, "It paid USD 40,000.", [])] == ["40,000"]
    share = analyse("What share of members voted for the merger?", finder)
    text = "Two-thirds of the 1,150 members backed it."
    found = [f.text for f in fillers_of(share, text, finder.entities(text))]
    assert "1,150" not in found and any("Two-thirds" in f for f in found)
    # A duration is no time; "last year" is one; "the coming fiscal year" says no more than
    # the question's "new fiscal year".
    when = analyse("When did the plant close?", finder)
    for text, time in (
        ("It closed for the first time in six years.", None),
        ("The plant closed last year.", "last year"),
    ):
        assert [f.text for f in fillers_of(when, text, finder.entities(text))] == (
            [time] if time else []
        )
    begins = analyse("When does the new fiscal year begin?", finder)
    text = "Taxes rise in the coming fiscal year."
    assert fillers_of(begins, text, finder.entities(text)) == []


def test_a_hyphenated_name_meets_the_question_constraint(
    answerer: Answerer,
) -> None:
    """Class 5: "Lashkar-e-Taiba" is one token of the text and several words of the question's
    name: each of them is met."""
    _, ranked = answerer.analysed("Which groups did the ISI nurture, such as Lashkar-e-Taiba?")
    nurtured = next(c for c in ranked if "helped nurture" in c.sentence.text)
    assert not nurtured.unmet and nurtured.satisfies_constraints


@pytest.mark.parametrize(
    ("name", "word", "same"),
    [
        ("iran", "iranian", True),
        ("china", "chinese", True),
        ("iraq", "iraqi", True),
        ("italy", "italian", True),
        ("chinese", "china", True),
        ("iran", "iraqi", False),
        ("japan", "javanese", False),
    ],
)
def test_a_place_and_its_people_are_one_name(name: str, word: str, same: bool) -> None:
    """Class 3: a refusal must not say "the articles don't mention Iran" of articles that say
    "Iranian", nor may a passage about the Chinese be "about somewhere else" than China."""
    assert evidence.has_close_word(name, frozenset({word})) is same


def test_a_common_noun_opening_a_sentence_is_not_a_name() -> None:
    """ "Intelligence reports show ..." opens with a common noun, though the evidence also writes
    "Inter-Services Intelligence": the tagger's reading decides, not the capital letter."""
    finder = EntityFinder()
    names = {"Intelligence", "Mashal"}
    noun = "Intelligence reports show the agency took them to Dhaka."
    words = finder.parsed_of([noun])[0].words
    assert [e.text for e in unlabelled_names(noun, [], names, words)] == ["Dhaka"]
    name = "Mashal attended the rally by video link."
    words = finder.parsed_of([name])[0].words
    assert [e.text for e in unlabelled_names(name, [], names, words)] == ["Mashal"]


def test_a_place_the_tagger_takes_for_a_person_still_answers_where() -> None:
    """ "the town of Rawalakot": the small model tags the town PERSON; the text says it is a place."""
    analysis = analyse("In which town was the solidarity conference held?", EntityFinder())
    text = "The biggest event was held in the town of Rawalakot, near the border."
    town = Entity("Rawalakot", "PERSON", text.index("Rawalakot"), text.index("Rawalakot") + 9)
    assert [f.text for f in fillers_of(analysis, text, [town])] == ["Rawalakot"]
    person = "The event was opened by Rawalakot, near the border."
    at = person.index("Rawalakot")
    assert fillers_of(analysis, person, [Entity("Rawalakot", "PERSON", at, at + 9)]) == []


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("Which three countries agreed to send troops?", True),
        ("Name two of the Hamas leaders at the rally.", True),
        ("What two-star general will lead the force?", False),
        ("Which country agreed to send troops?", False),
    ],
)
def test_question_analysis_knows_when_several_are_asked_for(question: str, several: bool) -> None:
    assert analyse(question, EntityFinder()).asks_for_several is several


def test_a_question_for_several_names_is_not_answered_by_one(answerer: Answerer) -> None:
    """ "Three countries have agreed to Washington's request to participate in a postwar Gaza
    'International Stabilization Force' (ISF)": the countries are not named, and the force and
    its acronym are one name, not two."""
    result = answerer.answer(
        "Which three countries said yes to Washington's request to join the stabilisation force?"
    )
    assert result.refused, result.answer
    both = answerer.answer(
        "Which two Hamas leaders joined Qaddoumi and Zaheer on Kashmir Solidarity Day?"
    )
    assert not both.refused and "Mufti Azam" in both.answer and "Al Sallat" in both.answer


def test_he_or_she_is_named_from_the_sentence_before(answerer: Answerer) -> None:
    """ "He further declared that Pakistan had been the first Muslim country to donate ...": the
    sentence before names him, and the short answer is that name, exact inside its quote."""
    result = answerer.answer(
        "Who said Pakistan was the first Muslim nation to donate to the Hamas government?"
    )
    assert not result.refused, result.answer
    assert result.short_answer is not None and result.short_answer.text == "Mushahid Hussain"
    quoted = next(c for c in result.citations if c.n == result.short_answer.n)
    assert "Mushahid Hussain" in quoted.quote
    assert any(c.quote.startswith("He further declared") for c in result.citations)


def test_the_referent_of_he_is_found_in_the_same_article_before_it() -> None:
    """The person a "he" stands for is the first person named in the nearest sentence before it
    in the same article; a sentence that does not open with "he"/"she" has none."""
    first = Sentence("a.txt", "T", 0, 40, "Senator Mushahid Hussain met the envoy.", 0)
    second = Sentence("a.txt", "T", 41, 80, "He praised Hamas as elected.", 0)
    elsewhere = Sentence("b.txt", "T", 0, 30, "Ishaq Dar spoke.", 0)
    finder = EntityFinder()
    found = referent_before(second, [elsewhere, first, second], finder.entities_of)
    assert found is not None and found[0] is first and found[1].text == "Mushahid Hussain"
    assert referent_before(first, [first, second], finder.entities_of) is None


def test_a_quotation_going_on_is_the_speakers(answerer: Answerer) -> None:
    """ "Mahesh Jethmalani added, “So much for ... in Gaza. Turns out the boots didn't go
    anywhere – the terrorists came to Pakistan instead.": the second sentence is his too."""
    result = answerer.answer("Which lawyer said the terrorists came to Pakistan instead?")
    assert not result.refused, result.answer
    assert result.short_answer is not None and result.short_answer.text == "Mahesh Jethmalani"
    assert any("Turns out" in c.quote for c in result.citations)


def test_only_an_unclosed_quotation_right_before_names_the_speaker() -> None:
    finder = EntityFinder()
    opened = Sentence("a.txt", "T", 0, 44, "Mahesh Jethmalani added, “So much for talk.", 0)
    going_on = Sentence("a.txt", "T", 45, 75, "Turns out nobody went anywhere.", 0)
    found = referent_before(going_on, [opened, going_on], finder.entities_of)
    assert found is not None and found[1].text == "Mahesh Jethmalani"
    closed = Sentence("a.txt", "T", 0, 45, "Mahesh Jethmalani added, “So much for talk.”", 0)
    going_on = Sentence("a.txt", "T", 46, 76, "Turns out nobody went anywhere.", 0)
    assert referent_before(going_on, [closed, going_on], finder.entities_of) is None


@pytest.mark.parametrize(
    ("question", "sentence", "ordinal"),
    [
        ("Who was Genghis's 4th son?", "Under Genghis' third son, Ogedei, they took Jin.", "4th"),
        (
            "Which committees sit in the fifth Session?",
            "In the fourth Session they are: A, B.",
            "fifth",
        ),
        ("Who was the first president?", "He was the first president and second governor.", ""),
        ("Who won the 2nd round?", "She won the second round easily.", ""),
        ("Who came first?", "He came second.", ""),  # no noun to compare
        ("What was the first-quarter profit?", "It reported its second-quarter profit.", "first"),
    ],
)
def test_another_ordinal_of_the_same_thing_is_not_the_one_asked(
    question: str, sentence: str, ordinal: str
) -> None:
    """An ordinal is not required (the evidence often implies it), but a sentence that gives the
    same thing another one ("third son" for "4th son") is about another of them."""
    assert other_ordinal(question, sentence) == ordinal


@pytest.mark.parametrize(
    ("question", "sentence", "negates"),
    [
        # a negation elsewhere in the sentence does not negate the question's verb
        (
            "Who could not recover the money it paid?",
            "As no restrictions could be placed on trade, the firm could recover the money.",
            False,
        ),
        ("Who could not recover the money?", "The firm could never recover the money.", True),
        ("Which country did not donate?", "Iran refused to donate any money.", True),
        ("Who did not attend?", "Everyone attended except Ali.", True),
        ("What did the court not recognise?", "All states recognise that the law is first.", False),
        # "is not our responsibility" negates no verb: a negation anywhere will do
        ("Who said arming them is not his job?", "Dar said arming them is not our job.", True),
        # the verb is not there: a negation anywhere will do, as before
        ("Which country did not donate?", "Iran gave nothing.", True),
        ("Which country did not donate?", "Iran gave money.", False),
    ],
)
def test_a_negated_question_needs_its_verb_negated_where_the_sentence_has_it(
    question: str, sentence: str, negates: bool
) -> None:
    assert negates_what_is_negated(question, sentence) is negates


def test_a_sentence_with_its_own_other_year_does_not_take_the_year_of_its_context() -> None:
    """Class 2: the sentence before names the asked-for year, but the sentence itself dates
    what it says to another year: it does not meet the year. Silent about the year, it does."""
    finder = EntityFinder()
    scorer = CandidateScorer(WordHashEmbedder(), finder)
    question = "Which club hosted the envoy as a guest in April 2025?"
    analysis = analyse(question, finder)
    before = "The envoy also made a visit to Lahore in 2025."
    vector = WordHashEmbedder().embed([question])[0]
    for text, meets in (
        ("He was also a guest of the Lahore Gymkhana Club in April 2024.", False),
        ("He was also a guest of the Lahore Gymkhana Club in April.", True),
    ):
        sentence = Sentence("a.txt", "T", 50, 50 + len(text), text, 0, before, before)
        (candidate,) = scorer.candidates(analysis, vector, [sentence])
        assert ("2025" not in [c.text for c in candidate.unmet]) is meets
        assert candidate.satisfies_constraints is meets


@pytest.mark.parametrize(
    ("question", "sentence", "denied"),
    [
        (
            "Which country should be responsible for rebuilding the port?",
            "Turkey said that rebuilding the port is not its responsibility.",
            True,
        ),
        (
            "Which country should be responsible for rebuilding the port?",
            "Turkey said that rebuilding the port is its responsibility.",
            False,
        ),
        ("When was the port rebuilt?", "The port was not rebuilt until 2019.", False),
        # a question that asks for no name is no more answered by a denial
        ("What algorithm is always practical?", "An algorithm is not always practical.", True),
        # but a yes/no question is, and a reason may deny
        ("Has the port been rebuilt?", "The port has not been rebuilt.", False),
        ("Why did the port close?", "The port was not maintained after 2019.", False),
        (
            "Which agency says the port is rebuilt for trade rather than for war?",
            "According to the Port Agency, the port isn't rebuilt for war.",
            False,
        ),
    ],
)
def test_a_sentence_denying_what_a_plain_question_asks_is_no_answer(
    question: str, sentence: str, denied: bool
) -> None:
    """Class 4: 'X is not our responsibility', said by a country, does not name the country
    that should be responsible; 'not rebuilt until 2019' says when it was, and a question that
    itself sets something aside ('rather than for war') is answered by a sentence denying it."""
    finder = EntityFinder()
    analysis = analyse(question, finder)
    vector = WordHashEmbedder().embed([question])[0]
    candidate = Sentence("a.txt", "T", 0, len(sentence), sentence, 0)
    (scored,) = CandidateScorer(WordHashEmbedder(), finder).candidates(
        analysis, vector, [candidate]
    )
    assert scored.denies_asked is denied
    assert not denied or not scored.satisfies_constraints


def test_the_probability_reads_a_sentence_under_its_headline_and_the_ranking_alone() -> None:
    """A news story names its event in the headline and then leaves it out: "A record 264
    books were submitted" answers "how many books were entered for the 2023 prize?" under
    "Farrow takes 2023 Harbor Light Prize". The confidence model reads that similarity; the
    ranking keeps the sentence's own, and a topic title ("Prize") adds nothing."""
    finder = EntityFinder()
    scorer = CandidateScorer(WordHashEmbedder(), finder)
    question = "How many books were entered for the 2023 Harbor Light Prize?"
    analysis = analyse(question, finder)
    vector = WordHashEmbedder().embed([question])[0]
    text = "A record 264 books were submitted."
    read = {}
    for title in ("Farrow takes 2023 Harbor Light Prize with fourth novel", "Prize"):
        sentence = Sentence("a.txt", title, 80, 80 + len(text), text, 0)
        (candidate,) = scorer.candidates(analysis, vector, [sentence])
        read[title] = candidate.features
    headline, topic = read.values()
    assert headline["dense_in_story"] > headline["dense"] == topic["dense"]
    assert topic["dense_in_story"] == topic["dense"]
    model = ConfidenceModel(
        weights={"dense": 1.0}, intercept=0.0, threshold=0.5, rank_weights={"dense": 1.0}
    )
    assert model.probability(headline) > model.probability(topic)
    assert model.rank_score(headline) == model.rank_score(topic)


def _scored(question: str, text: str, title: str = "", date: str = "") -> Candidate:
    """The one candidate a sentence makes for a question (fake embedder: no model load)."""
    finder, embedder = EntityFinder(), WordHashEmbedder()
    sentence = Sentence("a.txt", title, 0, len(text), text, 0, date=date)
    scorer = CandidateScorer(embedder, finder)
    return scorer.candidates(analyse(question, finder), embedder.embed([question])[0], [sentence])[
        0
    ]


@pytest.mark.parametrize(
    ("text", "date", "met"),
    [
        ("A record 11,400 runners finished the race on Sunday.", "April 15, 2024", True),
        ("A record 11,400 runners finished the race on Sunday.", "April 16, 2023", False),
        # the sentence's own year is the year of what it says, whatever the story's date
        ("In 2023, about 9,800 runners finished the race.", "April 15, 2024", False),
        ("A record 11,400 runners finished the race on Sunday.", "", False),
        # a year in an aside or a comparison dates the aside, not the sentence
        ("A record 11,400 runners finished, up from 9,800 in 2023.", "April 15, 2024", True),
        ("The race, which began in 1981, had 11,400 finishers.", "April 15, 2024", True),
        ("The 11,400 finishers beat the record set in 2023.", "April 15, 2024", False),
        ("From 2019 to 2023, about 9,800 runners finished each year.", "April 15, 2024", False),
    ],
)
def test_a_storys_date_is_the_year_of_what_it_tells(text: str, date: str, met: bool) -> None:
    """Class 2: "How many runners finished in 2024?" is answered by a story dated April 2024
    that says "11,400 runners finished", not by the same sentence in a story of 2023."""
    candidate = _scored("How many runners finished the 2024 marathon?", text, date=date)
    assert candidate.satisfies_constraints is met


def test_an_ordinal_in_the_headline_sets_what_a_sentence_counts() -> None:
    """Class 2: under "returns to growth in third quarter", "Net profit was $241 million" is
    third-quarter profit, not the first quarter's."""
    title = "Nordvik returns to growth in third quarter on car chip demand"
    text = "Net profit was $241 million, compared with $236 million a year earlier."
    assert _scored(
        "What net profit did Nordvik report in the first quarter?", text, title
    ).contradicts
    assert not _scored(
        "What net profit did Nordvik report in the third quarter?", text, title
    ).contradicts
    # the sentence's own ordinal wins over its headline's
    own = "Second-quarter net profit was $203 million."
    assert _scored("What was the second-quarter net profit?", own, title).contradicts == ""


def test_declining_to_give_a_figure_does_not_give_it() -> None:
    """Class 4: "declined to give a revenue forecast" is no forecast; sales that "declined to
    300 vehicles" were still sold."""
    text = 'The company declined to give a revenue forecast, citing "unusual uncertainty".'
    assert _scored("What revenue did the company forecast?", text).denies_asked
    fell = "Nordvik's vehicle sales declined to 300 vehicles in March."
    assert not _scored("How many vehicles did Nordvik sell in March?", fell).denies_asked


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("Mirela Dobre won the women's race in 2:31:18 on a hot morning.", "2:31:18"),
        ("She won the 100 metres in 10.61 seconds.", "10.61 seconds"),
        # a margin is not a finishing time, nor is the race's distance
        ("She finished more than two minutes ahead of the champion after 30 kilometres.", None),
    ],
)
def test_a_winning_time_is_answered_only_by_a_time_on_the_clock(
    text: str, time: str | None
) -> None:
    """Class 1: "What was her winning time?" is not answered by "two minutes ahead"."""
    finder = EntityFinder()
    asked = analyse("What was the women's winning time?", finder)
    assert [f.text for f in fillers_of(asked, text, finder.entities(text))] == (
        [time] if time else []
    )


@pytest.mark.parametrize(
    ("question", "text", "lacks"),
    [
        # the mayor is named, the budget director asked about is not
        (
            "Who is Dunmore's budget director?",
            "Dunmore Mayor Celia Brandt on Wednesday presented a $412 million budget.",
            True,
        ),
        (
            "Who was named runner-up for the 2023 Harbor Light Prize?",
            "Gideon Farrow has won the 2023 Harbor Light Prize for his fourth novel.",
            True,
        ),
        # the role said another way still names it
        (
            "Who is the Israeli envoy to India?",
            "Israel's ambassador to India Reuven Azar said so on Monday.",
            False,
        ),
        ("Who won the race?", "Lukas Brenner won the men's race in 2:08:41.", False),
        # a verb names the role too; a word that begins like it does not
        ("Who is the director of Oppenheimer?", "Oppenheimer was directed by Nolan.", False),
        ("Who was the winner of the prize?", "The judges praised Lisa Wong's novel.", True),
        # the role of another place or body is a near miss; the same owner said another way
        # is not
        (
            "Who is the prime minister of Kashmir?",
            "Pakistan Prime Minister Shehbaz Sharif spoke in Muzaffarabad.",
            True,
        ),
        (
            "Who is the prime minister of Pakistan?",
            "Pakistani Prime Minister Shehbaz Sharif spoke in Muzaffarabad.",
            False,
        ),
        (
            "Who is Pakistan's foreign minister?",
            "Pakistan's Foreign Minister Ishaq Dar spoke in Lahore.",
            False,
        ),
        (
            "Who is the CEO of Nordvik?",
            "Microsoft chief executive Satya Nadella said on Monday that sales rose.",
            True,
        ),
        (
            "Who is the CEO of Nordvik?",
            "Nordvik chief executive Anna Lindahl said on Monday that sales rose.",
            False,
        ),
        (
            "Who is the UK prime minister?",
            "British Prime Minister Keir Starmer said on Monday that taxes would rise.",
            False,
        ),
    ],
)
def test_a_who_question_naming_a_role_needs_the_role_in_its_answer(
    question: str, text: str, lacks: bool
) -> None:
    """Class 4: "Who is X's budget director?" is not answered by a sentence naming the mayor."""
    candidate = _scored(question, text)
    assert candidate.lacks_role is lacks
    assert candidate.satisfies_constraints is not lacks


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Pakistani", "Pakistan", True),
        ("PoK", "Pakistan-occupied Kashmir", True),
        ("U.S.", "US", True),
        ("the United States", "U.S.", True),
        ("French", "France", True),
        ("Pakistan", "Pakistan-occupied Kashmir", False),
        ("Israel", "India", False),
        ("Nordvik", "Nordvik Energy", True),
        ("Fed", "Federal Reserve", True),
        ("British", "the United Kingdom", True),
        ("Microsoft", "Nordvik", False),
    ],
)
def test_the_owner_of_a_role_is_recognised_however_it_is_named(
    first: str, second: str, same: bool
) -> None:
    assert same_owner(first, second) is same
    assert same_owner(second, first) is same


@pytest.mark.parametrize(
    ("question", "role", "owner"),
    [
        ("Who is Pakistan's foreign minister?", "minister", "Pakistan"),
        (
            "Who is the prime minister of Pakistan-occupied Kashmir?",
            "minister",
            "Pakistan-occupied Kashmir",
        ),
        ("Who is the CEO of Nordvik Energy?", "ceo", "Nordvik Energy"),
        ("Who is the director?", "director", ""),
    ],
)
def test_the_owner_of_the_asked_role_is_read_from_the_question(
    question: str, role: str, owner: str
) -> None:
    assert asked_owner(question, role) == owner


def test_a_qualifier_is_met_by_its_possessive() -> None:
    """Class 2: "the men's race" meets the qualifier "men" that "Who won the men's race?" sets;
    "the women's race" does not."""
    asked = "Who won the men's race?"
    men = _scored(asked, "The men's race was won by Samir Haddad, who ran alone.")
    women = _scored(asked, "The women's race was won by Mirela Dobre on Sunday.")
    assert not men.unmet and men.satisfies_constraints
    assert not women.satisfies_constraints


@pytest.mark.parametrize(
    ("question", "text", "no_words"),
    [
        (
            "What did the mayor say in her speech to the council?",
            "As Mayor Celia Brandt addressed the council, protesters gathered outside.",
            True,
        ),
        (
            "What did the mayor say in her speech to the council?",
            "Mayor Celia Brandt told the council that the budget would be cut.",
            False,
        ),
        (
            "What did the mayor say in her speech to the council?",
            "Mayor Celia Brandt: “We will cut the budget.”",
            False,
        ),
        # not a question about words: no report of speech is needed
        ("What did the mayor cut?", "Mayor Celia Brandt cut the parks budget.", False),
        # the same for what was agreed, decided, promised or demanded
        (
            "What did the two leaders agree on when they met?",
            "The two leaders met in Washington on Friday.",
            True,
        ),
        (
            "What did the two leaders agree on when they met?",
            "The two leaders signed a trade deal in Washington on Friday.",
            False,
        ),
        ("What did the council decide?", "The council met for four hours.", True),
        ("What did the council decide?", "The council voted to close the library.", False),
        ("What did the president promise?", "He pledged to improve relations.", False),
        ("What did the union call for?", "The union held a rally.", True),
        ("What did the minister say?", "‘We want peace,’ the minister stressed.", False),
        # what was announced is told by what was done: no verb of saying is needed
        ("What did Apple announce on Monday?", "Apple unveiled a new phone on Monday.", False),
    ],
)
def test_a_question_about_what_was_said_needs_a_report_of_words(
    question: str, text: str, no_words: bool
) -> None:
    """Class 4: "What did X say in the speech?" is not answered by "As X addressed the
    assembly, ...": that says X spoke, not what X said."""
    candidate = _scored(question, text)
    assert candidate.lacks_asked_act is no_words
    assert not no_words or not candidate.satisfies_constraints


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Pakistan", True),
        ("the United States", True),
        ("U.S.", True),
        ("Bosnia and Herzegovina", True),
        ("Dhaka", False),
        ("Gujranwala", False),
        ("Turkey", True),
        ("Myanmar", True),
        ("Singapore", False),  # a city as well
    ],
)
def test_country_names_are_known(name: str, country: bool) -> None:
    assert is_a_country(name) is country


def test_a_city_question_is_not_answered_by_a_country_or_a_region() -> None:
    """Class 1: "Which city ...?" asks for a place inside a country: "Pakistan" and "South
    Asia" are not fillers, "Peshawar" is."""
    text = "The envoy toured South Asia, visiting Pakistan, where he spoke in Peshawar."
    fillers = [f.text for f in _scored("Which city did the envoy speak in?", text).fillers]
    assert fillers == ["Peshawar"]
    country = _scored("Which country did the envoy visit?", text).fillers
    assert "Pakistan" in [f.text for f in country]


REGATTA_STORY = """Lindqvist takes Kelso Regatta sculls title in a strong crosswind

www.rivergazette.example
By Hal Morrow | June 14, 2025

Anna Lindqvist won the women's single sculls at the Kelso Regatta in Marlow on Saturday, holding off a late charge from the defending champion in a strong crosswind.

Lindqvist, 27, trailed by half a length at the halfway mark but moved through in the last 500 metres, where the course turns out of the wind. She said afterwards that she had trained on the reach all spring and knew where the water would flatten.

The defending champion, Clara Boateng, finished second, a little over a second behind, and said the crosswind had pushed her towards the bank in the opening minutes. Third place went to the junior world medallist Ines Duarte, who had been the fastest qualifier on Friday.

Officials delayed the first heats by forty minutes in the morning while the wind eased, and two crews capsized in the warm-up area without injury. The stewards said the timetable had been rearranged so that every final could still be rowed before dark.

Spectator numbers were the highest the organisers had recorded, helped by a new footbridge that opened the far bank to the public for the first time. Food stalls ran out of supplies by mid-afternoon, and the organisers promised more for next year.

Several coaches praised the new starting pontoons, which were installed over the winter after complaints about uneven starts in previous years. The pontoons hold each boat in place until the signal, removing the need for volunteers to lie on the staging.

The men's single sculls was won by Tomas Ferreira, who led from the start and finished two lengths clear of the field.

Organisers said entries had risen for a third year running.
"""


def test_the_place_a_story_names_in_its_first_sentence_is_the_setting_of_the_rest(
    fake_scratch_settings: Settings,
) -> None:
    """Class 2 without a false refusal: a news story names the place once, in its first
    sentence; a later sentence answers a question that names that place."""
    (fake_scratch_settings.corpus_dir / "kelso_regatta.txt").write_text(REGATTA_STORY)
    ingest(fake_scratch_settings)
    answerer = Answerer(fake_scratch_settings)
    asked_here = answerer.answer("Who won the men's single sculls at the Kelso Regatta in Marlow?")
    assert not asked_here.refused and asked_here.short_answer is not None
    assert asked_here.short_answer.text == "Tomas Ferreira"
    asked_elsewhere = answerer.answer(
        "Who won the men's single sculls at the Kelso Regatta in Henley?"
    )
    assert "Tomas Ferreira" not in asked_elsewhere.answer


def test_a_story_s_lede_is_its_first_prose_sentence() -> None:
    assert evidence.lede_of(REGATTA_STORY).startswith("Anna Lindqvist won the women's single")
    assert evidence.lede_of(REGATTA_STORY).endswith("in a strong crosswind.")
    assert evidence.lede_of("Short title\n\nshort line\n") == ""


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        ("What did Article 20 require?", "The terms required in Article 12 that", "Article 20"),
        ("When did Apollo 11 land?", "Apollo 13 was launched in April", "Apollo 11"),
        ("What did Article 66 provide?", "Article 65 banned cartels and article 66 made", ""),
        ("When did Apollo 11 land?", "Apollo 11 landed on July 20, 1969", ""),
        # dates are the date check's: "June 14" is not a numbered name
        ("What happened on June 14?", "On June 15 the bridge opened", ""),
    ],
)
def test_a_sentence_about_another_numbered_name_is_found(
    question: str, sentence: str, other: str
) -> None:
    assert other_numbered(question, sentence) == other


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        (
            "Who unified them through two consistent theories?",
            "through one consistent theory",
            "2 consistent",
        ),
        ("Which three countries signed?", "Three countries signed the pact", ""),
        ("Which two cities bid?", "Only one of the cities bid", ""),  # "one of" counts nothing
        # a count in a name is the name's: "Seven Years' War" is not seven of anything asked
        ("How long did the Seven Years War last?", "The fighting lasted nine years", ""),
    ],
)
def test_a_sentence_that_counts_the_asked_thing_otherwise_is_found(
    question: str, sentence: str, other: str
) -> None:
    assert other_count(question, sentence) == other


@pytest.mark.parametrize(
    ("question", "sentence", "unknown"),
    [
        (
            "What did the agency's review conclude about whether the embankment failed?",
            "A spokesperson said it was too early to say whether the embankment had failed.",
            True,
        ),
        (
            "What did the agency's review conclude about whether the embankment failed?",
            "The agency's review concluded that the embankment had been overtopped.",
            False,
        ),
        # a question about what was withheld is answered by the sentence saying so
        (
            "What did the club decline to disclose?",
            "The club declined to disclose the fee.",
            False,
        ),
    ],
)
def test_a_sentence_saying_the_asked_thing_is_unknown_is_no_answer(
    question: str, sentence: str, unknown: bool
) -> None:
    """Class 4: 'too early to say whether it failed', 'whose name has not been released' are
    the nearest misses of a question the articles cannot answer, not its answer."""
    scored = _scored(question, sentence)
    assert scored.says_unknown is unknown
    assert not unknown or not scored.satisfies_constraints


def test_the_name_of_someone_known_by_what_they_did_asks_for_a_person() -> None:
    for question in (
        "What was the name of the driver who died?",
        "What is the name of the night guard who was questioned?",
    ):
        analysis = analyse(question, EntityFinder())
        assert analysis.answer_type is AnswerType.PERSON
        assert analysis.filler_labels is not None and "PERSON" in analysis.filler_labels
        assert "ORG" not in analysis.filler_labels


def test_a_club_named_after_its_town_fills_which_club() -> None:
    """ "Harlan Town" is a place to the tagger and a club in the sentence; a region still does
    not answer "which institution"."""
    club = analyse("Which club did the winger leave to join Rovers?", EntityFinder())
    assert club.filler_labels is not None and "LOC" in club.filler_labels
    institution = analyse("Which institution hosted the guest?", EntityFinder())
    assert "LOC" not in (institution.filler_labels or FILLERS[institution.answer_type])
    assert _scored(
        "Which club did winger Elias Dromgoole leave to join Rovers?",
        "The most expensive was winger Elias Dromgoole, 21, who joined from Harlan Town.",
    ).fillers


def test_a_peak_is_the_highest() -> None:
    scored = _scored(
        "What was the highest water level measured at the bridge?",
        "The river gauge at the bridge recorded a peak of 5.8 metres.",
    )
    assert scored.satisfies_constraints


def test_a_business_is_not_answered_by_a_place() -> None:
    """ "Which construction firm built it?": "the market town of Oakhurst Vale" (a body to the
    small tagger) is a place, and a place is no firm; the question's own hospital, named with
    its kind word, is no new name either."""
    firm = analyse("Which construction firm built Brackenford General?", EntityFinder())
    assert firm.filler_labels is not None and "GPE" not in firm.filler_labels
    scored = _scored(
        "Which construction firm built Brackenford General?",
        "Brackenford General Hospital in the market town of Oakhurst Vale opened on Monday.",
    )
    assert not scored.fillers
    builders = _scored(
        "Which construction firm built Brackenford General?",
        "Brackenford General Hospital said the wing was built by Gresham-Tull Builders.",
    )
    assert [f.text for f in builders.fillers] == ["Gresham-Tull Builders"]


def test_a_year_asked_only_in_an_aside_of_the_sentence_dates_the_aside() -> None:
    """Class 2: "the most since the event began in 2009", in a story of 2022, tells of 2022; a
    question about 2009 is not answered by it, unless the question too asks "since 2009"."""
    sentence = "The fiesta drew a record 94,000 visitors, the most since the event began in 2009."
    year = Constraint("year", "2009")
    asked = "How many visitors came to the fiesta in 2009?"
    assert _dated_otherwise(year, sentence, "2022", asked)
    assert not _dated_otherwise(year, sentence, "2022", "How much has the crowd grown since 2009?")
    assert not _dated_otherwise(year, sentence, "", asked)  # a topic article has no story date
    assert not _dated_otherwise(year, "In 2009 the fiesta drew 40,000 visitors.", "2022", asked)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("To how much was the company's fine reduced on appeal?", AnswerType.MONEY),
        ("How much was the former director ordered to repay?", AnswerType.MONEY),
        ("How much compensation did the families receive?", AnswerType.MONEY),
        ("How much rain fell in the valley?", AnswerType.NUMBER),
    ],
)
def test_how_much_of_a_fine_or_a_repayment_asks_for_a_sum(question: str, kind: AnswerType) -> None:
    assert answer_type(question) is kind


def test_a_sum_counts_no_people_and_a_measure_of_people_counts_them() -> None:
    finder = EntityFinder()
    farms = analyse("How many farms received drought payments?", finder)
    text = "The minister announced a 180 million crown aid package for farmers."
    assert fillers_of(farms, text, finder.entities(text)) == []
    people = analyse("How many people attended the fiesta?", finder)
    text = "Winds grounded the balloons, but attendance still reached 87,000, organisers said."
    assert [f.text for f in fillers_of(people, text, finder.entities(text))] == ["87,000"]
    text = "The colonies had a population of roughly 60,000 European settlers."
    assert [f.text for f in fillers_of(people, text, finder.entities(text))] == ["roughly 60,000"]


def test_a_name_after_a_title_is_a_person_and_a_body_is_named_by_its_kind() -> None:
    """The small tagger takes "Ilse Varga" after "Mayor" for a body, and misses the institute
    whose name begins with "the Middle East" (a place to it)."""
    text = 'Mayor Ilse Varga described the damage as "the worst this town has seen."'
    assert _as_person(Entity("Ilse Varga", "ORG", 6, 16), text).label == "PERSON"
    of_place = "the mayor of Dunhallow said"
    assert _as_person(Entity("Dunhallow", "GPE", 13, 22), of_place).label == "GPE"
    body = "President Grand Hotel Group"  # a kind word: a body, whatever stands before it
    assert _as_person(Entity("Grand Hotel Group", "ORG", 10, 27), body).label == "ORG"
    finder = EntityFinder()
    who = analyse("Who is the mayor of Dunhallow?", finder)
    assert [f.text for f in fillers_of(who, text, finder.entities(text))] == ["Ilse Varga"]
    report = "a September 2025 report from the Middle East Media Research Institute (MEMRI)."
    assert [b.text for b in named_bodies(report)] == ["Middle East Media Research Institute"]
    which = analyse("Which research institute published the September 2025 report?", finder)
    assert "Middle East Media Research Institute" in [
        f.text for f in fillers_of(which, report, finder.entities(report))
    ]


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        ("How long were the queues on the Sunday?", "Queues stretched 9 km on Saturday", "Sunday"),
        ("How many started on Sunday?", "Organisers said on Monday that 11,400 started", ""),
        ("How many started on Sunday?", "On Sunday 11,400 started, officials said Monday", ""),
        ("How many started?", "On Sunday 11,400 started", ""),
    ],
)
def test_a_sentence_about_another_day_of_the_week_is_found(
    question: str, sentence: str, other: str
) -> None:
    assert other_weekday(question, sentence) == other


def test_a_year_a_story_gives_relative_to_its_date_is_that_year() -> None:
    """Class 2: "produced 41,000 tonnes last year" in a story of 2023 answers for 2022, not for
    2023; a comparison ("up from 480,000 a year ago") dates only itself; a participle set off
    by commas ("The bridge, opened in 1967, carries ...") is an aside."""
    said = "Hollin Ridge produced 41,000 tonnes of copper last year, up from 36,500 in 2021."
    assert told_years(said, "2023") == ["2022"]
    assert told_years(said, "") == []  # an undated (topic) article
    assert told_years("The cubs were born two years ago.", "2024") == ["2022"]
    assert told_years("Visitors rose to 9,000, up from 7,000 a year ago.", "2024") == []
    # ... though the comparison does tell of that year: it meets a question about 2023
    assert told_years("Visitors rose to 9,000, up from 7,000 a year ago.", "2024", True) == ["2023"]
    # "last year's champion" names who won then; what the sentence tells is of this year
    champion = "Lise Harjo, last year's champion, missed the regatta with a rib injury."
    assert told_years(champion, "2024") == [] and told_years(champion, "2024", True) == ["2023"]
    assert not _dated_otherwise(Constraint("year", "2024"), champion, "2024", "Who in 2024?")
    assert _dated_otherwise(Constraint("year", "2023"), said, "2023", "How much in 2023?")
    assert not _dated_otherwise(Constraint("year", "2022"), said, "2023", "How much in 2022?")
    bridge = "The bridge, opened in 1967, carries about 28,000 vehicles a day."
    assert not _dated_otherwise(Constraint("year", "2022"), bridge, "2022", "How many in 2022?")
    voted = "The council voted in 2021 to close the bridge."
    assert _dated_otherwise(Constraint("year", "2022"), voted, "2022", "When in 2022?")


def test_a_date_asked_for_is_not_a_weekday_and_minutes_are_counted_in_time() -> None:
    assert not _precise_enough("Tuesday", "date") and _precise_enough("Tuesday", "day")
    assert _precise_enough("May 30", "date")
    finder = EntityFinder()
    assert analyse("On what date were the cubs born?", finder).date_precision == "date"
    assert analyse("On which day of the week was it released?", finder).date_precision == "day"
    minutes = analyse("How many minutes does the ferry crossing take?", finder)
    text = "The crossing takes 55 minutes, against two hours by the old ferry."
    assert "55 minutes" in [f.text for f in fillers_of(minutes, text, finder.entities(text))]


def test_a_post_before_the_asked_role_must_be_named_too() -> None:
    """Class 4: a sentence naming the prime minister does not answer who the defence minister
    is, nor does the governor answer who the deputy governor is; "the minister of defence"
    names the post as well as "Defence Minister X". "Prime" is not such a post: the articles
    call a prime minister "the minister" as often as not."""
    assert asked_role("Who is Pakistan's defence minister?") == "minister"
    assert asked_post("Who is Pakistan's defence minister?", "minister") == "defence"
    assert asked_post("Who is the prime minister of PoK?", "minister") == ""
    assert asked_role("Who did Pellan choose as his deputy governor?") == "governor"
    assert asked_post("Who did Pellan choose as his deputy governor?", "governor") == "deputy"
    assert not names_role("minister", "Prime Minister Shehbaz Sharif addressed it", "defence")
    assert names_role("minister", "Defence Minister Khawaja Asif said", "defence")
    assert names_role("minister", "Asif, the minister of defence, said", "defence")
    assert not names_role("governor", "Pellan was elected governor on Sunday", "deputy")


def test_an_envoy_sent_elsewhere_is_a_near_miss() -> None:
    """Class 4: "Israel's ambassador to India" does not answer who its ambassador to Pakistan
    is; a mention that names no posting, or the asked one, may."""
    posting = asked_posting("Who is Israel's ambassador to Pakistan?", "ambassador")
    assert posting == "Pakistan"
    assert posted_elsewhere("ambassador", posting, "Israel's ambassador to India, Reuven Azar,")
    assert not posted_elsewhere("ambassador", posting, "Its ambassador to Pakistan, X, said")
    assert not posted_elsewhere("ambassador", posting, "The ambassador, X, said")
    assert not posted_elsewhere("ambassador", "India", "Israel's envoy to India Reuven Azar")
    assert asked_posting("Who is Israel's ambassador?", "ambassador") == ""


def test_the_new_rules_stay_within_their_bounds() -> None:
    """Each rule of this kind has a near case where it must not fire."""
    page = "Last paragraph.\n\n(Edited by Theres Sudeep)\nSubscribe to our channels\n"
    start, end, name_start, name_end = _edited_by(page) or (0, 0, 0, 0)
    assert page[start:end] == "(Edited by Theres Sudeep)"
    assert page[name_start:name_end] == "Theres Sudeep"
    assert told_years("In 2019, output rose 5% over the previous year.", "2024") == []
    reopened = "The plant closed in 2019, reopened in 2022 after repairs."
    assert not _dated_otherwise(Constraint("year", "2022"), reopened, "2023", "When in 2022?")
    assert [b.text for b in named_bodies("Yesterday Stanford University said so.")] == [
        "Stanford University"
    ]
    assert named_bodies("The Council met.") == []
    assert answer_type("How much did profits rise in the quarter?") is AnswerType.NUMBER
    assert answer_type("How much time did the court grant the defence?") is AnswerType.NUMBER
    finder = EntityFinder()
    army = analyse("What did Pakistan's army say in its report?", finder)
    assert "Pakistan" in {c.text for c in army.constraints}
    people = analyse("How many people voted?", finder)
    text = "Turnout was 62 percent, officials said."
    assert fillers_of(people, text, finder.entities(text)) == []


@pytest.mark.parametrize(
    ("period", "sentence", "named"),
    [
        ("the 1100s", "Salerno was a centre of ivorywork in the 11th century.", False),
        ("the 1100s", "It flourished in the 12th century.", True),
        ("the 11th century", "In 1066, Duke William conquered England.", True),
        ("the 18th century", "By 1700 the refugees had settled in Berlin.", True),
        ("the 1980s", "Its sales grew by 1985, when it opened a plant.", True),
        ("the 1980s", "Its sales reached 1,985 units.", False),
        ("the 1960s", "The buildings of the 20th century were razed.", False),
        ("the 20th century", "The buildings were razed in the 1950s and 1960s.", True),
        ("the 1960s", "The buildings were razed in the '60s.", True),
        ("the 2000s", "The line should be finished by 2045.", False),  # a decade, not a century
        ("the 21st century", "Salafism blames democracy for the wars of the 20th century.", False),
    ],
)
def test_a_decade_or_century_is_met_by_itself_or_a_year_or_decade_inside_it(
    period: str, sentence: str, named: bool
) -> None:
    """Class 2: SQuAD 2.0 moves a sentence's century ("in the 1100s" for "in the 11th
    century"); the period a question names must be the sentence's, said either way."""
    assert names_period(period, sentence) is named


def test_a_question_set_in_a_decade_or_century_must_agree_with_the_answer() -> None:
    analysis = analyse(
        "What developed in Normandy during the 1100s and the 19th century?", EntityFinder()
    )
    assert [c.text for c in analysis.constraints if c.kind == "period"] == [
        "the 1100s",
        "the 19th century",
    ]
    assert "period" in MUST_AGREE and periods_in("in the mid-1970s") == ["the 1970s"]


@pytest.mark.parametrize(
    ("sentence", "dateline"),
    [
        ("ESKERBY, June 12 (Wire) - Halvorsen Bank agreed on Monday to buy Crestmoor.", True),
        ("WASHINGTON (Reuters) - The White House said on Monday it would act.", True),
        ("ST. LOUIS (Reuters) - The city council voted on Monday to act.", True),
        ("LONDON — Prices rose on Monday, officials said.", True),
        ("NASA - the agency said on Monday it would act.", False),
        ("UEFA: Real Madrid agreed to act on Monday.", False),
        ("US - China talks resumed on Monday in Geneva.", False),
        ("The minister - who spoke on Monday - said it would act.", False),
    ],
)
def test_a_wire_dateline_names_no_one_who_acted(sentence: str, dateline: bool) -> None:
    """Class 1: the dateline's city and agency ("(Wire)") are where a story was filed and who
    filed it: no answer to "who will chair the bank?". A date or place in it still answers."""
    finder = EntityFinder()
    analysis = analyse("Who agreed to act?", finder)
    parsed = finder.parsed(sentence)
    fillers = fillers_of(analysis, sentence, parsed.entities, names_inside(sentence))
    opening = DATELINE.match(sentence)
    assert (opening is not None) is dateline
    if opening is not None:
        assert all(f.start >= opening.end() for f in fillers)
        when = analyse("When did it happen?", finder)
        dated = fillers_of(when, sentence, parsed.entities, frozenset())
        assert sentence.startswith("ESKERBY") <= any(f.start < opening.end() for f in dated)


def test_a_company_named_after_the_asked_name_is_no_new_name() -> None:
    """Class 1: "Crestmoor Savings" answers no question that names Crestmoor (a who of it)."""
    finder = EntityFinder()
    analysis = analyse("Who was named to chair the board of Crestmoor?", finder)
    sentence = "Crestmoor Savings said Oskar Brandt would chair the board."
    parsed = finder.parsed(sentence)
    fillers = [f.text for f in fillers_of(analysis, sentence, parsed.entities, frozenset())]
    assert "Crestmoor Savings" not in fillers and "Oskar Brandt" in fillers


@pytest.mark.parametrize(
    ("question", "window", "contrary"),
    [
        ("When did the shipyard shut down?", "the shipyard was founded in 1856", "shut"),
        ("When did the shipyard shut down?", "it was founded in 1856. It closed in 1987", ""),
        ("When did Intel stop using the layers?", "In 2007 Intel introduced the layers", "stop"),
        ("When was the plant built?", "The plant was demolished in 2001", "built"),
    ],
)
def test_a_start_is_not_an_end(question: str, window: str, contrary: str) -> None:
    """Class 4 (SQuAD 2.0's antonyms): the year a thing began does not say when it ended."""
    words = frozenset(w.lower() for w in re.findall(r"[\w']+", window))
    assert contradicted(claimed_words(question), words) == contrary


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        (
            "For how long was racing stopped on Saturday?",
            "Racing was halted on Saturday near lane six; the pontoons moved ten metres.",
            None,
        ),
        (
            "For how long was racing stopped on Saturday?",
            "Racing was stopped for 40 minutes on Saturday afternoon.",
            "40 minutes",
        ),
        ("How long is the main span?", "Its main span of 1,240 metres is the longest.", "1,240"),
        (
            "How long had Breuer led the orchestra?",
            "Breuer, who signed a five-year contract in 2004, is retiring after 19 years.",
            "19 years",
        ),
    ],
)
def test_how_long_is_answered_in_a_unit_of_time_or_length(
    question: str, sentence: str, answer: str | None
) -> None:
    """Class 1: "lane six" is no answer to how long racing stopped, nor "ten metres"; a length
    answers "how long is the span?"."""
    finder = EntityFinder()
    analysis = analyse(question, finder)
    parsed = finder.parsed(sentence)
    fillers = [f.text for f in fillers_of(analysis, sentence, parsed.entities, frozenset())]
    if answer is None:
        assert fillers == []
    else:
        assert any(answer in f for f in fillers) and all("six" not in f for f in fillers)


@pytest.mark.parametrize(
    ("question", "sentence", "found"),
    [
        (
            "Which country did the Netherlands beat in the final?",
            "In 1991 Belgium beat the Netherlands in the final in Antwerp.",
            "reversed",
        ),
        (
            "Which country did the Netherlands beat in the final?",
            "In 1991 the Netherlands were beaten by Belgium in the final.",
            "reversed",
        ),
        (
            "Whom did Belgium beat in the final?",
            "In 1991 Belgium beat the Netherlands in the final in Antwerp.",
            "same",
        ),
        ("Who defeated Belgium in 1991?", "In 1991 Belgium defeated the Netherlands.", "reversed"),
        ("Which country did the Netherlands beat?", "Belgium beat the Netherlands.", "reversed"),
        ("Who did Obama meet?", "Putin met with Obama on Tuesday.", "same"),  # both ways
        ("Who attacked Kyiv?", "Kyiv officials said drones attacked the city.", "same"),
        ("Who defeated Belgium in 1991?", "In 1991 Belgium was defeated by Spain.", "same"),
        (
            "Who won the Halbrook University rector election?",
            "Ines Varga was elected rector of Halbrook University on Thursday, winning a run-off.",
            "no deed",  # the name only qualifies what was won
        ),
        (
            "Who organised the Gujranwala event?",
            "He attended an event in Gujranwala organised by the Markazi Muslim League.",
            "no deed",
        ),
        # a sentence without the verb says nothing of the roles
        ("Who defeated Belgium in 1991?", "Belgium lost to Spain in 1991.", "same"),
    ],
)
def test_a_name_on_the_other_side_of_the_asked_verb_is_another_deed(
    question: str, sentence: str, found: str
) -> None:
    """Class 4 (SQuAD 2.0's swapped roles): whom the Netherlands beat is not said by a sentence
    saying who beat the Netherlands."""
    finder = EntityFinder()
    asked = finder.parsed(question)
    deed = asked_deed(asked.words, asked.entities)
    if deed is None:
        assert found == "no deed"
        return
    reversed_ = reverses_deed(deed, sentence, finder.parsed(sentence).words)
    assert found == ("reversed" if reversed_ else "same")


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who coached the crew that ended Thornbury's run of titles?", "coach"),
        ("Who chaired the inquiry into the collapse?", "chair"),
        ("Who currently manages the club?", "manager"),
        ("Who managed to escape the fire?", ""),  # "managed to" names no post
        ("Who was directed to leave the hall?", ""),
        ("Who founded the college?", ""),  # said too many ways to demand the word
    ],
)
def test_a_post_a_verb_names_must_be_named_by_the_answer(question: str, role: str) -> None:
    """Class 1: "who coached the crew?" is answered by its coach, not by the crew's rival."""
    assert asked_role(question) == role
    if role:
        coached = names_role(role, "Ardwyn's coach, Petra Lindqvist, said")
        assert coached is (role in {"coach", "manager"})  # one post, said either way
        assert names_role("chair", "the inquiry, chaired by a retired judge, found")


def test_a_year_in_an_aside_dates_only_the_aside_and_a_year_is_no_amount() -> None:
    """Class 2 (SQuAD 2.0's impossible conditions): a year in a relative clause of an undated
    (encyclopedia) article dates that clause when the sentence has a year of its own; and a
    bare year is no answer to "how much"."""
    salmon = "The salmon, which had disappeared from the river by 1960, was recorded in 2016."
    assert _dated_otherwise(Constraint("year", "1960"), salmon, "", "What returned in 1960?")
    assert not _dated_otherwise(Constraint("year", "2016"), salmon, "", "What returned in 2016?")
    college = "The college, which was founded in 1850, moved to Oxford in 1900."
    assert not _dated_otherwise(
        Constraint("year", "1850"), college, "", "What was founded in 1850?"
    )
    counted = "The bridge, which opened in 1932, carries 1500 vehicles an hour."
    assert not _dated_otherwise(Constraint("year", "1932"), counted, "", "What bridge in 1932?")
    finder = EntityFinder()
    much = analyse("How much hafnium did the zircon contain?", finder)
    found = "Coster identified the element in 1923 in a zircon holding 2 percent hafnium."
    parsed = finder.parsed(found)
    assert "1923" not in [f.text for f in fillers_of(much, found, parsed.entities, frozenset())]
