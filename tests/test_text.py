"""Sentence splitting keeps exact offsets and respects abbreviations and initials."""

import numpy as np
from fakes import WordHashEmbedder

from corpusqa.answer.evidence import abbreviates, context_before, embed_missing, spells_out
from corpusqa.text import content_words, sentence_spans


def test_sentence_spans_are_exact_slices() -> None:
    text = "U.S. President Donald Trump spoke. Lt. Gen. D. P. Pandey (Retd) replied!\nA heading\n"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "U.S. President Donald Trump spoke.",
        "Lt. Gen. D. P. Pandey (Retd) replied!",
        "A heading",
    ]


def test_abbreviations_deep_in_a_long_paragraph_and_after_a_long_token() -> None:
    # The word before a period is looked for in a bounded reach, not from the text's start.
    lead = "Words go on here without a stop " * 300
    text = f"{lead}until Lt. Gen. D. P. Pandey spoke. Then {'x' * 100}. Next one."
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences[0].endswith("until Lt. Gen. D. P. Pandey spoke.")
    assert sentences[1:] == [f"Then {'x' * 100}.", "Next one."]


def test_quotes_close_sentences() -> None:
    text = "He said “war is coming.” Then he left. 12 people came."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "He said “war is coming.”",
        "Then he left.",
        "12 people came.",
    ]


def test_content_words_drop_stopwords_and_fold_accents() -> None:
    assert content_words("Where did the café owner speak?") == ["cafe", "owner", "speak"]


def test_a_hard_wrapped_paragraph_is_not_cut_at_its_line_breaks() -> None:
    text = (
        "Brindlemoor names a new harbour master\n\n"
        "The council appointed Oskar Velt on Tuesday; he will oversee\n"
        "the port's reopening. He starts in May.\n"
        "A Heading Without A Stop\n"
        "Next paragraph."
    )
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences == [
        "Brindlemoor names a new harbour master",
        "The council appointed Oskar Velt on Tuesday; he will oversee\nthe port's reopening.",
        "He starts in May.",
        "A Heading Without A Stop",
        "Next paragraph.",
    ]


def test_the_context_of_a_sentence_reaches_back_along_its_references() -> None:
    """The two sentences before are the context; one more when the earlier of them refers
    back ("The country boasts ..." to "Pakistan has ..."), and no further."""
    assert context_before(["Pakistan has a long history.", "It boasts."]) == (
        "Pakistan has a long history. It boasts."
    )
    chain = ["Pakistan has a long history.", "The country boasts.", "It hides him.", "Yet it lied."]
    assert (
        context_before(chain[:3])
        == "Pakistan has a long history. The country boasts. It hides him."
    )
    assert context_before(["Unrelated.", "Pakistan has a history.", "Its army grew."]) == (
        "Pakistan has a history. Its army grew."
    )
    assert (
        context_before(["One.", "Two.", "They said so.", "It did."]) == "Two. They said so. It did."
    )
    assert context_before(["Only one."]) == "Only one."
    assert context_before([]) == ""


def test_a_name_and_its_acronym_stand_for_each_other() -> None:
    """'Lashkar-e-Taiba' is named by 'LeT' and 'LeT' is spelled out by 'Lashkar-e-Taiba';
    a word that merely starts alike ('Lt General') or a lone capital is not an acronym."""
    assert abbreviates("Lashkar-e-Taiba", "Why not use LeT or JeM instead?")
    assert abbreviates("Inter-Services Intelligence", "an ISI-backed group")
    assert not abbreviates("Lashkar-e-Taiba", "Lt General Pandey said so")
    assert not abbreviates("Hamas", "Hamas and HM")
    assert spells_out("LeT", "groups such as Lashkar-e-Taiba and others")
    assert not spells_out("Lt", "Lashkar Taiba")


def test_a_full_vector_cache_is_emptied_and_refilled_with_everything_asked_for() -> None:
    """Past its limit the cache starts over; a text it held before must be embedded again,
    not looked up in the emptied cache."""
    embedder = WordHashEmbedder()
    cache = {"kept text": embedder.embed_one("kept text"), "old text": embedder.embed_one("old")}
    embed_missing(["kept text", "new one", "new two"], embedder, cache, limit=3)
    assert set(cache) == {"kept text", "new one", "new two"}
    assert np.allclose(cache["kept text"], embedder.embed_one("kept text"))
    embed_missing(["kept text", "new one"], embedder, cache, limit=3)  # all there: no change
    assert set(cache) == {"kept text", "new one", "new two"}
