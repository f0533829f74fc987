"""Stop-word lists and a cheap language guess for the boilerplate model.

The lists (``data/stopwords.json``) are the most frequent words of jusText's
stop lists (BSD 2-Clause, see ``data/stopwords.LICENSE``), rebuilt exactly by
``training/build_stopwords.py``.  They are loaded on first use, not at import.

:func:`guess` picks the language whose list covers most of a document's words:
one dictionary lookup per distinct word, no model, no download.  Scripts
without spaces between words (Chinese, Japanese, Thai) get no language: their
lines are judged by the features that do not need words.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources

__all__ = ["guess", "guess_text", "languages", "likely_english", "stopwords"]

#: fewest stop-word hits (counting repeats) before a guess is made
MIN_HITS = 5
#: how much of a document :func:`guess_text` reads
GUESS_CHARS = 3000
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1)
def _data() -> tuple[tuple[str, ...], dict[str, tuple[tuple[int, float], ...]], dict[str, frozenset[str]]]:
    ordered = _ordered()
    codes = tuple(ordered)
    weights: dict[str, list[tuple[int, float]]] = {}
    sets: dict[str, frozenset[str]] = {}
    for number, code in enumerate(codes):
        words = ordered[code]
        sets[code] = frozenset(words)
        for rank, word in enumerate(words):
            # the lists run from the most frequent word down: a frequent word is better evidence
            weights.setdefault(word, []).append((number, 2.0 - rank / len(words)))
    return codes, {word: tuple(entries) for word, entries in weights.items()}, sets


def languages() -> tuple[str, ...]:
    """Codes of every language with a stop list (ISO 639-1 where one exists)."""
    return _data()[0]


def stopwords(code: str) -> frozenset[str]:
    """The stop words of language ``code`` (lower case); empty for an unknown code."""
    return _data()[2].get(code, frozenset())


@functools.lru_cache(maxsize=16)
def _among(chosen: frozenset[str]) -> tuple[tuple[str, ...], dict[str, tuple[tuple[int, float], ...]]]:
    """The weights of :func:`_data` restricted to the languages ``chosen``."""
    codes, weights, _ = _data()
    keep = {number for number, code in enumerate(codes) if code in chosen}
    restricted = {}
    for word, entries in weights.items():
        mine = tuple(entry for entry in entries if entry[0] in keep)
        if mine:
            restricted[word] = mine
    return codes, restricted


def guess(words: Iterable[str], among: frozenset[str] | None = None) -> str | None:
    """The language whose stop words cover most of ``words`` (lower-cased tokens), each hit
    weighted by how frequent the word is in the language (from 2 for its most frequent word
    down to 1), or None when fewer than :data:`MIN_HITS` of the words are stop words of the
    best language.  ``among`` restricts the candidates (much faster for a few)."""
    codes, weights, _ = _data() if among is None else (*_among(among), None)
    score: Counter[int] = Counter()
    hits: Counter[int] = Counter()
    for word, count in Counter(words).items():
        for number, weight in weights.get(word, ()):
            score[number] += weight * count
            hits[number] += count
    if not score:
        return None
    # the best score wins; ties go to the language listed first (stable across runs)
    best = max(score.items(), key=lambda item: (item[1], -item[0]))[0]
    return codes[best] if hits[best] >= MIN_HITS else None


@functools.lru_cache(maxsize=16)
def _telltale(codes: frozenset[str]) -> re.Pattern[str] | None:
    """A search for the ten most frequent stop words of each language of ``codes`` but English
    that are not English stop words as well; None if there are none."""
    english = stopwords("en")
    ordered = _ordered()
    words = sorted({word for code in codes - {"en"} for word in ordered.get(code, ())[:10] if word not in english})
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None


@functools.lru_cache(maxsize=1)
def _ordered() -> dict[str, tuple[str, ...]]:
    """Every list, most frequent word first."""
    raw = json.loads(resources.files(__package__).joinpath("data/stopwords.json").read_text(encoding="utf-8"))
    return {code: tuple(words) for code, words in raw["languages"].items()}


def likely_english(text: str, among: frozenset[str]) -> bool:
    """A quick test before :func:`guess_text`: True when ``text`` has fewer than three of the most
    frequent stop words of the other languages ``among``, so it cannot be one of them."""
    search = _telltale(among)
    if search is None:
        return True
    found = 0
    for _ in search.finditer(text.lower()):
        found += 1
        if found >= 3:
            return False
    return True


def guess_text(text: str, among: frozenset[str] | None = None, chars: int = GUESS_CHARS) -> str | None:
    """:func:`guess` on the words of the first ``chars`` characters of ``text``."""
    return guess(_WORD.findall(text[:chars].lower()), among)
