"""Is a rule's pattern safe to run on every line of millions of documents?

A pattern that backtracks catastrophically can take minutes, or forever, on
one unlucky line: ``(a|a)+(?:b|!!)`` needs 14 s for 26 characters.  Rules
from plugins and users are therefore checked when they are loaded, in two
steps (:func:`check_pattern`):

1. **Structure.**  A repetition of more than :data:`MAX_AMBIGUOUS_REPEAT`
   (``+``, ``*``, ``{2,}``) whose body can split the same text in more than
   one way is refused: alternatives that can match the same text
   (``(a|a)+``, ``(a|ab|b)+``, ``(\\w+|\\d+)*``) and inner repetitions that
   can run into what follows them (``(a+)+``, ``(\\w+\\s?)*``, ``(.*,)+``).
   Possessive repetitions and atomic groups never backtrack and pass.
2. **Time.**  The pattern, anchored as the boilerplate cleaner anchors it
   (:func:`~newsclean.rules.anchored`), is run with the ``regex`` module's
   ``timeout`` on lines of :data:`~newsclean.rules.MAX_LINE_CHARS` characters
   built to make it backtrack: each repeated part pumped, then a character
   that makes the match fail.  A pattern that takes longer than
   :data:`PROBE_SECONDS` on one of them is refused as too slow.  This also
   catches what the structural check cannot see (polynomial blow-ups, the
   ``regex`` module's own syntax).

Both checks say what is wrong with the pattern; :func:`newsclean.rules.rules_from_data`
adds the file and the rule number.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
from collections.abc import Iterator
from typing import Any

import regex

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import re._constants as _sre
    import re._parser as _parser
else:  # pragma: no cover - exercised on Python 3.10 only
    import sre_constants as _sre
    import sre_parse as _parser

__all__ = ["MAX_AMBIGUOUS_REPEAT", "PROBE_SECONDS", "check_pattern"]

#: a repetition allowed to repeat more often than this must split its text in only one way
MAX_AMBIGUOUS_REPEAT = 16
#: the longest one probe of a pattern on one crafted line may take
PROBE_SECONDS = 0.05
_MAX_PROBES = 48
_FAIL = "\x00"

_REPEATS = {getattr(_sre, n) for n in ("MAX_REPEAT", "MIN_REPEAT") if hasattr(_sre, n)}
_POSSESSIVE = getattr(_sre, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)
_ZERO_WIDTH = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT}

# Characters the structural check reasons about: ASCII, Latin-1 and a few from other scripts
# (the pattern's own literals are added per pattern).
_UNIVERSE = frozenset(
    [chr(c) for c in range(32, 127)] + ["\t", "\x00", "\xa0", "é", "ß", "Ж", "中", "٣", "’", "—", "İ", "K"]
)

# `regex` syntax the standard parser does not know, replaced by an approximation for the check.
_REGEX_ONLY = re.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]|\\[mM]|\(\?[rVfwbe01]+\)")


def check_pattern(pattern: str, kind: str = "line") -> None:
    """Raise :class:`~newsclean.errors.ConfigError` if ``pattern`` may backtrack catastrophically.

    ``kind`` is the rule kind (it decides how the pattern is anchored).  The
    verdict is cached per pattern and kind.
    """
    problem = _verdict(pattern, kind)
    if problem:
        raise ConfigError(f"boilerplate rule {pattern!r} {problem}")


@functools.lru_cache(maxsize=4096)
def _verdict(pattern: str, kind: str) -> str:
    tree = _parse(pattern)
    if tree is not None:
        problem = _Analysis(tree, pattern).problem()
        if problem:
            return problem
    return _probe(pattern, kind, tree)


def _parse(pattern: str) -> Any:
    def approximate(match: re.Match[str]) -> str:
        text = match.group()
        if text[:2] in ("\\p", "\\P"):
            return "\\w" if text[1] == "p" else "\\W"
        return "\\b" if text[1] in "mM" else ""

    try:
        return _parser.parse(_REGEX_ONLY.sub(approximate, pattern), re.IGNORECASE)
    except Exception:  # syntax only `regex` knows (fuzzy matching, named lists): the probe still runs
        return None


# -- structure --------------------------------------------------------------------------------------


class _Analysis:
    """Character sets, nullability and ambiguity of a parsed pattern (case-insensitive)."""

    def __init__(self, tree: Any, pattern: str) -> None:
        self.tree = tree
        literals = {c for c in pattern if c.isprintable()}
        self.universe = frozenset(
            _UNIVERSE | literals | {c.lower() for c in literals} | {c.upper() for c in literals if len(c.upper()) == 1}
        )

    # Sets of characters over self.universe --------------------------------------------------------

    def _leaf(self, op: Any, av: Any) -> frozenset[str] | None:
        """Characters one single-character item matches, or None if it is not one."""
        if op is _sre.LITERAL:
            return frozenset(c for c in self.universe if _same(c, chr(av)))
        if op is _sre.NOT_LITERAL:
            return frozenset(c for c in self.universe if not _same(c, chr(av)))
        if op is _sre.ANY:
            return frozenset(c for c in self.universe if c != "\n")
        if op is _sre.IN:
            negate = any(item_op is _sre.NEGATE for item_op, _ in av)
            inside = frozenset(c for c in self.universe if any(_in_class(c, av, v) for v in _variants(c)))
            return self.universe - inside if negate else inside
        return None

    def first(self, seq: Any) -> frozenset[str]:
        """Characters a match of ``seq`` can start with."""
        found: set[str] = set()
        for op, av in seq:
            found |= self._first_item(op, av)
            if not self._nullable_item(op, av):
                break
        return frozenset(found)

    def _first_item(self, op: Any, av: Any) -> frozenset[str]:
        leaf = self._leaf(op, av)
        if leaf is not None:
            return leaf
        children = _children(op, av)
        if children is not None:  # a branch: any alternative's; a group or repetition: its body's
            return frozenset().union(*(self.first(child) for child in children))
        return frozenset() if op in _ZERO_WIDTH else self.universe  # back-references: anything

    def chars(self, seq: Any) -> frozenset[str]:
        """Every character a match of ``seq`` can contain."""
        found: set[str] = set()
        for op, av in seq:
            leaf = self._leaf(op, av)
            children = _children(op, av)
            if leaf is not None:
                found |= leaf
            elif children is not None:
                for child in children:
                    found |= self.chars(child)
            elif op not in _ZERO_WIDTH:
                return self.universe
        return frozenset(found)

    def nullable(self, seq: Any) -> bool:
        return all(self._nullable_item(op, av) for op, av in seq)

    def _nullable_item(self, op: Any, av: Any) -> bool:
        if self._leaf(op, av) is not None:
            return False
        if op in _REPEATS or op is _POSSESSIVE:
            return av[0] == 0 or self.nullable(av[2])
        children = _children(op, av)
        if children is not None:
            return any(self.nullable(child) for child in children)
        return True  # zero-width, back-references, conditionals

    # The check ------------------------------------------------------------------------------------

    def problem(self) -> str:
        for repeat in self._large_repeats(self.tree):
            body = repeat[2]
            if _single_character(body):
                continue
            found = self._ambiguity(body, self.first(body))
            if found:
                return f"may take exponential time: {found}, inside a repetition of up to {_count(repeat[1])}"
        return ""

    def _large_repeats(self, seq: Any) -> Iterator[Any]:
        for op, av in seq:
            if op in _REPEATS:
                if av[1] > MAX_AMBIGUOUS_REPEAT:
                    yield av
                yield from self._large_repeats(av[2])
            elif op is _sre.SUBPATTERN:
                yield from self._large_repeats(av[-1])
            elif op is _sre.BRANCH:
                for alt in av[1]:
                    yield from self._large_repeats(alt)
            elif op is _sre.GROUPREF_EXISTS:
                for alt in av[1:]:
                    if alt is not None:
                        yield from self._large_repeats(alt)
            elif op is _POSSESSIVE:  # never backtracks into itself, but what it contains may
                yield from self._large_repeats(av[2])
            elif op is _ATOMIC:
                yield from self._large_repeats(av)

    def _ambiguity(self, seq: Any, after: frozenset[str]) -> str:
        """Why ``seq`` (followed by a character of ``after``) can match one text in two ways, or ''."""
        for i, (op, av) in enumerate(seq):
            rest = seq[i + 1 :]
            follow = self.first(rest) | (after if self.nullable(rest) else frozenset())
            if op is _sre.SUBPATTERN:
                found = self._ambiguity(av[-1], follow)
            elif op is _sre.BRANCH:
                found = self._branch_ambiguity(av[1], follow)
            elif op in _REPEATS:
                body = av[2]
                overlap = self.chars(body) & follow if av[1] >= 2 else frozenset()
                if overlap:
                    return f"a repeated part can also match what follows it ({_show_chars(overlap)})"
                found = self._ambiguity(body, follow | self.first(body))
            else:
                found = ""
            if found:
                return found
        return ""

    def _branch_ambiguity(self, alternatives: Any, follow: frozenset[str]) -> str:
        for i, a in enumerate(alternatives):
            for b in alternatives[i + 1 :]:
                if self._overlap(a, b, follow):
                    return "two alternatives can match the same text"
            found = self._ambiguity(a, follow)
            if found:
                return found
        return ""

    def _overlap(self, a: Any, b: Any, follow: frozenset[str]) -> bool:
        a_empty, b_empty = self.nullable(a), self.nullable(b)
        if a_empty and b_empty:
            return True
        if a_empty or b_empty:  # "nothing" versus "something that could also start what follows"
            return bool(self.first(b if a_empty else a) & follow)
        if not self.first(a) & self.first(b):
            return False
        la, lb = _literal_prefix(a), _literal_prefix(b)
        n = min(len(la), len(lb))
        return not (n and la[:n] != lb[:n])  # literals that differ somewhere never match the same text


def _children(op: Any, av: Any) -> list[Any] | None:
    """The sequences inside a group, branch (its alternatives) or repetition (its body); None otherwise."""
    if op is _sre.SUBPATTERN:
        return [av[-1]]
    if op is _ATOMIC:
        return [av]
    if op is _sre.BRANCH:
        return list(av[1])
    if op in _REPEATS or op is _POSSESSIVE:
        return [av[2]]
    return None


def _same(a: str, b: str) -> bool:
    return a == b or a.lower() == b.lower() or a.upper() == b.upper()


def _variants(c: str) -> set[str]:
    return {c, c.lower(), c.upper()} - {s for s in (c.lower(), c.upper()) if len(s) != 1}


def _in_class(c: str, items: Any, v: str) -> bool:
    for op, av in items:
        if op is _sre.LITERAL and v == chr(av):
            return True
        if op is _sre.RANGE and av[0] <= ord(v) <= av[1]:
            return True
        if op is _sre.CATEGORY and _category(av, v):
            return True
    return False


def _category(code: Any, c: str) -> bool:
    name = str(code)
    positive = {
        "CATEGORY_DIGIT": c.isdecimal(),
        "CATEGORY_SPACE": c.isspace(),
        "CATEGORY_WORD": c.isalnum() or c == "_",
    }
    for key, value in positive.items():
        if name == key:
            return value
        if name == key.replace("CATEGORY_", "CATEGORY_NOT_"):
            return not value
    return True  # unknown category: assume it matches


def _single_character(seq: Any) -> bool:
    if len(seq) != 1:
        return False
    op, av = seq[0]
    if op is _sre.SUBPATTERN:
        return _single_character(av[-1])
    return op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN)


def _literal_prefix(seq: Any) -> str:
    out = []
    for op, av in seq:
        if op is not _sre.LITERAL:
            break
        out.append(chr(av).lower())
    return "".join(out)


def _count(n: int) -> str:
    return "unlimited times" if n == _sre.MAXREPEAT else f"{n} times"


def _show_chars(chars: frozenset[str]) -> str:
    shown = sorted(chars, key=lambda c: (not c.isalnum(), c))[:6]
    return "e.g. " + ", ".join(repr(c) for c in shown)


# -- time -------------------------------------------------------------------------------------------


def _probe(pattern: str, kind: str, tree: Any) -> str:
    from . import MAX_LINE_CHARS, compiled

    try:
        matcher = compiled(pattern, kind)
    except regex.error:
        return ""  # an invalid pattern is reported by the caller's compile
    for line in _attack_lines(tree, MAX_LINE_CHARS):
        try:
            matcher.match(line, timeout=PROBE_SECONDS)
        except TimeoutError:
            shown = _show_line(line)
            return (
                f"is too slow: one line of {len(line)} characters ({shown}) took more than {PROBE_SECONDS} s; "
                "simplify it: bounded repetitions ({0,120}), none nested, and no long repetitions of "
                "\\p{...} classes (slow with case-insensitive matching)"
            )
    return ""


def _attack_lines(tree: Any, limit: int) -> list[str]:
    """Lines built to make the pattern backtrack: every repeated part pumped, then a failing character."""
    lines: dict[str, None] = {}
    generic = ["a", "a ", "1", " ", "-", "."]
    whole = _sample(tree) if tree is not None else ""
    contexts = itertools.chain(
        [("", whole, "")] if whole else [],  # a line matching the rule several times over (a repeated credit)
        _repeat_contexts(tree, "", "") if tree is not None else [],
        (("", p, "") for p in generic),
    )
    for before, pump, after in contexts:
        room = limit - len(before) - len(after) - 1
        if room < len(pump):
            continue
        body = pump * (room // len(pump))
        for line in (before + body + _FAIL, before + body + after + _FAIL,
                     _FAIL + before + body + after, _FAIL + body + after):
            lines.setdefault(line[:limit])
        if len(lines) >= _MAX_PROBES:
            break
    return list(lines)[:_MAX_PROBES]


def _repeat_contexts(seq: Any, before: str, after: str) -> Iterator[tuple[str, str, str]]:
    """(text before, a text the repeated part matches, text after) for every repetition in ``seq``."""
    pieces = [_sample([item]) for item in seq]
    for i, (op, av) in enumerate(seq):
        if op not in _REPEATS and op not in (_POSSESSIVE, _sre.SUBPATTERN, _ATOMIC, _sre.BRANCH):
            continue  # only these contain repetitions
        head = before + "".join(pieces[:i])
        tail = "".join(pieces[i + 1 :]) + after
        if op in _REPEATS or op is _POSSESSIVE:
            body = av[2]
            if av[1] >= 2:
                for pump in _pumps(body):
                    yield head, pump, tail
            yield from _repeat_contexts(body, head, tail)
        elif op is _sre.SUBPATTERN:
            yield from _repeat_contexts(av[-1], head, tail)
        elif op is _ATOMIC:
            yield from _repeat_contexts(av, head, tail)
        elif op is _sre.BRANCH:
            for alt in av[1][:8]:
                yield from _repeat_contexts(alt, head, tail)


def _pumps(body: Any) -> list[str]:
    pumps = [_sample(body)]
    inner = body
    while len(inner) == 1 and inner[0][0] is _sre.SUBPATTERN:
        inner = inner[0][1][-1]
    for op, av in inner:
        if op is _sre.BRANCH:
            alternatives = [_sample(alt) for alt in av[1][:4]]
            pumps += [*alternatives, "".join(alternatives)]
    return [p for p in dict.fromkeys(pumps) if p][:6]


def _sample(seq: Any) -> str:
    """A short text ``seq`` matches (approximately: classes give one of their characters)."""
    out = []
    for op, av in seq:
        if op is _sre.LITERAL:
            out.append(chr(av))
        elif op is _sre.NOT_LITERAL:
            out.append("b" if chr(av).lower() == "a" else "a")
        elif op is _sre.ANY:
            out.append("a")
        elif op is _sre.IN:
            out.append(_class_sample(av))
        elif op in _REPEATS or op is _POSSESSIVE:
            out.append(_sample(av[2]) * min(av[0], 50))
        elif op is _sre.SUBPATTERN:
            out.append(_sample(av[-1]))
        elif op is _ATOMIC:
            out.append(_sample(av))
        elif op is _sre.BRANCH:
            out.append(_sample(av[1][0]))
        elif op is _sre.GROUPREF_EXISTS:
            out.append(_sample(av[1]))
    return "".join(out)


def _class_sample(items: Any) -> str:
    negate = any(op is _sre.NEGATE for op, _ in items)
    for c in "a1 -.,:/|'_A\xa0é":
        if any(_in_class(c, items, v) for v in _variants(c)) != negate:
            return c
    return ""


def _show_line(line: str) -> str:
    text = repr(line)
    return text if len(text) <= 60 else f"{text[:40]}…{text[-15:]}"
