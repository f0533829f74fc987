"""boilerplate: drop whole lines and blocks of lines that are site furniture.

Changes (whole lines only, never parts of a line):

- lines that match a boilerplate rule as a whole: "Advertisement", "Story
  continues below advertisement", "Skip to content", newsletter and
  subscribe prompts, cookie/consent notices, share and follow prompts,
  "Read more: …" link lines, app promos, paywall prompts, comment widgets,
  copyright / "All rights reserved" footers, wire credits ("Reporting by …;
  Editing by …") and photo credits;
- blocks, found by looking at a line's neighbours (option ``blocks``):

  * a heading such as "Related", "More from Business", "Recommended",
    "Most read", "Trending", "You may also like", "Topics" together with
    the run of short, headline-like lines under it (category ``<cat>-block``,
    e.g. ``related-block``);
  * a menu of short section names at the top of the document ("Home",
    "World", "Politics", "Business" …), up to its last recognised entry, so
    the article's headline after it stays (category ``navigation``);
  * weak lines (rule kind ``item``: "Facebook", "Twitter", "Email", "World",
    "Accept", "Contact us" …) when they sit next to other boilerplate — a
    share bar, a menu, a consent banner, a footer — but not on their own
    between article paragraphs.

After removing lines it does not pile up blank lines: the blank lines around
a removed line merge into the longest of the gaps that were there (at the
document's start and end, into the gap the document itself started or ended
with).  The result is a fixpoint: cleaning it again changes nothing.

Never touches: the text inside a kept line; article prose that merely
mentions a newsletter, cookies or sharing ("The company said its newsletter
reached 2 million readers." stays — rules match whole lines); sentences
ending in terminal punctuation under a "Related" heading (a block stops at
the first line that is not headline-like); lines longer than
:data:`newsclean.rules.MAX_LINE_CHARS` characters.

Example (``\n`` shown as line breaks)::

    Home                                     Mayor unveils flood plan
    World
    Politics                                 The plan costs $40 million.
    Mayor unveils flood plan          ->     Officials said work starts in May.

    The plan costs $40 million.
    Advertisement
    Share
    Facebook
    Twitter
    Officials said work starts in May.

The article's headline (the first line left after menus and whole-line
matches) is never dropped, even if it starts like a link line ("Watch: …").

Rules are data (:mod:`newsclean.rules`): the built-in packs plus whatever
plugins register through ``newsclean_register_rules``.  Options choose the
languages and switch categories on or off.  Explain mode reports every
removed line or block as one change whose category is the rule category.

Runs in linear time.  The fast path first looks at the whole document, before
splitting it: from the patterns (rules written as ``a|b|c`` are split into
alternatives) the cleaner works out, when it is built, the literal *heads*
every match of an alternative starts with ("advertisement", "share on ",
"(photo:", up to 12 characters, with the line's end as a final ``\n``), the
literal *tails* every match of a ``suffix`` rule ends with ("rights reserved"),
and, for the few alternatives with neither, *needles* one of which every match
contains ("|", "/").  One search of a literal trie over the lower-cased text
for a line start followed by a head (allowing for the whitespace normalising
removes), one over the reversed text for a tail and a few ``in`` tests decide
that no line can match, and the input object is returned unchanged; that is
almost every article.  Heads and tails prove something only about characters
that cannot match an ASCII letter case-insensitively (``ſ``, ``K``, ``İ``,
``ß``, ``ﬁ`` can), so lines with such characters at an end are classified one
by one first.  Otherwise every line is scanned, each tried only against the
precompiled rule alternatives that can match it at all — those whose longest
possible match is at least the line's length, whose possible first and last
characters are the line's, one of whose heads the line starts with (when its
start is safe) and one of whose required literals occurs in the case-folded
line — and short lines' results are remembered.  Property tests check that
all of this gives exactly the result of trying every rule on every line.
Every pattern is matched against one line of bounded length (lines over
:data:`~newsclean.rules.MAX_LINE_CHARS` characters are skipped), and the block
logic is a constant number of passes over the lines.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import regex

from ..cleaner import Change, Cleaner, Option
from ..errors import OptionError, suggest
from ..rules import MAX_LINE_CHARS, PREFIX_MAX_CHARS, Rule, builtin_rules

try:  # the standard library's pattern parser, used to analyse rules (widths, first characters)
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_REPEATS = tuple(
    getattr(_sre_constants, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_sre_constants, name)
)

__all__ = ["BoilerplateCleaner"]

_FLAGS = regex.IGNORECASE | regex.VERSION1
_NOT_HEADLINE_END = frozenset(".,;:")
_PROPERTY = re.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")
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
#: how many leading characters of a line the literal-head test looks at (see :func:`_heads`)
_HEAD_CHARS = 12
_HEAD_LIMIT = 2048
_SAFE_BELOW = 0x3000
_MENU_MAX_WORDS = 4
_MENU_MAX_CHARS = 40
_HEADLINE_MAX_WORDS = 20
_HEADLINE_MAX_CHARS = 160


def _check_languages(value: tuple[Any, ...]) -> str | None:
    if not value:
        return "give at least one language code (such as 'en') or '*'"
    if not all(isinstance(v, str) and v for v in value):
        return "language codes must be non-empty strings"
    return None


def _check_categories(value: tuple[Any, ...]) -> str | None:
    if not all(isinstance(v, str) and v for v in value):
        return "categories must be non-empty strings"
    return None


def _check_positive(value: int) -> str | None:
    return "must be 1 or more" if value < 1 else None


def _alternation(patterns: Sequence[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _anchor(kind: str, pattern: str) -> str:
    """The pattern as matched with ``.match`` on a normalised line."""
    if kind == "prefix":
        return f"(?:{pattern})"
    if kind == "suffix":
        return f"(?r)(?:{pattern})\\Z"  # reverse: anchored at the line's end
    return f"(?:{pattern})\\Z"


@functools.lru_cache(maxsize=8192)
def _compile(kind: str, pattern: str) -> Any:
    return regex.compile(_anchor(kind, pattern), _FLAGS)


class _LazyPattern:
    """A rule alternative compiled on its first ``match``: most alternatives that can match a
    line's length and edge characters are ruled out by their heads and needles and never run,
    and compiling with `regex` costs ~0.5 ms each (it was 0.1 s of warm-up in every process)."""

    def __init__(self, kind: str, pattern: str) -> None:
        self._key = (kind, pattern)

    def match(self, line: str) -> Any:
        compiled = _compile(*self._key)
        self.match = compiled.match  # type: ignore[method-assign]  # later calls go straight to it
        return compiled.match(line)


@functools.lru_cache(maxsize=4096)
def _profile(kind: str, pattern: str) -> tuple[tuple[Any, int, Any, Any, Any, Any, Any], ...]:
    """(pattern, longest match, first characters, last characters, needles, heads, tails) per alternative
    of a rule; cached, so building many cleaners with the same rules is cheap.  The patterns
    are compiled only when a line first needs them (compiling is the expensive part)."""
    result = []
    for part in _alternatives(pattern):
        firsts = None if kind == "suffix" else _edge_chars(part)
        lasts = None if kind == "prefix" else _edge_chars(part, last=True)
        if kind == "suffix":
            heads, tails = None, _heads(part, reverse=True)
        else:
            heads, tails = _heads(part, end=kind != "prefix"), None
        result.append((part, _max_width(part), firsts, lasts, _needles(part), heads, tails))
    return tuple(result)


_UNSPLITTABLE = re.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?\(|\(\?[a-zA-Z]+\)|\(\?\||\(\?[a-zA-Z-]*x")
_MAX_ALTERNATIVES = 64


def _scan_groups(pattern: str) -> tuple[list[int], dict[int, int]] | None:
    """Top-level ``|`` positions and matching ``)`` of each ``(``; None if unsure (nested sets)."""
    bars: list[int] = []
    close: dict[int, int] = {}
    stack: list[int] = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "[":
                return None
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                i = j
        elif c == "(":
            stack.append(i)
        elif c == ")":
            if not stack:
                return None
            close[stack.pop()] = i
        elif c == "|" and not stack:
            bars.append(i)
        i += 1
    if stack or in_class:
        return None
    return bars, close


def _alternatives(pattern: str, depth: int = 0) -> list[str]:
    """``pattern`` split into alternatives that together match exactly what it matches:
    ``a|b`` -> ``a``, ``b``; ``(?:a|b)c`` -> ``(?:a)c``, ``(?:b)c``.  Unsplittable -> ``[pattern]``."""
    if depth > 3 or _UNSPLITTABLE.search(pattern):
        return [pattern]
    scanned = _scan_groups(pattern)
    if scanned is None:
        return [pattern]
    bars, close = scanned
    if bars:
        edges = [-1, *bars, len(pattern)]
        pieces = [pattern[edges[k] + 1 : edges[k + 1]] for k in range(len(edges) - 1)]
        result = [alt for piece in pieces for alt in _alternatives(piece, depth + 1)]
    elif pattern.startswith("(?:") and 0 in close:
        end = close[0]
        rest = pattern[end + 1 :]
        if rest[:1] in ("?", "*", "+", "{"):
            return [pattern]
        inner = _alternatives(pattern[3:end], depth + 1)
        if len(inner) == 1:
            return [pattern]
        result = [f"(?:{alt}){rest}" for alt in inner]
    else:
        return [pattern]
    return result if len(result) <= _MAX_ALTERNATIVES else [pattern]


def _fold(char: str) -> str:
    """The key a line's edge character is looked up by (lower case, first of its case folding)."""
    return char.casefold()[:1]


@functools.lru_cache(maxsize=4096)
def _parsed(pattern: str) -> Any:
    """``pattern`` parsed by the standard library's parser, with ``\\p{..}`` classes replaced by
    a private-use placeholder character; None if that parser does not understand it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _sre_parse.parse(_PROPERTY.sub("\ue000", pattern))
    except Exception:  # syntax only the `regex` module knows
        return None


def _edge_chars(pattern: str, last: bool = False) -> frozenset[str] | None:
    """The case-folded characters a match of ``pattern`` can start (or end) with; None if any."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    try:
        chars, nullable = _edge_of(list(parsed), last)
    except Exception:  # unknown syntax: any character
        return None
    if chars is None or nullable or "\ue000" in chars:
        return None
    folded = set()
    for c in chars:
        for variant in (c, c.lower(), c.upper()):
            folded.add(_fold(variant))
    return frozenset(folded)


def _edge_of(items: list[Any], last: bool) -> tuple[set[str] | None, bool]:
    """First (or last) characters of a parsed sequence, and whether it can match the empty string."""
    constants = _sre_constants
    result: set[str] = set()
    for op, arg in reversed(items) if last else items:
        if op is constants.LITERAL:
            result.add(chr(arg))
            return result, False
        if op is constants.IN:
            for set_op, set_arg in arg:
                if set_op is constants.LITERAL:
                    result.add(chr(set_arg))
                elif set_op is constants.RANGE and set_arg[1] - set_arg[0] <= 256:
                    result.update(chr(c) for c in range(set_arg[0], set_arg[1] + 1))
                else:
                    return None, False
            return result, False
        if op is constants.BRANCH:
            nullable = False
            for branch in arg[1]:
                chars, empty = _edge_of(list(branch), last)
                if chars is None:
                    return None, False
                result |= chars
                nullable = nullable or empty
            if not nullable:
                return result, False
            continue
        if op is constants.SUBPATTERN:
            chars, empty = _edge_of(list(arg[-1]), last)
        elif op in _REPEATS:
            chars, empty = _edge_of(list(arg[2]), last)
            empty = empty or arg[0] == 0
        elif op is constants.AT or op in (constants.ASSERT, constants.ASSERT_NOT):
            continue
        else:
            return None, False
        if chars is None:
            return None, False
        result |= chars
        if not empty:
            return result, False
    return result, True


def _needles(pattern: str) -> frozenset[str] | None:
    """A few case-folded strings of which every match of ``pattern`` contains at least one
    (a cheap ``in`` test before the regular expression), or None if no useful set is known."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    try:
        found = _required(list(parsed))
    except Exception:  # unknown syntax: no shortcut
        return None
    if not found or any("\ue000" in n or not n for n in found):
        return None
    return frozenset(found)


def _needle_cost(needles: frozenset[str]) -> tuple[int, int]:
    """Lower is better: few needles, each long or made of rare (non-alphanumeric) characters."""
    shortest = min(len(n) if any(c.isalnum() for c in n) else 10 for n in needles)
    return (len(needles), -shortest)


def _required(items: list[Any]) -> frozenset[str] | None:
    """Needles for a parsed sequence: the best of those of its mandatory parts."""
    constants = _sre_constants
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        # the longest stretch of the run without a placeholder for a \\p{...} class
        text = max("".join(run).casefold().split("\ue000"), key=len)
        if len(text.strip()) >= 3 or (text.strip() and not any(c.isalnum() for c in text)):
            options.append(frozenset([text]))
        run.clear()

    for op, arg in items:
        if op is constants.LITERAL:
            run.append(chr(arg))
            continue
        close_run()
        if op is constants.IN:
            chars = [chr(a) for o, a in arg if o is constants.LITERAL]
            if len(chars) == len(arg) and len(chars) <= 4 and not any(c.isalnum() or c.isspace() for c in chars):
                options.append(frozenset(chars))
        elif op is constants.SUBPATTERN:
            sub = _required(list(arg[-1]))
            if sub:
                options.append(sub)
        elif op in _REPEATS and arg[0] >= 1:
            sub = _required(list(arg[2]))
            if sub:
                options.append(sub)
        elif op is constants.BRANCH:
            subs = [_required(list(branch)) for branch in arg[1]]
            if all(subs):
                union = frozenset().union(*subs)  # type: ignore[arg-type]
                if len(union) <= 4:
                    options.append(union)
    close_run()
    useful = [o for o in options if _needle_cost(o)[0] <= 4 and -_needle_cost(o)[1] >= 3]
    return min(useful, key=_needle_cost) if useful else None


@functools.lru_cache(maxsize=8192)
def _heads(pattern: str, end: bool = False, reverse: bool = False) -> tuple[str, ...] | None:
    """Lower-case strings (at most :data:`_HEAD_CHARS` long) one of which every match of
    ``pattern`` starts with (``reverse``: ends with), valid for a line whose first (last)
    :data:`_HEAD_CHARS` characters are safe (see :func:`_character_classes`): then the
    lower-cased line starts (ends) with one of them.  None if no such set is known.
    ``end``: the pattern must also reach the end of the line, written as a ``"\\n"`` after it.

    Why: in safe text a case-insensitive match of an ASCII pattern character consumes exactly
    one ASCII character equal to it in lower case (no ``ß`` = ``ss``, Kelvin sign = ``k`` or
    ``İ`` = ``i`` folding can be involved: those characters are unsafe), and a *kept*
    non-ASCII pattern character (no case, no case form of another character) is matched
    only by itself.  So each string is cut before its first (last) other non-ASCII character."""
    if _scan_groups(pattern) is None:  # nested sets: the standard parser may misread them
        return None
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    items = list(parsed)
    if end:
        items.append((_sre_constants.LITERAL, ord("\n")))
    try:
        found, _complete = _expand(items, {""}, reverse)
    except Exception:  # unknown syntax: no shortcut
        return None
    heads = set()
    for text in found:
        chars = text[::-1] if reverse else text
        cut = len(chars)
        for pos, char in enumerate(chars):
            if not char.isascii() and char not in _character_classes()[0]:
                cut = pos
                break
        head = chars[:min(cut, _HEAD_CHARS)].lower()
        if not head:
            return None
        heads.add(head[::-1] if reverse else head)
    if not heads:
        return None
    return _drop_covered(heads, reverse)


def _drop_covered(strings: set[str], reverse: bool = False) -> tuple[str, ...]:
    """``strings`` without those that start (``reverse``: end) with another of them, sorted.

    In sorted order the strings starting with ``s`` directly follow ``s``, so one pass that
    remembers the last string kept finds them all.  (Sets have up to :data:`_HEAD_LIMIT`
    strings; the pairwise test took 0.016 s of the cleaner's 0.13 s set-up.)"""
    keyed = sorted(h[::-1] for h in strings) if reverse else sorted(strings)
    kept: list[str] = []
    for key in keyed:
        if not (kept and key.startswith(kept[-1])):
            kept.append(key)
    return tuple(sorted(k[::-1] for k in kept)) if reverse else tuple(kept)


_ASCII_CHAR = re.compile("[\x00-\x7f]")


def _case_forms(char: str) -> str:
    return char.lower() + char.upper() + char.casefold() + char.title()


@functools.lru_cache(maxsize=1)
def _character_classes() -> tuple[frozenset[str], Any]:
    """(non-ASCII characters a head or tail may contain, search for a character that makes
    the head test unsafe in a line).

    A *safe* text character is an ASCII one, or one below U+3000 that is assigned (so its
    case mappings are fixed by Unicode's stability policies) none of whose case forms
    contains an ASCII character: it cannot match an ASCII pattern character case-
    insensitively, not even as part of a multi-character folding such as ``ß`` = ``ss``.
    A non-ASCII pattern character is *kept* in a head if it has no case (all its case forms
    are itself) and is no case form of another character below U+3000: then only that very
    character matches it."""
    targets: set[str] = set()  # characters that are a case form of another character
    safe = []
    caseless = []  # safe characters whose case forms are all themselves
    for code in range(0x80, _SAFE_BELOW):
        char = chr(code)
        forms = _case_forms(char)
        if forms == char * 4:  # most characters here: no case, no other forms, not ASCII
            if unicodedata.category(char) != "Cn":
                safe.append(code)
                caseless.append(char)
            continue
        targets.update(forms.replace(char, ""))
        if unicodedata.category(char) != "Cn" and _ASCII_CHAR.search(forms) is None:
            safe.append(code)
    kept = frozenset(char for char in caseless if char not in targets)
    ranges = []
    for code in safe:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    body = "".join(
        f"{re.escape(chr(a))}-{re.escape(chr(b))}" if a != b else re.escape(chr(a)) for a, b in ranges
    )
    return kept, re.compile("[^\\x00-\\x7f" + body + "]")


def _expand(items: list[Any], acc: set[str], reverse: bool) -> tuple[set[str], bool]:
    """The literal strings (cut to :data:`_HEAD_CHARS`) a parsed sequence can start with (end
    with, built backwards, when ``reverse``), each after one of ``acc``, and whether they are
    complete (every match is exactly one of them, or starts with one that is already
    :data:`_HEAD_CHARS` long, so that appending more changes nothing)."""
    if reverse:
        items = items[::-1]
    for index, (op, arg) in enumerate(items):
        if op in _REPEATS and arg[0] == 0:
            body, complete = _expand(list(arg[2]), {""}, reverse)
            if arg[1] == 1 and complete:
                step: tuple[set[str], bool] | None = (body | {""}, True)
            else:
                # a match starts with the repeated part or, skipping it, with what follows
                rest_items = items[index + 1 :]
                rest, _ = _expand(rest_items[::-1] if reverse else rest_items, {""}, reverse)
                joined = _join(acc, body | rest, reverse)
                return (acc if joined is None else joined), False
        else:
            step = _expand_item(op, arg, reverse)
        if step is None:
            return acc, False
        strings, complete = step
        joined = _join(acc, strings, reverse)
        if joined is None:  # too many strings: stop here
            return acc, False
        if not complete:
            return joined, False
        if all(len(a) >= _HEAD_CHARS for a in joined):  # nothing more can be added
            return joined, True
        acc = joined
    return acc, True


def _join(acc: set[str], strings: set[str], reverse: bool) -> set[str] | None:
    """Every string of ``acc`` followed (``reverse``: preceded) by one of ``strings``, cut to
    :data:`_HEAD_CHARS`; None if that is too many."""
    if len(acc) * len(strings) > _HEAD_LIMIT * 64:
        return None
    if reverse:
        joined = {(s + a)[-_HEAD_CHARS:] if len(a) < _HEAD_CHARS else a for a in acc for s in strings}
    else:
        joined = {(a + s)[:_HEAD_CHARS] if len(a) < _HEAD_CHARS else a for a in acc for s in strings}
    return None if len(joined) > _HEAD_LIMIT else joined


def _expand_item(op: Any, arg: Any, reverse: bool) -> tuple[set[str], bool] | None:
    """(strings, complete) for one parsed item (not an optional repeat), or None if it can
    start with anything."""
    constants = _sre_constants
    if op is constants.LITERAL:
        char = chr(arg)
        return None if char == "\ue000" else ({char}, True)
    if op is constants.IN:
        chars = set()
        for set_op, set_arg in arg:
            if set_op is constants.LITERAL and chr(set_arg) != "\ue000":
                chars.add(chr(set_arg))
            elif set_op is constants.RANGE and set_arg[1] - set_arg[0] < 64 and not (
                set_arg[0] <= 0xE000 <= set_arg[1]
            ):
                chars.update(map(chr, range(set_arg[0], set_arg[1] + 1)))
            else:
                return None
        return (chars, True) if chars else None
    if op is constants.SUBPATTERN:
        return _expand(list(arg[-1]), {""}, reverse)
    if op is constants.BRANCH:
        union: set[str] = set()
        complete = True
        for branch in arg[1]:
            strings, done = _expand(list(branch), {""}, reverse)
            union |= strings
            complete = complete and done
        return union, complete
    if op in _REPEATS:  # at least once
        low, high, body = arg
        strings, complete = _expand(list(body), {""}, reverse)
        return (strings, True) if complete and low == high == 1 else (strings, False)
    if op is constants.AT or op in (constants.ASSERT, constants.ASSERT_NOT):
        return {""}, True  # zero-width
    return None


def _max_width(pattern: str) -> int:
    """Longest text ``pattern`` can match (``MAX_LINE_CHARS`` if unknown): lines longer skip the rule."""
    parsed = _parsed(pattern)
    if parsed is None:
        return MAX_LINE_CHARS
    try:
        width = parsed.getwidth()[1]
    except Exception:  # syntax only the `regex` module knows: assume the worst
        return MAX_LINE_CHARS
    return min(int(width), MAX_LINE_CHARS)


class BoilerplateCleaner(Cleaner):
    name = "boilerplate"
    description = "Drop lines and blocks of site furniture: ads, menus, share bars, related links, footers, credits."
    order = 700
    options = {
        "languages": Option(("en",), "languages whose rules apply ('*' rules always apply)", check=_check_languages),
        "categories": Option((), "only these rule categories (empty: all)", check=_check_categories),
        "exclude_categories": Option((), "rule categories switched off", check=_check_categories),
        "blocks": Option(True, "also drop related-link blocks, top menus and share bars by looking at neighbours"),
        "max_block_lines": Option(30, "most lines a heading block may take with it", check=_check_positive),
    }
    languages: tuple[str, ...]
    categories: tuple[str, ...]
    exclude_categories: tuple[str, ...]
    blocks: bool
    max_block_lines: int

    def __init__(self, *, rules: Iterable[Rule] | None = None, **options: Any) -> None:
        """``rules`` defaults to :func:`~newsclean.rules.builtin_rules`; pipelines pass the registry's rules."""
        chosen = builtin_rules() if rules is None else list(rules)
        for rule in chosen:
            if not isinstance(rule, Rule):
                raise OptionError(f"cleaner 'boilerplate' expects Rule objects as rules, got {rule!r}")
        object.__setattr__(self, "_rules", tuple(dict.fromkeys(chosen)))
        super().__init__(**options)

    @classmethod
    def build(cls, options: Mapping[str, Any], rules: Sequence[Any] = ()) -> BoilerplateCleaner:
        """Construct with the registry's rules (which include the built-in packs)."""
        return cls(rules=rules, **options)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule this instance was given (before language and category filtering)."""
        return self._rules  # type: ignore[attr-defined,no-any-return]

    def setup(self) -> None:
        rules: tuple[Rule, ...] = self._rules  # type: ignore[attr-defined]
        known_categories = {r.category for r in rules}
        for option in ("categories", "exclude_categories"):
            for category in getattr(self, option):
                if category not in known_categories:
                    valid = ", ".join(sorted(known_categories)) or "(no rules loaded)"
                    raise OptionError(
                        f"option boilerplate.{option}: unknown category {category!r}"
                        f"{suggest(category, known_categories)}; valid categories: {valid}"
                    )
        known_languages = {r.language for r in rules} - {"*"}
        explicit = self.languages != self.options["languages"].default
        for language in self.languages:
            if explicit and language != "*" and language not in known_languages:
                valid = ", ".join(sorted(known_languages)) or "(no rules loaded)"
                raise OptionError(
                    f"option boilerplate.languages: no rules for language {language!r}; available: {valid}"
                )
        wanted_languages = set(self.languages)
        active = [
            r for r in rules
            if (r.language == "*" or "*" in wanted_languages or r.language in wanted_languages)
            and (not self.categories or r.category in self.categories)
            and r.category not in self.exclude_categories
        ]
        by_kind: dict[str, list[Rule]] = {"line": [], "prefix": [], "suffix": [], "heading": [], "item": []}
        for rule in active:
            by_kind[rule.kind].append(rule)
        if not self.blocks:
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
        for kind, kind_rules in by_kind.items():
            for r in kind_rules:
                for matcher, width, firsts, lasts, needles, heads, tails in _profile(kind, r.pattern):
                    profiles.append((kind, matcher, r.category, width, firsts, lasts, needles, heads))
                    if heads is not None:
                        starts.update(heads)
                    elif tails is not None:
                        ends.update(tails)
                    elif needles is not None:
                        anywhere.update(needles)
                    else:
                        checkable = False
        self._set("_profiles", tuple(profiles))
        self._set("_unsafe", _character_classes()[1])
        self._set("_gate", _gate(starts, ends, anywhere) if checkable else None)
        self._set("_cache", {})
        self._set("_memo", {})
        self._set("_active", {kind: tuple((r.pattern, r.category) for r in rules) for kind, rules in by_kind.items()})
        self._set("_menu", self.blocks and "navigation" not in self.exclude_categories
                  and (not self.categories or "navigation" in self.categories))

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.rules == other.rules  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return super().__hash__()

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state["_cache"] = {}  # compiled lazily again in the receiving process
        state["_memo"] = {}
        return state

    # -- cleaning ---------------------------------------------------------------------

    def clean(self, text: str) -> str:
        if self._quiet(text):
            return text
        lines = text.split("\n")
        removed = self._decide(lines, text)
        if removed is None:
            return text
        keep = self._keep_mask(lines, removed)
        return "\n".join([line for line, kept in zip(lines, keep, strict=True) if kept])

    def explain(self, text: str) -> tuple[str, list[Change]]:
        if self._quiet(text):
            return text, []
        lines = text.split("\n")
        removed = self._decide(lines, text)
        if removed is None:
            return text, []
        keep = self._keep_mask(lines, removed)
        result = "\n".join([line for line, kept in zip(lines, keep, strict=True) if kept])
        return result, _changes(text, lines, keep, removed)

    # -- the decision -----------------------------------------------------------------

    def _rule_matchers(self) -> dict[str, tuple[tuple[Any, str], ...]]:
        """Every active rule compiled whole, per kind, in order (the slow reference the
        dispatch in :meth:`_classify` must agree with; used by the tests)."""
        return {
            kind: tuple((_compile(kind, pattern), category) for pattern, category in entries)
            for kind, entries in self._active.items()  # type: ignore[attr-defined]
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
        cache: dict[Any, tuple[tuple[str, ...], tuple[Any, ...], tuple[Any, ...]]] = self._cache  # type: ignore[attr-defined]
        found = cache.get(key)
        if found is None:
            # the head test compares lower-cased heads with the line's lower-cased start
            start = first.lower()
            first, last = _fold(first), _fold(last)
            lower = _BUCKETS[bucket - 1] if bucket else 0
            chosen: dict[str, list[tuple[str, Any, str, Any, Any]]] = {kind: [] for kind in _KIND_ORDER}
            for kind, compiled, category, width, firsts, lasts, needles, heads in self._profiles:  # type: ignore[attr-defined]
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

    def _classify(self, line: str) -> tuple[str, str] | None:
        """(kind, category) of the first rule that matches the normalised line, else None."""
        return self._kinds([line])[0]

    def _kinds(self, norm: list[str]) -> list[tuple[str, str] | None]:
        """:meth:`_classify` of every normalised line (None for blank ones), in one loop.

        Per line: the candidates of its length bucket and edge characters; if the line's
        first :data:`_HEAD_CHARS` characters are ASCII and start with none of the literal
        heads of those candidates, only the candidates without heads are tried; then each
        candidate's head and needles are tested before its regular expression."""
        entry_of = self._entry
        cache: dict[Any, Any] = self._cache  # type: ignore[attr-defined]
        bucket_of = _BUCKET_OF
        limit = MAX_LINE_CHARS
        span = _HEAD_CHARS
        unsafe = self._unsafe.search  # type: ignore[attr-defined]
        memo: dict[str, tuple[str, str] | None] = self._memo  # type: ignore[attr-defined]
        kinds: list[tuple[str, str] | None] = []
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
                    result = (kind, category)
                    break
            if size <= _MEMO_CHARS and len(memo) < _MEMO_LIMIT:
                memo[line] = result
            append(result)
        return kinds

    def _normalise(self, text: str, lines: list[str]) -> list[str]:
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

    def _quiet(self, text: str) -> bool:
        """True if no line of ``text`` can match any rule, found with a few scans of the whole
        case-folded document (before it is split or normalised): no line starts with a literal
        head of a rule (see :func:`_heads`), no line ends with a literal tail of a suffix rule,
        and none of the needles of the other rules occurs.  The head and tail searches allow
        for the whitespace that normalising a line removes.  Lines whose first or last
        :data:`_HEAD_CHARS` characters (once normalised) include an unsafe character (one that
        may match an ASCII letter case-insensitively, see :func:`_character_classes`), where
        heads and tails prove nothing, are classified one by one.  False means: scan line by
        line."""
        gate = self._gate  # type: ignore[attr-defined]
        if gate is None:
            return False
        starts, ends, anywhere, needs_folding = gate
        if text.isascii():
            lowered = folded = "\n" + text.lower() + "\n"
        else:
            unsafe = self._unsafe.search  # type: ignore[attr-defined]
            if unsafe(text) is not None:
                needs_folding = True  # lower() and casefold() may differ on unsafe characters
                span = _HEAD_CHARS
                odd = []
                for line in text.split("\n"):
                    if unsafe(line) is not None:
                        line = " ".join(line.split()) if len(line) <= _NORMALISE_UP_TO else line
                        if line and (unsafe(line[:span]) is not None or unsafe(line[-span:]) is not None):
                            odd.append(line)
                if odd and any(self._kinds(odd)):
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
        return True

    def _decide(self, lines: list[str], text: str | None = None) -> list[str | None] | None:
        """The category of every removed line (None where kept), or None if nothing is removed."""
        # (After the document-level check in :meth:`clean`, :meth:`_quiet`.)  The scan: each line
        # is tried only against the few precompiled rules that fit its length, first/last
        # character and literal head; nothing matched means the text is returned as it is.
        if text is None:
            text = "\n".join(lines)
        norm = self._normalise(text, lines)
        kinds = self._kinds(norm)
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
            if self._menu:  # type: ignore[attr-defined]
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
        # The article's headline (the first line not removed as a whole-line match, block,
        # menu or share bar) stays even if it starts like a "Watch: …" link line.
        for i in nonblank:
            k = kinds[i]
            if removed[i] is None:
                break
            if k is not None and k[0] in ("prefix", "suffix") and removed[i] == k[1]:
                removed[i] = None
                break
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

    # -- the result -------------------------------------------------------------------

    @staticmethod
    def _keep_mask(lines: list[str], removed: list[str | None]) -> list[bool]:
        """Which lines survive: removed lines go, and blank lines around them merge."""
        n = len(lines)
        keep = [r is None for r in removed]
        blank = [not line.strip() for line in lines]
        i = 0
        while i < n:
            if not (blank[i] or removed[i] is not None):
                i += 1
                continue
            j = i
            while j < n and (blank[j] or removed[j] is not None):
                j += 1
            # lines i..j-1 are a gap between kept text (or the document's ends)
            if any(removed[k] is not None for k in range(i, j)):
                runs: list[list[int]] = [[]]
                for k in range(i, j):
                    if removed[k] is not None:
                        if runs[-1]:
                            runs.append([])
                    else:
                        runs[-1].append(k)
                runs = [r for r in runs if r]
                if i == 0 and j == n:
                    chosen: list[int] = []
                elif i == 0:
                    chosen = runs[0] if runs and runs[0][0] == 0 else []
                elif j == n:
                    chosen = runs[-1] if runs and runs[-1][-1] == n - 1 else []
                else:
                    chosen = max(runs, key=len) if runs else []
                chosen_set = set(chosen)
                for k in range(i, j):
                    keep[k] = k in chosen_set
            i = j
        return keep


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
) -> tuple[Any, Any, Any, bool] | None:
    # a tail is searched as the start of a line in the reversed document
    pieces = set()
    for needle in anywhere:
        # a needle found in a normalised line: its longest stretch without whitespace is in
        # the line as it was (normalising only changes whitespace)
        parts = needle.split()
        if not parts:
            return None
        pieces.add(max(parts, key=len))
    kept = _character_classes()[0]
    needs_folding = any(not (c.isascii() or c in kept) for piece in pieces for c in piece)
    return (
        _line_start_search(set(starts)),
        _line_start_search({t[::-1] for t in ends}),
        tuple(sorted(pieces)),
        needs_folding,
    )


def _gate(starts: set[str], ends: set[str], anywhere: set[str]) -> tuple[Any, Any, Any, bool] | None:
    """(search for line heads, search for line tails in the reversed text, needles, whether
    the needles must be searched in the case-folded text rather than the lower-cased one)
    for :meth:`BoilerplateCleaner._quiet`; None if some needle is only whitespace."""
    return _gate_cached(frozenset(starts), frozenset(ends), frozenset(anywhere))


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


def _changes(text: str, lines: list[str], keep: list[bool], removed: list[str | None]) -> list[Change]:
    """One change per contiguous removed stretch of one category (blank lines join their neighbour)."""
    n = len(lines)
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    categories: list[str | None] = [None] * n
    last: str | None = None
    for i in range(n):
        if keep[i]:
            last = None
            continue
        categories[i] = removed[i] or last
        last = categories[i]
    # blank lines at the start of a stretch take the category of what follows
    following: str | None = None
    for i in range(n - 1, -1, -1):
        if keep[i]:
            following = None
            continue
        if categories[i] is None:
            categories[i] = following or "boilerplate"
        following = categories[i]
    kept = [i for i in range(n) if keep[i]]
    first_kept, last_kept = (kept[0], kept[-1]) if kept else (n, -1)
    changes: list[Change] = []
    i = 0
    while i < n:
        if keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and not keep[j + 1] and categories[j + 1] == categories[i]:
            j += 1
        if last_kept < i and first_kept < i:
            start, end = offsets[i] - 1, offsets[j] + len(lines[j])
        else:
            start, end = offsets[i], min(offsets[j] + len(lines[j]) + 1, len(text))
        changes.append(Change(start, text[start:end], "", categories[i]))  # type: ignore[arg-type]
        i = j + 1
    return changes

