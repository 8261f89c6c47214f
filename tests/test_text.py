"""Sentence splitting keeps exact offsets and respects abbreviations and initials."""

from corpusqa.text import content_words, sentence_spans


def test_sentence_spans_are_exact_slices() -> None:
    text = "U.S. President Donald Trump spoke. Lt. Gen. D. P. Pandey (Retd) replied!\nA heading\n"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "U.S. President Donald Trump spoke.",
        "Lt. Gen. D. P. Pandey (Retd) replied!",
        "A heading",
    ]


def test_quotes_close_sentences() -> None:
    text = "He said “war is coming.” Then he left. 12 people came."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "He said “war is coming.”",
        "Then he left.",
        "12 people came.",
    ]


def test_content_words_drop_stopwords_and_fold_accents() -> None:
    assert content_words("Where did the café owner speak?") == ["cafe", "owner", "speak"]
