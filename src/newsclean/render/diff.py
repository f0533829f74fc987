"""What ``--diff`` prints: a unified diff of a document's input against its output.

Built from the :class:`~newsclean.Trace` rather than by matching lines afresh, so it shows
exactly what the cleaners did:

- a line is unchanged (context) when no edit touched it and it is still a whole line of the
  output; everything between two unchanged lines is one change, its removed lines first,
  then its added lines — each removed line with *its* removed characters marked and each
  added line with *its* inserted characters, so nothing has to be paired up by similarity;
- within a changed line the changed characters are marked (``[-…-]``/``{+…+}``, or reverse
  video in colour); lines removed or added whole are not marked inside;
- invisible characters are shown by name (``⟨NBSP⟩``, ``⟨ZWSP⟩``, ``⟨SHY⟩``), and a removed or
  inserted line break inside a changed line as ``⏎``;
- the headers name the document as given (``--- news/a.txt``, ``+++ news/a.txt``); hunks have
  ``context`` lines around them, and a last line without a line break is followed by
  ``\\ No newline at end of file`` when the other side has one (a document or a field that
  ends without one on both sides has no final line break to diff).

Marks and names make the output for reading, not for ``patch``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..tracing import Trace
from .text import BOLD, CYAN, GREEN, NEWLINE, RED, mark, paint, visible

__all__ = ["format_diff"]

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_NO_NEWLINE = "\\ No newline at end of file"


def format_diff(trace: Trace, where: str, *, context: int = 3, color: bool = False, after: str | None = None) -> str:
    """The unified diff of ``trace.original`` against ``trace.text``; ``""`` when nothing changed.

    ``where`` names the input in the ``---`` header and, unless ``after`` is given, in the
    ``+++`` header too."""
    if not trace.edits:
        return ""
    before_lines = [m.span() for m in _LINE.finditer(trace.original)]
    after_lines = [m.span() for m in _LINE.finditer(trace.text)]
    ops = _opcodes(trace, before_lines, after_lines)
    removed = _Marks(trace, "original")
    inserted = _Marks(trace, "cleaned")
    # a document or field without a final line break on either side has none to diff: no marker
    marker = trace.original.endswith("\n") or trace.text.endswith("\n")
    out = [paint(f"--- {where}", BOLD, color), paint(f"+++ {where if after is None else after}", BOLD, color)]
    for group in _grouped(ops, context):
        i1, j1 = group[0][1], group[0][3]
        i2, j2 = group[-1][2], group[-1][4]
        out.append(paint(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@", CYAN, color))
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                for k in range(a1, a2):
                    out.extend(_line(" ", trace.original, before_lines[k], None, color, marker))
                continue
            for k in range(a1, a2):
                out.extend(_line("-", trace.original, before_lines[k], removed, color, marker))
            for k in range(b1, b2):
                out.extend(_line("+", trace.text, after_lines[k], inserted, color, marker))
    return "\n".join(out) + "\n"


def _opcodes(
    trace: Trace, before: list[tuple[int, int]], after: list[tuple[int, int]]
) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher``-style opcodes of the lines: a line is equal to the output line that
    is its image, when that image is a whole line with the same text."""
    starts = {start: j for j, (start, _) in enumerate(after)}
    original, text = trace.original, trace.text
    pairs = []
    for i, (start, end) in enumerate(before):
        c_start, c_end = trace.to_cleaned_span((start, end))
        j = starts.get(c_start)
        if j is not None and after[j][1] == c_end and text[c_start:c_end] == original[start:end]:
            pairs.append((i, j))
    ops = []
    i = j = 0
    for pi, pj in [*pairs, (len(before), len(after))]:
        if pi > i or pj > j:
            ops.append(("replace", i, pi, j, pj))
        if pi < len(before):
            if ops and ops[-1][0] == "equal":
                _, a1, _, b1, _ = ops.pop()
                ops.append(("equal", a1, pi + 1, b1, pj + 1))
            else:
                ops.append(("equal", pi, pi + 1, pj, pj + 1))
        i, j = pi + 1, pj + 1
    return ops


def _grouped(ops: list[tuple[str, int, int, int, int]], n: int) -> list[list[tuple[str, int, int, int, int]]]:
    """The opcodes in hunks with up to ``n`` lines of context (as ``SequenceMatcher.get_grouped_opcodes``)."""
    if ops and ops[0][0] == "equal":
        _, i1, i2, j1, j2 = ops[0]
        ops[0] = ("equal", max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if ops and ops[-1][0] == "equal":
        _, i1, i2, j1, j2 = ops[-1]
        ops[-1] = ("equal", i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    groups: list[list[tuple[str, int, int, int, int]]] = []
    group: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return [g for g in groups if any(op[0] != "equal" for op in g)]


def _range(start: int, stop: int) -> str:
    """A hunk range as unified diffs write it (lines from 1; an empty range names the line before)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


class _Marks:
    """The changed characters of one side of a trace, by line."""

    def __init__(self, trace: Trace, side: str) -> None:
        spans = [getattr(edit, side) for edit in trace.edits]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The changed stretches inside ``[start, end)``, clipped to it."""
        out = []
        k = bisect_right(self.ends, start)
        while k < len(self.starts) and self.starts[k] < end:
            s, e = max(self.starts[k], start), min(self.ends[k], end)
            if s < e:
                out.append((s, e))
            k += 1
        return out


def _line(
    prefix: str, text: str, span: tuple[int, int], marks: _Marks | None, color: bool, marker: bool = True
) -> list[str]:
    start, end = span
    newline = text.endswith("\n", start, end)
    stop = end - 1 if newline else end
    kind = "removed" if prefix == "-" else "inserted"
    changed = marks.within(start, end) if marks is not None else []
    whole = len(changed) == 1 and changed[0] == (start, end)
    parts = []
    pos = start
    if not whole:
        for s, e in changed:
            parts.append(visible(text[pos:s]))
            piece = visible(text[s:min(e, stop)], None) + (NEWLINE if e == end and newline else "")
            parts.append(mark(piece, kind, color, in_line=True))
            pos = e
    parts.append(visible(text[pos:stop]) if pos < stop else "")
    code = RED if prefix == "-" else GREEN if prefix == "+" else ""
    lines = [paint(prefix + "".join(parts), code, color) if code else prefix + "".join(parts)]
    if not newline and marker:
        lines.append(_NO_NEWLINE)
    return lines
