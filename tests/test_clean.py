"""Boilerplate never reaches a chunk; article text does, with offsets kept."""

from corpusqa.ingest.clean import kept_segments, short_line_keys

PAGE = """A Real Headline About Ports
The port of Examplia reopened on Monday after a strike that lasted nine days.
STORY CONTINUES BELOW THIS AD
More from World
Five things to know about shipping
Why freight rates are rising
Dock workers said they would return to work. Their union welcomed the deal.
Advertisement
Share this article
Subscribe to our newsletter for daily updates
The strike cost exporters millions, officials said.
"""


def kept_text(text: str, repeated: frozenset[str] = frozenset()) -> str:
    return "\n".join(text[s:e] for s, e in kept_segments(text, repeated))


def test_known_furniture_and_link_lists_are_dropped() -> None:
    kept = kept_text(PAGE)
    for phrase in (
        "STORY CONTINUES",
        "More from",
        "Five things",
        "freight rates",
        "Advertisement",
        "Share this",
        "Subscribe",
    ):
        assert phrase not in kept
    for phrase in ("port of Examplia reopened", "Dock workers said", "cost exporters millions"):
        assert phrase in kept


def test_segments_are_exact_slices_of_the_text() -> None:
    for start, end in kept_segments(PAGE):
        assert PAGE[start:end] == PAGE[start:end].strip()
        assert start < end


def test_marker_glued_to_a_caption_is_cut_out() -> None:
    text = "Intro sentence here for the story.\nSTORY CONTINUES BELOW THIS ADA soldier stands guard. Reuters\nNext real paragraph of the story."
    kept = kept_text(text)
    assert "STORY CONTINUES" not in kept and "Reuters" not in kept
    assert "Next real paragraph" in kept


def test_lines_repeated_across_files_are_boilerplate() -> None:
    first = "Story one has a body sentence.\nThe Daily Example — all rights reserved\n"
    second = "Story two has another body sentence.\nThe Daily Example — all rights reserved\n"
    repeated = frozenset(short_line_keys(first) & short_line_keys(second))
    assert "all rights reserved" not in kept_text(first, repeated)
    assert "Story one has a body sentence." in kept_text(first, repeated)


def test_pull_quote_repeating_a_nearby_paragraph_is_dropped() -> None:
    body = (
        "Living in the country as an envoy, the man has addressed rallies and received "
        "accolades from professional bodies, and he travels often across the region."
    )
    text = f"{body}\nLiving in the country as an envoy, [he] has addressed rallies, and received accolades from professional bodies.\n"
    kept = kept_text(text)
    assert kept.count("received accolades") == 1
