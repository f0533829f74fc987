"""Hypothesis strategies for testing cleaners.

- :func:`any_text`: every ``str``, including lone surrogates, NUL and other
  control characters.
- :func:`dirty_news_text`: news-like fragments mixed with the artifacts
  cleaners target (entities, tags, mojibake, odd spaces, hover-card pieces,
  boilerplate lines), to reach the interesting branches quickly.
- :func:`clean_prose`: already-clean news prose — paragraphs of sentences
  with names, numbers, ASCII quotes and punctuation — that no cleaner of the
  default pipeline may change.
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "newsclean.testing needs hypothesis: pip install 'newsclean[test]'"
    ) from exc

__all__ = ["any_text", "clean_prose", "clean_sentence", "dirty_news_text"]


def any_text(max_size: int = 400) -> st.SearchStrategy[str]:
    """Any Python string: every code point, surrogates and controls included."""
    return st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=max_size)


_FRAGMENTS = [
    "Sen. ", "Jane Doe", "Jane Marie Doe", "DoeJane Marie Doe", "MORE", " MORE ", "(D-Ore.)", "'s",
    "&amp;", "&#8217;", "&nbsp;", "&amp;quot;", "<br>", "<p class=\"x\">", "</a>", "a < b", "<3",
    "Ã©", "â€™", "Ã", "\u00a0", "\u2009", "\u200b", "\u200d", "\ufeff", "\u00ad", "\r\n", "\r", "\t",
    "  ", "\n", "\n\n", "\n\n\n", "“", "”", "‘", "’", "—", "…", " [+2001 chars]", "[…]",
    "Advertisement", "Read more", "Subscribe to our newsletter", "Related:", "Share this article",
    "All rights reserved.", "The", "senator", "said", "on Monday", ".", ",", "McConnell", "iPhone",
    "ONE MORE TIME", "\x00", "\x1b", "\x85", "\u2028", "e\u0301", "\ud800",
]


def dirty_news_text(max_fragments: int = 30) -> st.SearchStrategy[str]:
    """Concatenations of news words and the artifacts cleaners look for."""
    piece = st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5))
    return st.lists(piece, max_size=max_fragments).map("".join)


_NAMES = ["Maria Lopez", "John Smith", "Mitch McConnell", "LeBron James", "Ron DeSantis", "Anne O'Neil",
          "Kwame Mensah", "Chloé Dubois", "Zhang Wei", "Priya Natarajan", "Sean McDonagh", "Ruth Van Dyke"]
_SUBJECTS = ["The senator", "Officials", "The company", "Lawmakers", "The mayor", "Investigators",
             "The central bank", "Residents", "The court", "Analysts"]
_VERBS = ["said", "announced", "warned", "reported", "confirmed", "argued", "noted", "added"]
_OBJECTS = ["that the bill would pass", "that talks will resume next week", "a new budget plan",
            "that prices rose 3.2% in March", "the results on Tuesday", "that 1,200 homes lost power",
            "an investigation into the crash", "that the iPhone sold well in Europe",
            "that YouTube removed the video", "a PowerPoint deck with more details"]
_TAILS = ["", " on Monday", " in a statement", ", according to Reuters", " (D-Ore.)", " in 2021",
          " after a two-hour meeting", ", citing two people familiar with the matter"]


@st.composite
def clean_sentence(draw: st.DrawFn) -> str:
    """One clean news sentence, ASCII quotes only, single spaces, terminal punctuation."""
    who = draw(st.one_of(st.sampled_from(_SUBJECTS), st.sampled_from(_NAMES)))
    verb = draw(st.sampled_from(_VERBS))
    obj = draw(st.sampled_from(_OBJECTS))
    tail = draw(st.sampled_from(_TAILS))
    form = draw(st.integers(0, 3))
    if form == 1:
        return f'"We will keep working," {who} {verb}{tail}.'
    if form == 2:
        return f"{who} {verb} {obj}{tail} - and more is expected."
    if form == 3:
        return f"{who}'s office {verb} {obj}{tail}."
    return f"{who} {verb} {obj}{tail}."


@st.composite
def clean_prose(draw: st.DrawFn, max_paragraphs: int = 5) -> str:
    """Distinct paragraphs of clean news sentences separated by one blank line."""
    # Paragraphs are distinct: a repeated paragraph is an artifact the duplicates cleaner removes.
    paragraphs = draw(st.lists(st.lists(clean_sentence(), min_size=1, max_size=4).map(" ".join),
                               min_size=1, max_size=max_paragraphs, unique=True))
    return "\n\n".join(paragraphs)
