"""mojibake: repair text that was decoded with the wrong character set, using ftfy.

Changes: exactly what ``ftfy.fix_encoding`` changes (with ftfy's default
settings), applied line by line the way ``ftfy.fix_text`` does it: every
segment that ends with ``"\\n"`` (and the last one) is passed to
``ftfy.fix_encoding`` on its own.  That repairs UTF-8 read as Latin-1,
Windows-1250/1251/1252/1253/1257 or MacRoman (``"cafÃ©"`` → ``"café"``,
``"itâ€™s"`` → ``"it’s"``), mixes of those, C1 control characters that were
meant to be Windows-1252, and the lossy variants ftfy knows about.  Working
line by line keeps one line with mojibake from being left alone because
another line holds characters that no single-byte codec can encode, and
costs only the lines that need it.

Never touches: anything ftfy would not change — ASCII text, correctly decoded
accented letters, curly quotes, dashes, ``€`` in a price.  It does none of
ftfy's other fixes (no HTML unescaping, no quote uncurling, no normalisation,
no control-character removal): other cleaners own those.  Unlike
``ftfy.fix_text`` it does not cut lines longer than one million characters
into pieces (cutting can split a mojibake sequence; ftfy's encoding fix is
linear in the length of the line anyway).

Example: ``"The mayorâ€™s office in SÃ£o Paulo"`` →
``"The mayor’s office in São Paulo"``.

Speed: ftfy first asks its badness heuristic (``ftfy.badness.BADNESS_RE``)
whether a segment looks like mojibake and returns the segment unchanged when
it does not; that heuristic runs at only a few MB/s.  This cleaner decides
with cheaper scans that give the same answer:

1. ``text.isascii()``: every alternative of the heuristic needs a non-ASCII
   character, so ASCII text is returned at once.
2. One precompiled *pre-check* regular expression, derived when the module
   is imported from ftfy's own heuristic.  Every alternative of
   ``BADNESS_RE`` has at least one mandatory element that matches only
   non-ASCII characters; the rarest of them in clean text becomes the
   alternative's *trigger*.  The pre-check is one character class (the union
   of all triggers, so the engine skips quickly over everything else)
   followed by, per alternative, a look-behind re-checking the trigger and
   the single-character elements just before it, then the elements after
   it.  Elements further back (behind a repeat or an anchor) and anchors are
   dropped, which only widens what is found.  So wherever ``BADNESS_RE``
   matches, the pre-check matches too (at the trigger of the matching
   alternative); a line without a pre-check match is one that
   ``ftfy.fix_encoding`` returns unchanged, and it is skipped.  Each line is
   searched once; ftfy runs only on the lines where the pre-check matched.
3. On those lines ftfy's own loop is replayed (:func:`fix_segment`): ftfy
   repeats one fixing step until the text stops changing, and that step
   returns its input unchanged when ``BADNESS_RE`` does not match; so when
   the pre-check finds nothing in the fixed text the final, slow round is
   skipped.  This uses ftfy's ``_fix_encoding_one_step_and_explain``; if a
   future ftfy lacks it, ``ftfy.fix_encoding`` is called instead.

If the derivation ever fails (a future ftfy or Python changes the pattern
or the parser), the pre-check falls back to ftfy's ``BADNESS_RE`` itself:
slower, never wrong.  The test suite checks the result against
``ftfy.fix_encoding`` with hypothesis.

Idempotent: ``ftfy.fix_encoding`` repeats its step until the text stops
changing, so its result is a fixpoint; repairs never create or remove a
``"\\n"``, so the segments of the result are the fixed segments.

Explain mode reports each repaired run (category ``mojibake``, rule: the
encoding the text was wrongly decoded with, e.g. ``sloppy-windows-1252``; detail:
ftfy's steps).  Re-decoding keeps ASCII characters as they are, so the runs of
non-ASCII characters of a repaired line pair up with those of the repair; where
they do not (ftfy's fixes of lost bytes can change ASCII characters too), the
line is aligned with a character diff.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import ftfy
from ftfy.badness import BADNESS_RE

from ..changes import apply_changes
from ..cleaner import Change, Cleaner
from ..diffing import diff_changes

__all__ = ["MojibakeCleaner"]

# How often characters occur in correctly decoded news text, roughly: the
# pre-check for each badness alternative is triggered by its rarest element.
# Only speed depends on these numbers, never the result.
# (Greek and Cyrillic letters count as very common: in Greek or Russian news
# every character is one.)
_VERY_COMMON = set("\u00a0’‘“”–—…") | {chr(c) for c in [*range(0xDF, 0x100), *range(0x370, 0x530)]}
_COMMON = set("\u00ad•·©®™€£°«»¡¿§¶±×÷µ½¼¾²³¹ºª¢¥\u2032\u2033\u2212") | {chr(c) for c in range(0xC0, 0x250)}


def _weight(chars: set[str]) -> float:
    """Rough relative frequency of the characters ``chars`` in clean text."""
    return sum(0.003 if ch in _VERY_COMMON else 0.0002 if ch in _COMMON else 0.000001 for ch in chars)


class _Unsupported(Exception):
    """The pattern contains a construct the derivation does not handle."""


def _parser() -> tuple[Any, Any]:
    try:
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_constants as constants  # type: ignore[no-redef]
        import sre_parse as parser  # type: ignore[no-redef]
    return parser, constants


def _charset(items: list[tuple[Any, Any]], c: Any) -> set[str] | None:
    """The characters an ``IN`` class matches, or ``None`` if not a plain positive set."""
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE:
            chars.update(chr(x) for x in range(av[0], av[1] + 1))
        else:
            return None
    return chars


def _render_class(items: list[tuple[Any, Any]], c: Any) -> str:
    out = []
    for op, av in items:
        if op is c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is c.NEGATE:
            out.append("^")
        elif op is c.CATEGORY:
            out.append(_CATEGORIES[str(av)])
        else:
            raise _Unsupported(str(op))
    return "[" + "".join(out) + "]"


_CATEGORIES = {
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
}


def _render(items: list[tuple[Any, Any]], c: Any) -> str:
    """Regular-expression source for a parsed sequence, dropping anchors and look-arounds."""
    out = []
    for op, av in items:
        if op is c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is c.NOT_LITERAL:
            out.append("[^" + re.escape(chr(av)) + "]")
        elif op is c.IN:
            out.append(_render_class(av, c))
        elif op is c.ANY:
            out.append(".")
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, sub = av
            top = "" if high == c.MAXREPEAT else str(high)
            out.append(f"(?:{_render(list(sub.data), c)}){{{low},{top}}}")
        elif op is c.SUBPATTERN:
            out.append(f"(?:{_render(list(av[-1].data), c)})")
        elif op is c.BRANCH:
            out.append("(?:" + "|".join(_render(list(b.data), c) for b in av[1]) + ")")
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # dropping a zero-width condition only widens the match set
        else:
            raise _Unsupported(str(op))
    return "".join(out)


def _derive_precheck() -> re.Pattern[str]:
    """A pattern that matches wherever ``BADNESS_RE`` matches (see the module docstring)."""
    flags = BADNESS_RE.flags
    if flags & (re.IGNORECASE | re.ASCII | re.DOTALL) or not isinstance(BADNESS_RE.pattern, str):
        raise _Unsupported("flags")
    parser, c = _parser()
    tree = parser.parse(BADNESS_RE.pattern, flags)
    data = list(tree.data)
    if len(data) == 1 and data[0][0] is c.BRANCH:
        branches = [list(b.data) for b in data[0][1][1]]
    else:
        branches = [data]
    alternatives = []
    triggers: set[str] = set()
    for items in branches:
        # The trigger: the mandatory non-ASCII element least likely in clean text.
        trigger: int | None = None
        trigger_chars: set[str] = set()
        best = 0.0
        for index, (op, av) in enumerate(items):
            if op is c.LITERAL:
                chars: set[str] | None = {chr(av)}
            elif op is c.IN:
                chars = _charset(av, c)
            else:
                chars = None
            if chars and all(ord(ch) > 127 for ch in chars):
                weight = _weight(chars)
                if trigger is None or weight < best:
                    trigger, trigger_chars, best = index, chars, weight
        if trigger is None:
            raise _Unsupported("an alternative without a mandatory non-ASCII element")
        triggers |= trigger_chars
        # The single-character elements right before the trigger are checked
        # by looking behind; anything earlier (a repeat, an anchor) is dropped.
        before = trigger
        while before > 0 and items[before - 1][0] in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY):
            before -= 1
        behind = _render(items[before : trigger + 1], c)
        alternatives.append(f"(?<={behind}){_render(items[trigger + 1 :], c)}")
    # One leading character class (the union of the triggers) lets the regex
    # engine skip quickly to candidates (it does not for an alternation of
    # classes); each alternative then looks back to check that the character
    # consumed is its own trigger, preceded by what its pattern requires.
    first_class = "[" + "".join(re.escape(ch) for ch in sorted(triggers)) + "]"
    # Without VERBOSE: the rendered source has no insignificant whitespace.
    return re.compile(f"{first_class}(?:{'|'.join(alternatives)})", flags & ~re.VERBOSE)

try:
    _PRECHECK: re.Pattern[str] = _derive_precheck()
    PRECHECK_DERIVED = True
except Exception:  # pragma: no cover - depends on the ftfy/Python version
    _PRECHECK = BADNESS_RE
    PRECHECK_DERIVED = False


def _find(text: str, pos: int) -> int:
    """Offset of the first pre-check match at or after ``pos``, or -1."""
    match = _PRECHECK.search(text, pos)
    return -1 if match is None else match.start()


def _ftfy_step() -> Any:
    """ftfy's single encoding-fix step, if this ftfy version has the one we know."""
    step = getattr(ftfy, "_fix_encoding_one_step_and_explain", None)
    try:
        fixed, _ = step("cafÃ©", _CONFIG)  # type: ignore[misc]
        return step if fixed == "café" else None
    except Exception:  # pragma: no cover - depends on the ftfy version
        return None


