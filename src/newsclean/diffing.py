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
# Above this many tokens on one side, a changed block is reported as one edit:
# SequenceMatcher's cost grows with the product of the two lengths.
_TOKEN_LIMIT = 20_000
# Words, runs of whitespace, and single other characters: every character is in one token.
_TOKEN = re.compile(r"\w+|\s+|.", re.DOTALL)


def diff_changes(before: str, after: str, category: str) -> list[Change]:
    """Return the edits that turn ``before`` into ``after``, all with ``category``.

    Applied in order at their ``start`` offsets in ``before``, the edits give exactly
    ``after``; they do not overlap and none is empty.  The diff narrows down in three
    steps, each on the changed parts of the one before: lines, then tokens (words,
    whitespace runs, single other characters), then characters inside short changed
    stretches.  So its cost follows the size of what changed, not of the document
    (character-level matching of whole documents made explain mode ~50x slower
    than cleaning).  A changed stretch of more than :data:`_TOKEN_LIMIT` tokens is
    reported as one edit.
    """
    if before == after:
        return []
    changes: list[Change] = []
    _diff_lines(*_trim(before, after, 0), category, changes)
    return changes


def _trim(before: str, after: str, base: int) -> tuple[str, str, int]:
    """``before`` and ``after`` without their common prefix and suffix, and the new offset."""
    prefix = _common_prefix(before, after)
    suffix = _common_suffix(before, after, min(len(before), len(after)) - prefix)
    return before[prefix : len(before) - suffix], after[prefix : len(after) - suffix], base + prefix


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
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, b_pieces, a_pieces, autojunk=False).get_opcodes():
        if tag != "equal":
            start = b_offsets[i1]
            removed = before[start - base : b_offsets[i2] - base]
            yield i1, i2, j1, j2, start, removed, after[a_offsets[j1] : a_offsets[j2]]


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
    if len(b_tokens) > _TOKEN_LIMIT or len(a_tokens) > _TOKEN_LIMIT:
        out.append(Change(base, before, after, category))
        return
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
