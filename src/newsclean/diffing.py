"""How a cleaner's output relates to its input.

:func:`diff_changes` turns a before/after pair of texts into
:class:`~newsclean.cleaner.Change` records; explain mode uses it for cleaners
that do not report their own edits.  The diff is computed line by line first
and character by character only inside changed line blocks, so its cost
stays close to linear on documents where little changed.

:func:`kept_lines` tells which input lines survive a cleaner that only drops
whole lines (boilerplate and the like): the tests and the boilerplate
benchmark score such cleaners against hand-labelled lines with it.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from .cleaner import Change

__all__ = ["diff_changes", "kept_lines"]

# Above this many characters in a changed block, report the block as one edit
# instead of diffing characters (SequenceMatcher is quadratic in the worst case).
_CHAR_DIFF_LIMIT = 4000


def diff_changes(before: str, after: str, category: str) -> list[Change]:
    """Return the edits that turn ``before`` into ``after``, all with ``category``."""
    if before == after:
        return []
    # Common prefix and suffix are cheap and cover most single edits.
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    b_mid = before[prefix : len(before) - suffix]
    a_mid = after[prefix : len(after) - suffix]
    if len(b_mid) + len(a_mid) <= _CHAR_DIFF_LIMIT:
        return _char_changes(b_mid, a_mid, prefix, category)
    changes: list[Change] = []
    b_lines = b_mid.splitlines(keepends=True)
    a_lines = a_mid.splitlines(keepends=True)
    b_offsets = _offsets(b_lines, prefix)
    matcher = SequenceMatcher(None, b_lines, a_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed = "".join(b_lines[i1:i2])
        inserted = "".join(a_lines[j1:j2])
        start = b_offsets[i1]
        if len(removed) + len(inserted) <= _CHAR_DIFF_LIMIT:
            changes.extend(_char_changes(removed, inserted, start, category))
        else:
            changes.append(Change(start, removed, inserted, category))
    return changes


def _offsets(lines: list[str], base: int) -> list[int]:
    offsets = [base]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
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