_CONFIG = ftfy.TextFixerConfig(explain=False)
_STEP = _ftfy_step()


def fix_segment(segment: str) -> str:
    """Exactly ``ftfy.fix_encoding(segment)``, skipping ftfy's slow heuristic where the pre-check allows.

    ``ftfy.fix_encoding`` repeats one step until the text stops changing, and
    the step returns its input unchanged unless ``BADNESS_RE`` matches.  The
    last round (on the already fixed text) is usually a full, slow scan that
    finds nothing; the pre-check finds the same nothing much faster.
    """
    return _fix_explained(segment)[0]


def _fix_explained(segment: str) -> tuple[str, list[tuple[str, str]]]:
    """:func:`fix_segment` and ftfy's explanation of what it did (``(action, parameter)`` steps)."""
    if _STEP is None:  # pragma: no cover - depends on the ftfy version
        return ftfy.fix_encoding(segment), []
    text = segment
    steps: list[tuple[str, str]] = []
    while not text.isascii() and _find(text, 0) >= 0:
        fixed, explanation = _STEP(text, _CONFIG)
        if fixed == text:
            break
        steps.extend(explanation or ())
        text = fixed
    return text, steps


_NON_ASCII_RUN = re.compile(r"([^\x00-\x7f]+)")


def _segment_changes(segment: str, fixed: str, offset: int, steps: list[tuple[str, str]]) -> list[Change]:
    """The changes that turn ``segment`` (at ``offset``) into its repair ``fixed``: one per repaired run."""
    rule = next((param for action, param in steps if action == "encode"), "")
    detail = ", ".join(f"{action} {param}" for action, param in steps)
    before = _NON_ASCII_RUN.split(segment)
    after = _NON_ASCII_RUN.split(fixed)
    if len(before) == len(after) and before[::2] == after[::2]:
        changes = []
        pos = offset
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            if index % 2 and old != new:
                changes.append(Change(pos, old, new, "mojibake", rule, None, detail))
            pos += len(old)
        return changes
    return [replace(c, rule=rule, detail=detail) for c in diff_changes(segment, fixed, "mojibake", offset=offset)]


