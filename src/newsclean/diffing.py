"""How a cleaner's output relates to its input.

:func:`diff_changes` turns a before/after pair of texts into
:class:`~newsclean.cleaner.Change` records; explain mode uses it for cleaners
that do not report their own edits.  :func:`kept_lines` tells which input
lines survive a cleaner that only drops whole lines (boilerplate and the
like): the tests and the boilerplate benchmark score such cleaners against
hand-labelled lines with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from .cleaner import Change

__all__ = ["diff_changes", "kept_lines"]

# Stretches this short (both sides together) are diffed character by character.
_CHAR_DIFF_LIMIT = 200
# Up to this many lines or tokens (both sides together) difflib's SequenceMatcher aligns them; its
# cost grows with the product of the lengths when pieces repeat (blank lines, spaces), so longer
# sequences are aligned by _greedy_opcodes, whose cost is linear.
_MATCHER_LIMIT = 1000
# _greedy_opcodes looks this many pieces ahead on each side for the end of a difference,
# and scores a place where the sequences agree again by up to this many agreeing pieces.
_WINDOW = 8
_RUN = 3
# Words, runs of whitespace, and single other characters: every character is in one token.
_TOKEN = re.compile(r"\w+|\s+|.", re.DOTALL)


def diff_changes(before: str, after: str, category: str, *, offset: int = 0) -> list[Change]:
    """Return the edits that turn ``before`` into ``after``, all with ``category``.

    Applied in order at their ``start`` offsets in ``before`` (plus ``offset``, for a
    piece of a longer text), the edits give exactly ``after``; they do not overlap and
    none is empty.  The diff narrows down in three
    steps, each on the changed parts of the one before: lines, then tokens (words,
    whitespace runs, single other characters), then characters inside short changed
    stretches.  So its cost follows the size of what changed, not of the document
    (character-level matching of whole documents made explain mode ~50x slower
    than cleaning), and it grows linearly with the input: long sequences are aligned
    greedily (see :func:`_greedy_opcodes`), which may report a long difference as
    one edit where a full diff would find matches inside it.
    """
    if before == after:
        return []
    changes: list[Change] = []
    _diff_lines(*_trim(before, after, offset), category, changes)
    return changes


def _trim(before: str, after: str, base: int) -> tuple[str, str, int]:
    """``before`` and ``after`` without their common prefix and suffix, and the new offset.

    The cuts are moved back to token boundaries (see :data:`_TOKEN`) on both sides: cutting
    ``"a  b"`` / ``"a b"`` after ``"a "`` would leave ``" b"`` / ``"b"``, whose tokens no longer
    line up; cut after ``"a"`` they do (``"  "`` became ``" "``)."""
    prefix = _common_prefix(before, after)
    while prefix and (_inside_token(before, prefix) or _inside_token(after, prefix)):
        prefix -= 1
    suffix = _common_suffix(before, after, min(len(before), len(after)) - prefix)
    while suffix and (_inside_token(before, len(before) - suffix) or _inside_token(after, len(after) - suffix)):
        suffix -= 1
    return before[prefix : len(before) - suffix], after[prefix : len(after) - suffix], base + prefix


def _inside_token(text: str, pos: int) -> bool:
    """Whether ``pos`` falls inside a word or a whitespace run of ``text`` (not at its edge)."""
    if pos <= 0 or pos >= len(text):
        return False
    left, right = text[pos - 1], text[pos]
    return (left.isspace() and right.isspace()) or (_is_word(left) and _is_word(right))


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a str pattern


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, found by comparing slices (in C) with a binary search."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix, at most ``limit``."""
    low, high = 0, limit
    na, nb = len(a), len(b)
    while low < high:
        mid = (low + high + 1) // 2
        if a[na - mid : na - low] == b[nb - mid : nb - low]:
            low = mid
        else:
            high = mid - 1
    return low


def _changed_blocks(
    before: str, after: str, b_pieces: list[str], a_pieces: list[str], base: int
) -> Iterator[tuple[int, int, int, int, int, str, str]]:
    """``(i1, i2, j1, j2, start, removed, inserted)`` for every run of pieces (lines or tokens that
    make up ``before`` and ``after``) that differs; ``start`` is the offset of ``removed``."""
    b_offsets = _offsets(b_pieces, base)
    a_offsets = _offsets(a_pieces, 0)
    if len(b_pieces) + len(a_pieces) <= _MATCHER_LIMIT:
        opcodes = SequenceMatcher(None, b_pieces, a_pieces, autojunk=False).get_opcodes()
    else:
        opcodes = _greedy_opcodes(b_pieces, a_pieces)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "equal":
            start = b_offsets[i1]
            removed = before[start - base : b_offsets[i2] - base]
            yield i1, i2, j1, j2, start, removed, after[a_offsets[j1] : a_offsets[j2]]


