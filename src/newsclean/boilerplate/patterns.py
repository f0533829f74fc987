"""Static analysis of boilerplate rule patterns, for fast matching.

A rule pattern is split into alternatives (``a|b|c``), and for each alternative
the analysis works out, from the standard library's parse of the pattern:
the longest text it can match, the characters a match can start and end with,
*needles* (strings every match contains), *heads* (literal strings every match
starts with, up to :data:`HEAD_CHARS` characters) and, for suffix rules,
*tails*.  :class:`~newsclean.boilerplate.rulematch.RuleEngine` uses them to try
each line against only the few alternatives that can match it and to prove,
with a few scans of a whole document, that no line can match any rule.

The analysis is pure (its result depends only on the pattern), so the results
for the rule packs shipped in the package are precomputed as data
(``data/rule_profiles.json``, rebuilt by ``training/build_rule_profiles.py``;
a test checks it is current): building a cleaner then parses no pattern.
Patterns from plugins and users are analysed when first used and cached.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
import warnings
from importlib import resources
from typing import Any

from ..rules import MAX_LINE_CHARS, compiled

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

__all__ = ["PROFILE_DATA", "analyse", "profiles_as_data"]

_PROPERTY = re.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")
#: how many leading characters of a line the literal-head test looks at (see :func:`_heads`)
_HEAD_CHARS = 12
_HEAD_LIMIT = 2048
_SAFE_BELOW = 0x3000


def _compile(kind: str, pattern: str) -> Any:
    """A rule (or one alternative of it) compiled as the engine matches it: :func:`newsclean.rules.compiled`."""
    return compiled(pattern, kind)


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


Profile = tuple[tuple[str, int, Any, Any, Any, Any, Any], ...]


@functools.lru_cache(maxsize=4096)
def _profile(kind: str, pattern: str) -> Profile:
    """(pattern, longest match, first characters, last characters, needles, heads, tails) per alternative
    of a rule; from the shipped data when the pattern is in it, else analysed here, and cached
    either way, so building many cleaners with the same rules is cheap.  The patterns are
    compiled only when a line first needs them (compiling is the expensive part)."""
    shipped = _shipped_profiles().get((kind, pattern))
    return shipped if shipped is not None else analyse(kind, pattern)


def analyse(kind: str, pattern: str) -> Profile:
    """:func:`_profile` worked out from the pattern itself (no shipped data)."""
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


PROFILE_DATA = "data/rule_profiles.json"


def profiles_as_data(entries: list[tuple[str, str]]) -> str:
    """The JSON text of ``data/rule_profiles.json`` for the (kind, pattern) ``entries``: the
    Unicode version the analysis ran under, then one object per rule, in the order given."""
    def plain(value: Any) -> Any:
        if isinstance(value, frozenset):
            return sorted(value)
        if isinstance(value, tuple):
            return list(value)
        return value

    lines = ["{", f'  "unicode": {json.dumps(unicodedata.unidata_version)},', '  "rules": [']
    for index, (kind, pattern) in enumerate(entries):
        alternatives = [[plain(v) for v in alt] for alt in analyse(kind, pattern)]
        comma = "," if index + 1 < len(entries) else ""
        lines.append("    " + json.dumps({"kind": kind, "pattern": pattern, "alternatives": alternatives},
                                          ensure_ascii=False) + comma)
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=1)
def _shipped_profiles() -> dict[tuple[str, str], Profile]:
    """The precomputed profiles of the shipped rule packs; empty when they were made under
    another Unicode version than this Python's (the head analysis depends on case data)."""
    try:
        raw = json.loads(resources.files(__package__).joinpath(PROFILE_DATA).read_text(encoding="utf-8"))
    except FileNotFoundError:  # pragma: no cover - a broken installation; analyse instead
        return {}
    if raw.get("unicode") != unicodedata.unidata_version:
        return {}

    def frozen(value: Any) -> Any:
        return None if value is None else frozenset(value)

    def tupled(value: Any) -> Any:
        return None if value is None else tuple(value)

    return {
        (entry["kind"], entry["pattern"]): tuple(
            (part, width, frozen(firsts), frozen(lasts), frozen(needles), tupled(heads), tupled(tails))
            for part, width, firsts, lasts, needles, heads, tails in entry["alternatives"]
        )
        for entry in raw["rules"]
    }


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