def needs_ftfy(text: str) -> bool:
    """Whether some line of ``text`` may be changed by ``ftfy.fix_encoding`` (cheap, never a false "no")."""
    return not text.isascii() and _find(text, 0) >= 0


class MojibakeCleaner(Cleaner):
    name = "mojibake"
    description = "Repair mis-decoded text (mojibake such as 'Ã©' or 'â€™') with ftfy's encoding fixes."
    order = 200
    recheck = True  # removing a control character or soft hyphen later can expose mojibake
    options = {}

    def clean(self, text: str) -> str:
        if text.isascii():
            return text
        found = _find(text, 0)
        if found < 0:
            return text
        fix = fix_segment
        parts: list[str] = []
        pos = 0
        n = len(text)
        changed = False
        while found >= 0:
            start, end = _segment(text, found)
            segment = text[start:end]
            fixed = fix(segment)
            if fixed != segment:
                changed = True
                parts.append(text[pos:start])
                parts.append(fixed)
                pos = end
            # Continue from the end of this segment, not of the match: a match
            # running past the line end must not hide one in the next line.
            found = _find(text, end) if end < n else -1
        if not changed:
            return text
        parts.append(text[pos:])
        return "".join(parts)

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The same result as :meth:`clean`, with one change per repaired run of characters."""
        if text.isascii():
            return text, []
        found = _find(text, 0)
        changes: list[Change] = []
        while found >= 0:
            start, end = _segment(text, found)
            segment = text[start:end]
            fixed, steps = _fix_explained(segment)
            if fixed != segment:
                changes.extend(_segment_changes(segment, fixed, start, steps))
            found = _find(text, end) if end < len(text) else -1
        return (apply_changes(text, changes), changes) if changes else (text, [])


def _segment(text: str, found: int) -> tuple[int, int]:
    """The segment (line, with its ``"\\n"``) of ``text`` around offset ``found``."""
    return text.rfind("\n", 0, found) + 1, text.find("\n", found) + 1 or len(text)