def _greedy_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher.get_opcodes()``-style opcodes for ``a`` -> ``b`` in linear time.

    Walks both sequences together.  Where they differ, the difference ends at the best
    ``(i, j)`` at most :data:`_WINDOW` pieces ahead on each side where they agree again:
    the one followed by the longest agreement (up to :data:`_RUN` pieces), then the one
    that skips as many pieces on both sides (an edit, rather than an insertion next to a
    deletion: pieces such as blank lines and spaces repeat), then the nearest.  Cleaners
    edit locally and keep the order, so this finds their edits; if nothing agrees within
    the window, the rest is one difference.  At most ``(_WINDOW + 1) ** 2 * _RUN``
    comparisons per difference."""
    n, m = len(a), len(b)
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            i0, j0 = i, j
            while i < n and j < m and a[i] == b[j]:
                i += 1
                j += 1
            ops.append(("equal", i0, i, j0, j))
            continue
        best: tuple[int, int, int, int] | None = None  # (run, -skew, ni, nj)
        for total in range(1, 2 * _WINDOW + 1):
            for di in range(max(0, total - _WINDOW), min(total, _WINDOW) + 1):
                ni, nj = i + di, j + total - di
                run = 0
                while run < _RUN and ni + run < n and nj + run < m and a[ni + run] == b[nj + run]:
                    run += 1
                if run and (best is None or (run, -abs(2 * di - total)) > best[:2]):
                    best = (run, -abs(2 * di - total), ni, nj)
            if best is not None and best[:2] == (_RUN, 0):
                break  # nothing further away can do better
        if best is None:
            break
        _, _, ni, nj = best
        ops.append(("replace" if ni > i and nj > j else "delete" if ni > i else "insert", i, ni, j, nj))
        i, j = ni, nj
    if i < n or j < m:
        ops.append(("replace" if i < n and j < m else "delete" if i < n else "insert", i, n, j, m))
    return ops


def _diff_lines(before: str, after: str, base: int, category: str, out: list[Change]) -> None:
    if len(before) + len(after) <= _CHAR_DIFF_LIMIT or "\n" not in before or "\n" not in after:
        _diff_tokens(before, after, base, category, out)
        return
    b_lines = before.splitlines(keepends=True)
    a_lines = after.splitlines(keepends=True)
    for i1, i2, j1, j2, start, removed, inserted in _changed_blocks(before, after, b_lines, a_lines, base):
        if i2 - i1 == j2 - j1:
            # as many lines out as in (edits inside lines: spaces, quotes, entities): line by line
            for b_line, a_line in zip(b_lines[i1:i2], a_lines[j1:j2], strict=True):
                _diff_tokens(b_line, a_line, start, category, out)
                start += len(b_line)
        else:
            _diff_tokens(removed, inserted, start, category, out)


def _diff_tokens(before: str, after: str, base: int, category: str, out: list[Change]) -> None:
    before, after, base = _trim(before, after, base)
    if not before or not after:
        if before or after:
            out.append(Change(base, before, after, category))
        return
    if len(before) + len(after) <= _CHAR_DIFF_LIMIT:
        out.extend(_char_changes(before, after, base, category))
        return
    b_tokens = _TOKEN.findall(before)
    a_tokens = _TOKEN.findall(after)
    for _, _, _, _, start, removed, inserted in _changed_blocks(before, after, b_tokens, a_tokens, base):
        if removed and inserted and len(removed) + len(inserted) <= _CHAR_DIFF_LIMIT:
            out.extend(_char_changes(removed, inserted, start, category))
        else:
            out.append(Change(start, removed, inserted, category))


def _offsets(pieces: list[str], base: int) -> list[int]:
    offsets = [base]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    return offsets


def _char_changes(before: str, after: str, base: int, category: str) -> list[Change]:
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    return [
        Change(base + i1, before[i1:i2], after[j1:j2], category)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def kept_lines(lines: list[str], output: str) -> list[bool]:
    """For each of ``lines`` (the input split on ``"\n"``), whether it survives in ``output``.

    For cleaners that only ever drop whole lines: ``output.split("\n")`` must be a
    subsequence of ``lines``, else :class:`ValueError`.  Lines are matched greedily from the
    start, so of two equal lines the first is counted as kept when only one survives.
    """
    out = output.split("\n") if output else []
    flags = []
    pos = 0
    for line in lines:
        if pos < len(out) and out[pos] == line:
            flags.append(True)
            pos += 1
        else:
            flags.append(False)
    if pos != len(out):
        raise ValueError(f"output line {pos + 1} ({out[pos][:60]!r}) is not one of the input lines, in order")
    return flags
