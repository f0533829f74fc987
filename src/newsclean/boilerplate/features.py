"""Features of every line of a document, for the boilerplate model.

Nothing here depends on a site or on a language's vocabulary beyond its
stop words: a line is described by its shape (length, words, punctuation,
capitals, digits, separators, links, dates), by what the rules said of it
(:mod:`newsclean.rules`), by whether its text repeats elsewhere in the
document, by the same few facts about its neighbours, and by where it sits
relative to the document's main run of prose.

Blank lines are not described: the model labels the non-blank lines, and
the cleaner decides blank lines from their neighbours.  Every cost is linear
in the document's length.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass

from . import languages

__all__ = ["FEATURES", "SCORE_CONTEXT", "Line", "describe", "document_features", "main_run", "score_context"]

# list markers and indentation that layout-aware converters (inscriptis) put before a line
_MARKER = re.compile(r"[ \t\u00a0]*(?:(?:[*+o•·▪◦‣–-]|\d{1,3}[.)])[ \t\u00a0]+)?")
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co|gov|edu|io)(?:/|\b)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w|\w@\w+\.\w")
_DATE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b(?:19|20)\d{2}\b|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\b"
)
_SEPARATORS = "|•·›»«‹/>"
_SENTENCE_END = frozenset(".!?…。！？")
_CLOSERS = frozenset("\"'”’»)]」』")
_CLOSING = "".join(sorted(_CLOSERS))
_QUOTE = re.compile("[\"“”«»„‘’]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")  # what is left is letters (and numeric signs such as ½)
_NOT_DIGITS = re.compile(r"\D+")
_PROSE_WORDS = 10


@dataclass(frozen=True)
class Line:
    """What the features of one line are computed from."""

    text: str  # without list marker and surrounding whitespace
    marker: bool
    indent: int
    words: int
    tokens: tuple[str, ...]  # lower-cased \w+ tokens


def describe(raw: str) -> Line:
    """The parts of one (non-blank) line the features need."""
    head = _MARKER.match(raw)
    end = head.end() if head else 0
    indent = len(raw) - len(raw.lstrip(" \t\u00a0"))
    text = raw[end:].strip()
    marker = end > indent and bool(text)
    if not text:  # the whole line was a marker ("*", "1.")
        text = raw.strip()
    tokens = tuple(_WORD.findall(text.lower()))
    cjk = len(_CJK.findall(text)) if not text.isascii() else 0
    words = len(tokens) + cjk // 2
    return Line(text, marker, indent, words, tokens)


# -- per-line shape ------------------------------------------------------------------------

BASE = (
    "log_chars", "log_words", "stop_share", "ends_sentence", "ends_colon", "ends_comma",
    "capital_share", "all_caps", "digit_share", "letter_share", "symbol_share", "separators",
    "url", "handle", "date", "marker", "indent", "starts_lower", "quotes", "commas_per_word",
    "mean_word_chars", "repeats", "copied_share", "no_word", "caseless",
    "words_1_3", "words_4_9", "words_20_plus", "headline_like",
    "rule_line", "rule_heading", "rule_item", "rule_block",
)


def _base(line: Line, stop: frozenset[str]) -> list[float]:
    text = line.text
    n = len(text)
    tokens = line.tokens
    words = line.words
    last = text.rstrip(_CLOSING)[-1:] if text else ""
    letters = len(_NOT_LETTERS.sub("", text))
    digits = len(_NOT_DIGITS.sub("", text))
    spaces = text.count(" ")
    alpha_tokens = [t for t in text.split() if t[:1].isalpha()]
    cased = [t for t in alpha_tokens if t[0].upper() != t[0].lower()]
    capitals = sum(1 for t in cased if t[0].isupper())
    stops = sum(1 for t in tokens if t in stop) if stop else 0
    return [
        math.log1p(n) / 6,
        math.log1p(words) / 4,
        stops / len(tokens) if tokens and stop else 0.0,
        float(last in _SENTENCE_END),
        float(last == ":"),
        float(last in ",;-–—"),
        capitals / len(cased) if cased else 0.0,
        float(bool(cased) and text.isupper()),
        digits / n if n else 0.0,
        letters / n if n else 0.0,
        (n - letters - digits - spaces) / n if n else 0.0,
        math.log1p(sum(text.count(c) for c in _SEPARATORS)) / 2,
        float(_URL.search(text) is not None),
        float(_HANDLE.search(text) is not None),
        min(len(_DATE.findall(text)), 3) / 3,
        float(line.marker),
        math.log1p(line.indent) / 3,
        float(text[:1].islower()),
        float(_QUOTE.search(text) is not None),
        min(text.count(",") / words, 1.0) if words else 0.0,
        min(sum(len(t) for t in tokens) / len(tokens), 20) / 10 if tokens else 0.0,
        0.0,  # repeats: filled in by document_features
        0.0,  # copied_share: filled in by document_features
        float(not tokens),
        float(letters > 0 and not cased),
        float(1 <= words <= 3),
        float(4 <= words <= 9),
        float(words >= 20),
        float(3 <= words <= 20 and last not in _SENTENCE_END and last not in ",;:" and not text[:1].islower()),
        0.0, 0.0, 0.0, 0.0,  # rules: filled in by document_features
    ]


_I = {name: i for i, name in enumerate(BASE)}
# the neighbours' features that the context uses
NEIGHBOUR = ("log_words", "stop_share", "ends_sentence", "words_1_3", "rule_line", "rule_item", "url", "date")
CONTEXT = (
    "position", "in_main", "before_main", "after_main", "prose_near_3", "prose_near_10",
    "short_near_3", "short_run", "doc_lines", "doc_prose_share", "has_stop_list",
    "prose_before", "prose_after", "barrier_before", "barrier_after",
    "markers_above", "markers_below", "prose_share_above", "same_shape_near", "table_like",
)
# window means of these base features over +-3 and +-8 lines
WINDOWED = ("log_words", "digit_share", "ends_sentence", "capital_share", "repeats", "rule_line", "rule_item",
            "url", "commas_per_word", "stop_share", "marker", "headline_like", "rule_heading", "date")
WINDOWS = (3, 8)
#: one-sided windows: the means of WINDOWED over the k lines before (<k) and after (>k) a line
SIDES = (5,)
OFFSETS = (-2, -1, 1, 2)
#: every feature, in the order of a feature row
FEATURES: tuple[str, ...] = (
    BASE + CONTEXT
    + tuple(f"{name}@{offset:+d}" for offset in OFFSETS for name in NEIGHBOUR)
    + tuple(f"edge@{offset:+d}" for offset in OFFSETS)
    + tuple(f"{name}~{k}" for k in WINDOWS for name in WINDOWED)
    + tuple(f"{name}{side}{k}" for k in SIDES for side in "<>" for name in WINDOWED)
)

RULE_KINDS = {"line": "rule_line", "prefix": "rule_line", "suffix": "rule_line", "heading": "rule_heading",
              "item": "rule_item"}


def main_run(lines: Sequence[str], not_prose: Container[int] = ()) -> tuple[int, int, list[bool]]:
    """The article's main run of prose in ``lines``, as (first, last) indices into ``lines``
    ((0, -1) when the text has no prose), and which lines are prose.  A prose line is a
    sentence of ten words or more (lines whose indices are in ``not_prose`` never count as
    prose); the run is the stretch
    where prose outweighs other lines (see :func:`_main_run`).  Blank lines are ignored.  The
    boilerplate model's features use the same run; the ``duplicates`` cleaner uses it to keep
    the copy of a repeated paragraph that sits in the article."""
    index = [i for i, line in enumerate(lines) if line.strip()]
    described = [describe(lines[i]) for i in index]
    prose = [float(i not in not_prose and _is_prose(line)) for i, line in zip(index, described, strict=True)]
    first, last_ = _main_run(prose, [len(line.text) for line in described])
    flags = [False] * len(lines)
    for i, is_prose in zip(index, prose, strict=True):
        flags[i] = bool(is_prose)
    return (index[first], index[last_], flags) if last_ >= first else (0, -1, flags)


def _is_prose(line: Line) -> bool:
    """A sentence of :data:`_PROSE_WORDS` words or more."""
    return line.words >= _PROSE_WORDS and line.text.rstrip(_CLOSING)[-1:] in _SENTENCE_END


def _main_run(prose: Sequence[float], sizes: Sequence[int]) -> tuple[int, int]:
    """The stretch of lines with the most prose: the maximum-sum run where a prose line scores
    its length in characters (capped) and any other line costs a fixed amount."""
    return _best_segment([min(size, 400) if is_prose else -60.0 for is_prose, size in zip(prose, sizes, strict=True)])


#: lines are compared by runs of this many words: long enough that sentences of one article
#: rarely share one, short enough to find a paragraph copied into a longer line
SHINGLE = 8


_PERIODS = range(2, 9)
_SHAPE_WINDOW = 12


def _shape(line: Line, row: list[float]) -> int:
    """A coarse class of a line's shape: numeric or not, words (1, 2-3, 4-9, 10+), sentence end,
    capital start.  Table rows repeat a sequence of shapes; a menu repeats one shape."""
    words = line.words
    size = 0 if words <= 1 else 1 if words <= 3 else 2 if words <= 9 else 3
    numeric = row[_I["digit_share"]] > 0.5
    return (size * 2 + numeric) * 4 + int(row[_I["ends_sentence"]]) * 2 + line.text[:1].isupper()


def _periodicity(shapes: Sequence[int]) -> tuple[list[float], list[float]]:
    """Per line, the share of nearby lines whose shape equals the next line's (a run of one
    shape, as in a menu), and how much better the best period of 2 to 8 lines does than that
    (a table read cell by cell, a recipe card, a list of structured entries)."""
    n = len(shapes)

    def matches(period: int) -> list[float]:
        prefix = [0.0]
        for j in range(n):
            prefix.append(prefix[-1] + (j + period < n and shapes[j] == shapes[j + period]))
        out = []
        for i in range(n):
            lo, hi = max(0, i - _SHAPE_WINDOW), max(0, min(n - period, i + _SHAPE_WINDOW))
            out.append((prefix[hi] - prefix[lo]) / (hi - lo) if hi > lo else 0.0)
        return out

    same = matches(1)
    best = [0.0] * n
    for period in _PERIODS:
        for i, value in enumerate(matches(period)):
            if value > best[i]:
                best[i] = value
    return same, [max(0.0, b - s) for b, s in zip(best, same, strict=True)]


def _copied_shares(lines: Sequence[Line]) -> list[float]:
    """Per line, the share of its :data:`SHINGLE`-word runs that also occur in other lines (a
    hidden copy of the article, a teaser repeating its first paragraph)."""
    shingles: list[list[int]] = []
    counts: Counter[int] = Counter()
    for line in lines:
        toks = line.tokens
        own = [hash(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)]
        shingles.append(own)
        counts.update(own)
    result = []
    for own in shingles:
        if not own:
            result.append(0.0)
            continue
        mine = Counter(own)
        result.append(sum(1 for s in own if counts[s] > mine[s]) / len(own))
    return result


def _nearest_prose(prose: Sequence[bool], strong: Sequence[object], order: range) -> tuple[list[float], list[float]]:
    """For each line, walking the lines in ``order``: the distance to the nearest prose line already
    passed (``log1p(distance) / 4``; 1.5 if there is none) and whether a rule-matched line (``strong``)
    lies between them (1.0 also if there is none)."""
    distance = [0.0] * len(prose)
    barrier_at = [0.0] * len(prose)
    last, barrier = -1, False
    for i in order:
        distance[i] = math.log1p(abs(i - last)) / 4 if last >= 0 else 1.5
        barrier_at[i] = float(barrier or last < 0)
        if prose[i]:
            last, barrier = i, False
        elif strong[i]:
            barrier = True
    return distance, barrier_at


def document_features(
    raw_lines: Sequence[str],
    rules: Sequence[tuple[str | None, bool]] | None = None,
    language: str | None = None,
) -> tuple[list[int], list[list[float]], str | None]:
    """Feature rows (in :data:`FEATURES` order) for the non-blank lines of a document.

    ``rules`` gives, per line of ``raw_lines``, the kind of rule that matched it (or None) and
    whether the rules' block logic (headings, menus, share bars) removed it.  ``language`` is
    guessed from the text when not given.  Returns the indices of the non-blank lines, their
    rows, and the language used.
    """
    index = [i for i, raw in enumerate(raw_lines) if raw.strip()]
    lines = [describe(raw_lines[i]) for i in index]
    if language is None:
        language = languages.guess(t for line in lines[:400] for t in line.tokens)
    stop = languages.stopwords(language) if language else frozenset()
    rows = [_base(line, stop) for line in lines]
    n = len(rows)
    if not n:
        return index, rows, language
    texts = Counter(line.text.lower() for line in lines)
    copied = _copied_shares(lines)
    r_rep, r_copy = _I["repeats"], _I["copied_share"]
    for row, line, share in zip(rows, lines, copied, strict=True):
        row[r_rep] = math.log1p(texts[line.text.lower()] - 1) / 2
        row[r_copy] = share
    if rules is not None:
        block = _I["rule_block"]
        for row, i in zip(rows, index, strict=True):
            kind, removed = rules[i]
            if kind is not None:
                row[_I[RULE_KINDS[kind]]] = 1.0
            if removed:
                row[block] = 1.0

    prose = [float(_is_prose(line)) for line in lines]
    short = [row[_I["words_1_3"]] + row[_I["no_word"]] for row in rows]
    sizes = [len(line.text) for line in lines]
    first, last = _main_run(prose, sizes)
    prose_prefix = [0.0]
    short_prefix = [0.0]
    for p, s in zip(prose, short, strict=True):
        prose_prefix.append(prose_prefix[-1] + p)
        short_prefix.append(short_prefix[-1] + s)

    def window(prefix: list[float], i: int, k: int) -> float:
        lo, hi = max(0, i - k), min(n, i + k + 1)
        return (prefix[hi] - prefix[lo]) / (hi - lo)

    runs = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and short[j]:
            j += 1
        for k in range(i, j):
            runs[k] = j - i
        i = max(j, i + 1)
    # distance to the nearest prose line before and after, and whether a rule-matched line lies between
    strong = [row[_I["rule_line"]] or row[_I["rule_block"]] for row in rows]
    prose_before, barrier_before = _nearest_prose(prose, strong, range(n))
    prose_after, barrier_after = _nearest_prose(prose, strong, range(n - 1, -1, -1))
    # how much furniture the rules found above and below (past a share bar, a "Related" block and a
    # newsletter prompt, prose is more likely comments than article), and how much prose is above
    strong_prefix = [0.0]
    prose_chars = [0.0]
    for is_strong, is_prose, size in zip(strong, prose, sizes, strict=True):
        strong_prefix.append(strong_prefix[-1] + bool(is_strong))
        prose_chars.append(prose_chars[-1] + (size if is_prose else 0))
    all_prose = prose_chars[-1] or 1.0
    same_shape, table_like = _periodicity([_shape(line, row) for line, row in zip(lines, rows, strict=True)])
    windowed_cols = [_I[name] for name in WINDOWED]
    sums = [[0.0] * len(WINDOWED)]
    for row in rows:
        last_sum = sums[-1]
        sums.append([a + row[c] for a, c in zip(last_sum, windowed_cols, strict=True)])
    doc_lines = math.log1p(n) / 6
    doc_prose = prose_prefix[-1] / n
    has_stop = float(bool(stop))
    neighbour_cols = [_I[name] for name in NEIGHBOUR]
    zeros = [0.0] * len(NEIGHBOUR)
    out = []
    for i, row in enumerate(rows):
        context = [
            i / (n - 1) if n > 1 else 0.0,
            float(first <= i <= last),
            math.log1p(first - i) / 4 if i < first else 0.0,
            math.log1p(i - last) / 4 if i > last else 0.0,
            window(prose_prefix, i, 3),
            window(prose_prefix, i, 10),
            window(short_prefix, i, 3),
            math.log1p(runs[i]) / 4,
            doc_lines,
            doc_prose,
            has_stop,
            prose_before[i], prose_after[i], barrier_before[i], barrier_after[i],
            math.log1p(strong_prefix[i]) / 3, math.log1p(strong_prefix[n] - strong_prefix[i + 1]) / 3,
            prose_chars[i] / all_prose, same_shape[i], table_like[i],
        ]
        neighbours: list[float] = []
        edges = []
        for offset in OFFSETS:
            j = i + offset
            if 0 <= j < n:
                other = rows[j]
                neighbours.extend(other[c] for c in neighbour_cols)
                edges.append(0.0)
            else:
                neighbours.extend(zeros)
                edges.append(1.0)
        windows: list[float] = []
        for k in WINDOWS:
            lo, hi = max(0, i - k), min(n, i + k + 1)
            top, bottom = sums[hi], sums[lo]
            windows.extend((a - b) / (hi - lo) for a, b in zip(top, bottom, strict=True))
        for k in SIDES:
            lo, hi = max(0, i - k), i
            windows.extend((a - b) / (hi - lo) if hi > lo else 0.0 for a, b in zip(sums[hi], sums[lo], strict=True))
            lo, hi = i + 1, min(n, i + k + 1)
            windows.extend((a - b) / (hi - lo) if hi > lo else 0.0 for a, b in zip(sums[hi], sums[lo], strict=True))
        out.append(row + context + neighbours + edges + windows)
    return index, out, language


# -- the second stage: each line's score in the light of the scores around it ----------------

#: features of the second stage, added to :data:`FEATURES`: the first stage's score of the line
#: and its neighbours, window means, where the best run of content-scored text lies, and how far
#: the nearest confidently-content line is
SCORE_CONTEXT = (
    "score", "score~1", "score~2", "score~5", "score~10", "score~25",
    "score@-1", "score@+1", "score@-2", "score@+2",
    "in_scored_run", "before_scored_run", "after_scored_run",
    "confident_before", "confident_after", "confident_share_before",
    "doc_mean_score", "doc_confident_share", "scored_run_share", "confident_within_2",
)
#: a line whose first-stage score is above this is "confidently content"
CONFIDENT = 0.8
_FAR = 50


def score_context(scores: Sequence[float], sizes: Sequence[int]) -> list[list[float]]:
    """Second-stage features (:data:`SCORE_CONTEXT`) of each line from the first stage's
    ``scores`` (probability of content) and the lines' ``sizes`` in characters."""
    n = len(scores)
    if not n:
        return []
    prefix = [0.0]
    for s in scores:
        prefix.append(prefix[-1] + s)

    def window(i: int, k: int) -> float:
        lo, hi = max(0, i - k), min(n, i + k + 1)
        return (prefix[hi] - prefix[lo]) / (hi - lo)

    gains = [(s - 0.5) * min(size, 400) + (s - 0.5) * 20 for s, size in zip(scores, sizes, strict=True)]
    first, last = _best_segment(gains)
    confident = [s > CONFIDENT for s in scores]
    before = [float(_FAR)] * n
    after = [float(_FAR)] * n
    seen = -1
    for i in range(n):
        if seen >= 0:
            before[i] = i - seen
        if confident[i]:
            seen = i
    seen = -1
    for i in range(n - 1, -1, -1):
        if seen >= 0:
            after[i] = seen - i
        if confident[i]:
            seen = i
    total_confident = sum(confident)
    mean = prefix[-1] / n
    confident_share = total_confident / n
    run_share = (last - first + 1) / n if last >= first else 0.0
    rows = []
    count = 0
    for i, s in enumerate(scores):
        rows.append([
            s, window(i, 1), window(i, 2), window(i, 5), window(i, 10), window(i, 25),
            scores[i - 1] if i >= 1 else 0.0, scores[i + 1] if i + 1 < n else 0.0,
            scores[i - 2] if i >= 2 else 0.0, scores[i + 2] if i + 2 < n else 0.0,
            float(first <= i <= last),
            math.log1p(first - i) / 4 if i < first else 0.0,
            math.log1p(i - last) / 4 if i > last else 0.0,
            math.log1p(before[i]) / 4, math.log1p(after[i]) / 4,
            count / total_confident if total_confident else 0.0,
            mean, confident_share, run_share,
            float(min(before[i], after[i]) <= 2),
        ])
        count += confident[i]
    return rows


def _best_segment(gains: Sequence[float]) -> tuple[int, int]:
    """The maximum-sum run of ``gains`` (Kadane's algorithm), as (first, last); (0, -1) if no
    run has a positive sum."""
    best, span = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, gain in enumerate(gains):
        if total <= 0:
            total, start = 0.0, i
        total += gain
        if total > best:
            best, span = total, (start, i)
    return span
