"""Hypothesis strategies for testing cleaners.

- :func:`any_text`: every ``str``, including lone surrogates, NUL and other
  control characters.
- :func:`dirty_news_text`: news-like fragments mixed with the artifacts
  cleaners target (entities, tags, mojibake, odd spaces, hover-card pieces,
  boilerplate lines), to reach the interesting branches quickly.
- :func:`clean_prose`: already-clean news prose — paragraphs of sentences
  with names, numbers, ASCII quotes and punctuation — that no cleaner of the
  default pipeline may change.
- :func:`cleaner_inputs`: the texts a particular cleaner's own patterns act
  on — its examples, what it removes from them, pieces repeated and
  combined, its own output fed back — mixed with the strategies above.  The
  conformance checks draw from it, which is how they find, for example, a
  cleaner that removes one of two repeated datelines per pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "newsclean.testing needs hypothesis: pip install 'newsclean[test]'"
    ) from exc

__all__ = ["any_text", "clean_prose", "clean_sentence", "cleaner_inputs", "dirty_news_text"]


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
    "ONE MORE TIME", "\x00", "\x1b", "\x85", "\u2028", "e\u0301", "\ud800", "WASHINGTON (AP) — ",
    "LONDON (Reuters) - ",
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


_SEPARATORS = ["", " ", "\n", "\n\n", ". ", " — "]
_SMALL = "aAb1 .,-—'\"\n\t"
_RUN_CHARS = "aAe1 .,-—!?'\"\n\t"
_EDGES = ["a \nb", "a\t\nb", " \n \n", "a\r\nb", "a\u00a0\nb", "\n a", "a\n\n\n\nb "]


def _seeds(cleaner: Any, examples: Iterable[Any]) -> tuple[list[str], list[str]]:
    """(atoms, derived texts) from the examples: the examples, their cleaned forms and the pieces
    the cleaner removed or added; and texts built from them that catch a cleaner which does only
    part of its work per pass (a piece doubled in front of the cleaned text, an example twice)."""
    from ..diffing import diff_changes

    texts: list[str] = []
    for example in [*examples, *getattr(type(cleaner), "examples", ())]:
        texts.extend([example] if isinstance(example, str) else [str(part) for part in example][:2])
    atoms = list(texts)
    derived: list[str] = []
    for text in texts:
        try:
            cleaned = cleaner.clean(text)
            changes = diff_changes(text, cleaned, "seed") if isinstance(cleaned, str) else []
        except Exception:  # the checks report it; here it only means no seeds from this example
            continue
        pieces = [piece for change in changes for piece in (change.removed, change.inserted) if piece.strip()]
        atoms += [cleaned, *pieces]
        derived += [text + text, text + " " + text, text + "\n" + text, text + "\n\n" + text, cleaned + "\n\n" + text]
        for piece in pieces:
            derived += [piece + text, piece + piece + cleaned, piece * 3 + cleaned, cleaned + piece + piece]
    # Runs of single characters and of the artifacts cleaners look for: a cleaner that shrinks
    # a run instead of removing it ("aa" -> "a") fails on these even without examples.
    derived += [c * n for c in _RUN_CHARS for n in (3, 4, 8)] + _EDGES
    derived += [f + f for f in _FRAGMENTS if f.strip()] + [f * 3 + "The" for f in _FRAGMENTS if f.strip()]
    return list(dict.fromkeys(a for a in atoms if a)), list(dict.fromkeys(d for d in derived if d))


def _derived_texts(cleaner: Any, examples: Iterable[Any] = ()) -> list[str]:
    """The texts :func:`cleaner_inputs` builds deterministically from the examples (checked first)."""
    atoms, derived = _seeds(cleaner, examples)
    return atoms + derived


def _cleaned(cleaner: Any, text: str) -> str:
    try:
        out = cleaner.clean(text)
    except Exception:
        return text
    return out if isinstance(out, str) else text


def cleaner_inputs(cleaner: Any, examples: Iterable[Any] = ()) -> st.SearchStrategy[str]:
    """Texts that exercise ``cleaner``'s own patterns, mixed with generic and dirty text.

    ``examples`` are texts or ``(input, expected)`` pairs (the cleaner's
    ``examples`` attribute is added).  From them come: the examples and their
    cleaned forms; the pieces the cleaner removed or inserted; each of those
    repeated two to six times, with and without separators; combinations of
    several; and the cleaner's output on any of these, fed back with more
    material around it.  Short runs of a few characters (``"aaaa"``) are
    mixed in too, so even without examples a cleaner that shrinks repeats
    (``"aa"`` → ``"a"``) is caught.
    """
    seeds, derived = _seeds(cleaner, examples)
    atoms = [st.sampled_from(_FRAGMENTS), st.text(alphabet=_SMALL, min_size=1, max_size=3)]
    if seeds:
        atoms.insert(0, st.sampled_from(seeds))
    atom = st.one_of(*atoms)
    separator = st.sampled_from(_SEPARATORS)
    repeated = st.builds(lambda piece, sep, n: sep.join([piece] * n), atom, separator, st.integers(2, 6))
    part = st.one_of(atom, repeated, clean_sentence())
    combined = st.builds(lambda parts, sep: sep.join(parts), st.lists(part, min_size=1, max_size=6), separator)
    fed_back = st.builds(
        lambda before, text, after: before + _cleaned(cleaner, text) + after,
        st.one_of(st.just(""), part), combined, st.one_of(st.just(""), part),
    )
    return st.one_of(st.sampled_from(derived), combined, repeated, fed_back, any_text(), dirty_news_text())
