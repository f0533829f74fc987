"""Matching boilerplate rules against the lines of a document, fast.

:class:`RuleEngine` holds the active rules of a boilerplate cleaner (chosen by
language and category) and answers, for a document:

- :meth:`RuleEngine.quiet`: can no line match any rule?  A few scans of the
  whole lower-cased document for the literal heads, tails and needles of the
  rules (see :mod:`newsclean.boilerplate.patterns`) answer that for almost
  every article without splitting it;
- :meth:`RuleEngine.kinds`: which rule (kind, category, rule number) each
  normalised line matches, each line tried only against the precompiled
  alternatives that fit its length, edge characters and literal head;
- :meth:`RuleEngine.decide`: which lines the rules remove, with their
  neighbours: strong lines, heading blocks (a "Related" heading and the
  headline-like lines under it), a menu of short lines at the top, and weak
  items (``Facebook``, ``World``) next to other boilerplate.

Property tests check that the fast paths give exactly the result of trying
every rule on every line.  Every pattern is matched against one line of bounded
length (:data:`~newsclean.rules.MAX_LINE_CHARS`), and the block logic is a
constant number of passes over the lines, so the cost is linear.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..rules import MAX_LINE_CHARS, PREFIX_MAX_CHARS, Rule
from .patterns import _HEAD_CHARS, _character_classes, _compile, _fold, _LazyPattern, _profile

__all__ = ["Match", "RuleEngine"]

#: what :meth:`RuleEngine.kinds` says of a line: (rule kind, category, index of the rule in
#: :attr:`RuleEngine.rules`), or None
Match = tuple[str, str, int]

_NOT_HEADLINE_END = frozenset(".,;:")
_KIND_ORDER = ("heading", "line", "prefix", "suffix", "item")
# Upper bounds of the line-length buckets (characters of the normalised line).
_BUCKETS = (24, 48, 96, 160, PREFIX_MAX_CHARS, MAX_LINE_CHARS)  # PREFIX_MAX_CHARS must be a bound
_NORMALISE_UP_TO = MAX_LINE_CHARS * 4
#: the length bucket (index into _BUCKETS) of every line length up to MAX_LINE_CHARS
_BUCKET_OF = tuple(next(i for i, upper in enumerate(_BUCKETS) if size <= upper) for size in range(MAX_LINE_CHARS + 1))
#: what normalising a line changes: whitespace other than a single space between two other
#: characters (str.split() splits on exactly the characters for which str.isspace() is true)
_ODD_SPACE_ASCII = tuple(c for c in map(chr, range(128)) if c.isspace() and c not in " \n")
_ODD_SPACE_OTHER = ("\x85", "\xa0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f", "\u205f",
                    "\u3000")  # every non-ASCII character for which str.isspace() is true (a test checks)
_CACHE_LIMIT = 4096
#: lines up to this long have their classification remembered, up to _MEMO_LIMIT of them
_MEMO_CHARS = 80
_MEMO_LIMIT = 8192
_MENU_MAX_WORDS = 4
_MENU_MAX_CHARS = 40
_HEADLINE_MAX_WORDS = 20
_HEADLINE_MAX_CHARS = 160

class RuleEngine:
    """The active rules of a boilerplate cleaner, prepared for matching.

    ``rules`` are filtered by ``languages`` (``"*"`` rules always apply; ``"*"`` in
    ``languages`` takes every language), ``categories`` (empty: all) and
    ``exclude_categories``.  ``blocks`` switches the neighbour logic on (without it an
    ``item`` rule never applies and a ``heading`` rule is an ordinary line rule).

    Building one parses no pattern for the shipped packs (their analysis is data) and
    compiles nothing: rule alternatives are compiled on their first use and the
    document-level search on the first :meth:`quiet`.
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        languages: Iterable[str] = ("en",),
        categories: Iterable[str] = (),
        exclude_categories: Iterable[str] = (),
        blocks: bool = True,
        max_block_lines: int = 30,
    ) -> None:
        wanted_languages = set(languages)
        categories = tuple(categories)
        exclude = tuple(exclude_categories)
        self.blocks = blocks
        self.max_block_lines = max_block_lines
        active = [
            r for r in rules
            if (r.language == "*" or "*" in wanted_languages or r.language in wanted_languages)
            and (not categories or r.category in categories)
            and r.category not in exclude
        ]
        #: the rules that can match, in matching order within each kind
        self.rules: tuple[Rule, ...] = tuple(active)
        by_kind: dict[str, list[int]] = {"line": [], "prefix": [], "suffix": [], "heading": [], "item": []}
        for index, rule in enumerate(active):
            by_kind[rule.kind].append(index)
        if not blocks:
            # Without neighbours an item is never boilerplate; a heading is just a line.
            by_kind["line"] += by_kind["heading"]
            by_kind["heading"] = []
            by_kind["item"] = []
        # A line is only tried against the rules that can match it: those whose longest
        # match is at least the line's length and whose possible first and last characters
        # fit the line's (prefix rules: first only; suffix rules: last only).  The subsets
        # are worked out on first use and cached per (length bucket, first, last character).
        # A rule written as one big alternation is profiled per alternative, so that only the
        # alternatives that can start (and end) like the line are tried.
        profiles = []
        # The document-level check: every alternative must have heads (suffix rules: tails)
        # or needles, else there is no such check.
        starts: set[str] = set()
        ends: set[str] = set()
        anywhere: set[str] = set()
        checkable = True
        for kind, indices in by_kind.items():
            for index in indices:
                rule = active[index]
                for matcher, width, firsts, lasts, needles, heads, tails in _profile(kind, rule.pattern):
                    profiles.append((kind, matcher, (rule.category, index), width, firsts, lasts, needles, heads))
                    if heads is not None:
                        starts.update(heads)
                    elif tails is not None:
                        ends.update(tails)
                    elif needles is not None:
                        anywhere.update(needles)
                    else:
                        checkable = False
        self._profiles = tuple(profiles)
        self._unsafe = _character_classes()[1]
        self._gate_parts = (frozenset(starts), frozenset(ends), frozenset(anywhere)) if checkable else None
        self._cache: dict[Any, Any] = {}
        self._memo: dict[str, Match | None] = {}
        self._active = {kind: tuple(indices) for kind, indices in by_kind.items()}
        self._menu = blocks and "navigation" not in exclude and (not categories or "navigation" in categories)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}  # compiled lazily again in the receiving process
        state["_memo"] = {}
        state.pop("_gate", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @functools.cached_property
    def labels(self) -> tuple[str, ...]:
        """``file#n`` for each of :attr:`rules`: its pack's file name and its number there."""
        counts: dict[str, int] = {}
        out = []
        for rule in self.rules:
            counts[rule.source] = counts.get(rule.source, 0) + 1
            out.append(f"{rule.source.rsplit('/', 1)[-1] or 'rules'}#{counts[rule.source]}")
        return tuple(out)

    @functools.cached_property
    def _gate(self) -> tuple[Any, Any, Any, Any, bool] | None:
        """The document-level searches (see :meth:`quiet`), compiled on first use and shared
        by every engine with the same heads, tails and needles."""
        parts = self._gate_parts
        return None if parts is None else _gate_cached(*parts)

    def _rule_matchers(self) -> dict[str, tuple[tuple[Any, str, int], ...]]:
        """Every active rule compiled whole, per kind, in order, with its category and index (the
        slow reference the dispatch in :meth:`kinds` must agree with; used by the tests)."""
        return {
            kind: tuple((_compile(kind, self.rules[i].pattern), self.rules[i].category, i) for i in indices)
            for kind, indices in self._active.items()
        }

    def _candidates(self, size: int, first: str, last: str) -> tuple[tuple[str, Any, str, Any, Any], ...]:
        """(kind, pattern, category, needles, heads) of every rule alternative that can match a line
        of this length, first and last character, in matching order."""
        return self._entry(size, first, last)[2]

    def _entry(self, size: int, first: str, last: str) -> tuple[tuple[str, ...], tuple[Any, ...], tuple[Any, ...]]:
        """The candidates for a line of this length, first and last character (see
        :meth:`_candidates`) as (heads of the candidates that have heads, the candidates
        without heads, every candidate); cached per length bucket and (raw) edge characters."""
        bucket = _BUCKET_OF[size]
        key = (bucket, first, last)
        cache: dict[Any, tuple[tuple[str, ...], tuple[Any, ...], tuple[Any, ...]]] = self._cache
        found = cache.get(key)
        if found is None:
            # the head test compares lower-cased heads with the line's lower-cased start
            start = first.lower()
            first, last = _fold(first), _fold(last)
            lower = _BUCKETS[bucket - 1] if bucket else 0
            chosen: dict[str, list[tuple[str, Any, str, Any, Any]]] = {kind: [] for kind in _KIND_ORDER}
            for kind, compiled, category, width, firsts, lasts, needles, heads in self._profiles:
                if kind in ("prefix", "suffix"):
                    if lower >= PREFIX_MAX_CHARS:
                        continue
                elif width <= lower:
                    continue
                if kind != "suffix" and firsts is not None and first not in firsts:
                    continue
                if kind != "prefix" and lasts is not None and last not in lasts:
                    continue
                single = needles is not None and len(needles) == 1
                matcher = _LazyPattern(kind, compiled)
                if heads is not None and len(start) == 1:
                    heads = tuple(h for h in heads if h[0] == start)
                chosen[kind].append((kind, matcher, category, next(iter(needles)) if single else needles, heads))
            every = tuple(entry for kind in _KIND_ORDER for entry in chosen[kind])
            union = tuple(sorted({h for entry in every if entry[4] is not None for h in entry[4]}))
            headless = tuple(entry for entry in every if entry[4] is None)
            found = (union, headless, every)
            if len(cache) < _CACHE_LIMIT:
                cache[key] = found
        return found

    def classify(self, line: str) -> Match | None:
        """(kind, category, rule index) of the first rule that matches the normalised line, else None."""
        return self.kinds([line])[0]

    def kinds(self, norm: list[str]) -> list[Match | None]:
        """:meth:`classify` of every normalised line (None for blank ones), in one loop.

        Per line: the candidates of its length bucket and edge characters; if the line's
        first :data:`_HEAD_CHARS` characters are ASCII and start with none of the literal
        heads of those candidates, only the candidates without heads are tried; then each
        candidate's head and needles are tested before its regular expression."""
        entry_of = self._entry
        cache: dict[Any, Any] = self._cache
        bucket_of = _BUCKET_OF
        limit = MAX_LINE_CHARS
        span = _HEAD_CHARS
        unsafe = self._unsafe.search
        memo: dict[str, Match | None] = self._memo
        kinds: list[Match | None] = []
        append = kinds.append
        for line in norm:
            size = len(line)
            if not size or size > limit:
                append(None)
                continue
            if size <= _MEMO_CHARS:
                # short lines (menus, share bars, "Advertisement") come back again and again
                known = memo.get(line, memo)
                if known is not memo:
                    append(known)  # type: ignore[arg-type]
                    continue
            first, last = line[0], line[-1]
            found = cache.get((bucket_of[size], first, last))
            if found is None:
                found = entry_of(size, first, last)
            head = line[:span]
            if head.isascii() or unsafe(head) is None:
                head = head.lower() + "\n"
                candidates = found[2] if head.startswith(found[0]) else found[1]
            else:
                head = None
                candidates = found[2]
            result = None
            folded = None
            for kind, pattern, category, needles, heads in candidates:
                if heads is not None and head is not None and not head.startswith(heads):
                    continue
                if needles is not None:
                    if folded is None:
                        folded = line.casefold()
                    if needles.__class__ is str:
                        if needles not in folded:
                            continue
                    else:
                        for needle in needles:
                            if needle in folded:
                                break
                        else:
                            continue
                if pattern.match(line):
                    result = (kind, *category)
                    break
            if size <= _MEMO_CHARS and len(memo) < _MEMO_LIMIT:
                memo[line] = result
            append(result)
        return kinds

    def normalise(self, text: str, lines: list[str]) -> list[str]:
        """Every line with its surrounding whitespace stripped and inner runs collapsed to one
        space; ``lines`` itself when one search finds nothing to normalise in ``text``."""
        if not _needs_normalising(text):
            return lines
        # a line is already normalised if it has no whitespace but single inner spaces
        # (every whitespace character but " " is non-printable); else split and join it
        up_to = _NORMALISE_UP_TO
        return [
            line if len(line) > up_to or (
                line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " "
            ) else " ".join(line.split())
            for line in lines
        ]

    def quiet(self, text: str) -> bool:
        """True if no line of ``text`` can match any rule, found with a few scans of the whole
        case-folded document (before it is split or normalised): no line starts with a literal
        head of a rule (see :func:`_heads`), no line ends with a literal tail of a suffix rule,
        and none of the needles of the other rules occurs.  The head and tail searches allow
        for the whitespace that normalising a line removes.  Lines whose first or last
        :data:`_HEAD_CHARS` characters (once normalised) include an unsafe character (one that
        may match an ASCII letter case-insensitively, see :func:`_character_classes`), where
        heads and tails prove nothing, are classified one by one.  False means: scan line by
        line."""
        gate = self._gate
        if gate is None:
            return False
        starts, ends, anywhere, spaced, needs_folding = gate
        if text.isascii():
            lowered = folded = "\n" + text.lower() + "\n"
        else:
            unsafe = self._unsafe.search
            if unsafe(text) is not None:
                needs_folding = True  # lower() and casefold() may differ on unsafe characters
                span = _HEAD_CHARS
                odd = []
                for line in text.split("\n"):
                    if unsafe(line) is not None:
                        line = " ".join(line.split()) if len(line) <= _NORMALISE_UP_TO else line
                        if line and (unsafe(line[:span]) is not None or unsafe(line[-span:]) is not None):
                            odd.append(line)
                if odd and any(self.kinds(odd)):
                    return False
            lowered = "\n" + text.lower() + "\n"
            # needles of ASCII and kept characters are found in the lower-cased text too when
            # every character is safe (no safe character folds to them, see _character_classes)
            folded = "\n" + text.casefold() + "\n" if needs_folding else lowered
        if starts is not None and starts.search(lowered):
            return False
        if ends is not None and ends.search(lowered[::-1]):
            return False
        for needle in anywhere:
            if needle in folded:
                return False
        return spaced is None or spaced.search(folded) is None

    def decide(
        self, lines: list[str], norm: list[str], kinds: list[Match | None]
    ) -> list[str | None] | None:
        """The category of every line the rules remove (None where kept), or None if they remove
        nothing; ``norm`` and ``kinds`` are :meth:`normalise` and :meth:`kinds` of ``lines``."""
        if not any(kinds):
            return None
        n = len(lines)
        removed: list[str | None] = [None] * n
        nonblank = [i for i in range(n) if norm[i]]

        # 1. strong lines
        for i in nonblank:
            k = kinds[i]
            if k is not None and k[0] != "item":
                removed[i] = k[1]

        if self.blocks:
            self._heading_blocks(norm, kinds, removed, nonblank)
            if self._menu:
                self._top_menu(norm, kinds, removed, nonblank)
            # weak items next to boilerplate or to each other
            weak = [False] * n
            for i in nonblank:
                k = kinds[i]
                weak[i] = k is not None and k[0] == "item"
            for pos, i in enumerate(nonblank):
                if removed[i] is not None or not weak[i]:
                    continue
                neighbours = []
                if pos > 0:
                    neighbours.append(nonblank[pos - 1])
                if pos + 1 < len(nonblank):
                    neighbours.append(nonblank[pos + 1])
                if any(weak[j] or removed[j] is not None for j in neighbours):
                    removed[i] = kinds[i][1]  # type: ignore[index]
        if not any(r is not None for r in removed):
            return None
        return removed

    def _heading_blocks(
        self, norm: list[str], kinds: list[tuple[str, str] | None], removed: list[str | None], nonblank: list[int]
    ) -> None:
        position = {i: p for p, i in enumerate(nonblank)}
        skip_until = -1
        for i in nonblank:
            k = kinds[i]
            if i <= skip_until or k is None or k[0] != "heading":
                continue
            p = position[i] + 1
            if p >= len(nonblank):
                continue
            tight = nonblank[p] == i + 1
            taken: list[int] = []
            prev = i
            while p < len(nonblank) and len(taken) < self.max_block_lines:
                j = nonblank[p]
                if tight and j != prev + 1:
                    break
                kj = kinds[j]
                if kj is None and not _headline_like(norm[j], 1 if tight else 3):
                    break
                taken.append(j)
                prev = j
                p += 1
            if taken:
                block = f"{k[1]}-block"
                removed[i] = block
                for j in taken:
                    removed[j] = block
                skip_until = taken[-1]

    def _top_menu(
        self, norm: list[str], kinds: list[tuple[str, str] | None], removed: list[str | None], nonblank: list[int]
    ) -> None:
        run: list[int] = []
        for i in nonblank:
            line = norm[i]
            short = (
                line.count(" ") < _MENU_MAX_WORDS
                and len(line) <= _MENU_MAX_CHARS
                and line[-1] not in ".!?,;:"
            )
            if not (short or removed[i] is not None):
                break
            run.append(i)
        matched = [i for i in run if kinds[i] is not None]
        if len(matched) < 2:
            return
        # Short lines after the last recognised entry are kept (one may be the headline),
        # unless the line after the whole run is itself a headline.
        end = matched[-1]
        after = nonblank[len(run)] if len(run) < len(nonblank) else None
        if after is not None and removed[after] is None and _headline_like(norm[after], 3):
            end = run[-1]
        for i in run:
            if i > end:
                break
            if removed[i] is None:
                removed[i] = "navigation"



_SPACE_RUN = r"[^\S\n]+"


def _trie(strings: Iterable[str]) -> str:
    """A regular expression matching wherever one of ``strings`` (normalised text) starts in
    text that is not normalised: a literal alternation factored as a trie, in which a space
    stands for a run of whitespace and a final ``"\\n"`` may have whitespace before it.  A
    string that has a shorter one as its prefix is left out.  Linear: every repetition is a
    run of whitespace followed by a character that is not whitespace, and the trie is finite."""
    tree: dict[str, Any] = {}
    for text in strings:
        node = tree
        for char in text:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        options = []
        for char, child in sorted(node.items()):
            if char == " ":
                options.append(_SPACE_RUN + render(child))
            elif char == "\n":
                options.append("[^\\S\\n]*\\n" + render(child))
            else:
                options.append(re.escape(char) + render(child))
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return render(tree)


def _line_start_search(strings: set[str]) -> Any:
    """A compiled search for a line (after a ``"\\n"``, maybe indented) starting with one of
    ``strings``; None if there are none.  Strings that a normalised line cannot start with
    (leading, doubled or trailing space) are left out."""
    usable = {t for t in strings if t and not t[0].isspace() and "  " not in t and " \n" not in t}
    if not usable:
        return None
    firsts = "".join(sorted({t[0] for t in usable}))
    return re.compile("\\n[^\\S\\n]*(?=[" + re.escape(firsts) + "])" + _trie(usable))


@functools.lru_cache(maxsize=64)
def _gate_cached(
    starts: frozenset[str], ends: frozenset[str], anywhere: frozenset[str]
) -> tuple[Any, Any, Any, Any, bool] | None:
    """(search for line heads, search for line tails in the reversed text, one-word needles,
    a search for the needles of several words (None if none), whether the needles must be
    searched in the case-folded text rather than the lower-cased one) for
    :meth:`RuleEngine.quiet`; None if some needle is only whitespace."""
    # a tail is searched as the start of a line in the reversed document
    pieces = set()
    spaced = set()
    for needle in anywhere:
        # A needle found in a normalised line is in the line as it was with runs of whitespace
        # (not line breaks) between its words, since normalising only changes whitespace: a
        # one-word needle is a substring test, the others one search for all of them (testing
        # only their longest word made " sign up here" a search for "sign", in most documents).
        parts = needle.split()
        if not parts:
            return None
        if len(parts) == 1:
            pieces.add(parts[0])
        else:
            spaced.add(tuple(parts))
    kept = _character_classes()[0]
    words = [*pieces, *(word for parts in spaced for word in parts)]
    needs_folding = any(not (c.isascii() or c in kept) for word in words for c in word)
    between = _SPACE_RUN
    return (
        _line_start_search(set(starts)),
        _line_start_search({t[::-1] for t in ends}),
        tuple(sorted(pieces)),
        re.compile("|".join(between.join(map(re.escape, parts)) for parts in sorted(spaced))) if spaced else None,
        needs_folding,
    )


def _needs_normalising(text: str) -> bool:
    """Whether some line of ``text`` differs from ``" ".join(line.split())``: it has whitespace
    other than single spaces between other characters (single characters first: those
    searches are the fastest)."""
    if text[:1] == " " or text[-1:] == " ":
        return True
    for odd in _ODD_SPACE_ASCII:
        if odd in text:
            return True
    if not text.isascii():
        for odd in _ODD_SPACE_OTHER:
            if odd in text:
                return True
    return "\n " in text or " \n" in text or "  " in text


def _headline_like(line: str, min_words: int) -> bool:
    """A short line that reads like a link title: no sentence punctuation at the end, not lower-case."""
    if len(line) > _HEADLINE_MAX_CHARS:
        return False
    words = line.count(" ") + 1
    if words < min_words or words > _HEADLINE_MAX_WORDS:
        return False
    first = line[0]
    if first.isalpha() and first.islower():
        return False
    if line[-1] in _NOT_HEADLINE_END and not line.endswith("..."):
        return False
    return any(ch.isalpha() for ch in line)

