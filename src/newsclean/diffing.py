"""Turn a before/after pair of texts into :class:`~newsclean.cleaner.Change` records.

Used by explain mode for cleaners that do not report their own edits.  The
diff is computed line by line first and character by character only inside
changed line blocks, so its cost stays close to linear on documents where
little changed.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from .cleaner import Change

__all__ = ["diff_changes"]

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
