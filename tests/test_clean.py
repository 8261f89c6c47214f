"""Boilerplate never reaches a chunk; article text does, with offsets kept."""

import pytest

from corpusqa.ingest.clean import kept_segments, short_line_keys
from corpusqa.ingest.metadata import article_meta

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


# A news page as sites publish it: headline, site, byline with the date, then the lede.
NEWS_PAGE = """Brenner breaks course record at Port Ellery Marathon

www.coastalherald-news.com
By Daniel Mwangi | April 15, 2024

Lukas Brenner smashed the Port Ellery Marathon course record on Sunday, winning the men's race.
"""


def test_a_headline_that_restates_the_lede_is_kept_as_the_title() -> None:
    """The headline repeats most words of the first sentence, as a pull quote repeats its
    paragraph; it is the article's title all the same, and what its questions name."""
    segments = kept_segments(NEWS_PAGE)
    assert NEWS_PAGE[slice(*segments[0])].startswith("Brenner breaks course record")
    assert article_meta(NEWS_PAGE, segments).title == (
        "Brenner breaks course record at Port Ellery Marathon"
    )


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("By Daniel Mwangi | April 15, 2024", "April 15, 2024"),
        ("April 15, 2024 · By Daniel Mwangi", "April 15, 2024"),
        ("Friday, January 9, 2026", "Friday, January 9, 2026"),
        ("Published: 7 August 2024", "7 August 2024"),
        ("Updated on March 3, 2024 | 10:30", "March 3, 2024 | 10:30"),
        ("By Daniel Mwangi | Staff writer", ""),
        ("By Daniel Mwangi - April 15, 2024", "April 15, 2024"),
        # published, not last updated; a date inside a body line is not the article's
        ("Updated March 3, 2025 | Published April 15, 2024", "April 15, 2024"),
        ("The strike began — March 3, 2024 — and went on for weeks", ""),
    ],
)
def test_the_date_is_read_from_a_byline_that_carries_it(header: str, date: str) -> None:
    text = NEWS_PAGE.replace("By Daniel Mwangi | April 15, 2024", header)
    assert article_meta(text, kept_segments(text)).date == date
