"""What ``--explain`` prints: every edit of a document, then totals per cleaner and category.

:func:`format_document` lists each edit of one :class:`~newsclean.Trace` on a line: where
it is in the *input* (line:column, both from 1), the cleaner and category (and the rule,
the classifier's score and detail where there are any), and a snippet of the input around
it with the removed text marked and the inserted text after it::

    news/a.txt: 3 edits (html 2, whitespace 1)
      1:12  html        entity  …Prices rose[-&nbsp;-]{+⟨NBSP⟩+}3%.⏎The…
      3:1   boilerplate newsletter  …vote.⏎[-Sign up for our newsletter⏎-]Next…  rule newsletter-signup, score 0.97

:func:`format_totals` sums up a run: per cleaner the documents it changed, its own changes
and the characters it removed and added, then the changes per category.  Both count each
cleaner's own changes, as :meth:`Pipeline.explain <newsclean.Pipeline.explain>` reports them
(an edit several cleaners made counts for each).  The characters are *net per document*
(how much shorter or longer the cleaner made each document, added up over the documents),
the convention of the run summary and ``--stats``: the totals repeat the summary's numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..tracing import Edit, Trace
from .text import BOLD, DIM, LineIndex, mark, paint, shown, visible, widths

__all__ = ["format_document", "format_totals"]

#: Characters of context shown on each side of an edit.
CONTEXT = 24
#: Removed or inserted text longer than this is cut in the middle.
LIMIT = 60


def format_document(trace: Trace, where: str, *, color: bool = False, context: int = CONTEXT,
                    limit: int = LIMIT) -> str:
    """Every edit of ``trace`` with its place in the input, who made it and a marked snippet.

    ``where`` names the document (a path, ``path:line [field]``).  Returns ``""`` when nothing
    changed; otherwise lines ending in ``"\\n"``."""
    edits = trace.edits
    if not edits:
        return ""
    index = LineIndex(trace.original)
    rows = []
    notes = []
    for edit in edits:
        line, column = index.position(edit.original[0])
        who = "+".join(edit.cleaners) if len(edit.cleaners) > 1 else edit.cleaner
        rows.append((f"{line}:{column}", who, edit.category))
        notes.append((_snippet(trace.original, edit, context, limit, color), _why(edit)))
    size = widths(rows)
    counts = ", ".join(f"{r.name} {r.edits}" for r in trace.reports if r.edits)
    out = [paint(f"{where}: {len(edits)} edit{'s' if len(edits) != 1 else ''} ({counts})", BOLD, color)]
    for (place, who, category), (snippet, why) in zip(rows, notes, strict=True):
        line = f"  {place:<{size[0]}}  {who:<{size[1]}}  {category:<{size[2]}}  {snippet}"
        out.append(line + (paint(f"  {why}", DIM, color) if why else ""))
    return "\n".join(out) + "\n"


def _snippet(original: str, edit: Edit, context: int, limit: int, color: bool) -> str:
    start, end = edit.original
    left = max(0, start - context)
    right = min(len(original), end + context)
    parts = ["…" if left else "", visible(original[left:start])]
    if edit.removed:
        parts.append(mark(shown(edit.removed, limit), "removed", color))
    if edit.inserted:
        parts.append(mark(shown(edit.inserted, limit), "inserted", color))
    parts.append(visible(original[end:right]))
    parts.append("…" if right < len(original) else "")
    return "".join(parts)


def _why(edit: Edit) -> str:
    parts = []
    if edit.rule and edit.rule != edit.category:
        parts.append(f"rule {edit.rule}")
    if edit.score is not None:
        parts.append(f"score {edit.score:.2f}")
    if edit.detail:
        parts.append(visible(edit.detail))
    return ", ".join(parts)


def format_totals(cleaners: Mapping[str, Any], *, color: bool = False) -> str:
    """Totals per cleaner and per category, from per-cleaner statistics.

    ``cleaners`` maps a cleaner name to an object with ``documents_changed``, ``chars_removed``,
    ``chars_added`` (net per document) and ``categories`` (changes per category), such as the
    :class:`~newsclean.run.CleanerStats` of a run summary; the columns are the summary's
    (:meth:`RunSummary.format <newsclean.run.RunSummary.format>`) and the number of changes.
    Cleaners that changed nothing are left out; returns ``""`` if none changed anything."""
    active = {name: s for name, s in cleaners.items() if s.documents_changed}
    if not active:
        return ""
    rows = [("cleaner", "docs changed", "changes", "chars removed", "chars added")]
    for name, s in active.items():
        rows.append((name, f"{s.documents_changed:,}", f"{sum(s.categories.values()):,}",
                     f"{s.chars_removed:,}", f"{s.chars_added:,}"))
    size = widths(rows)
    out = [paint("totals per cleaner (characters: net per document)", BOLD, color)]
    for k, row in enumerate(rows):
        line = "  " + "  ".join(
            cell.ljust(size[i]) if i == 0 else cell.rjust(size[i]) for i, cell in enumerate(row))
        out.append(paint(line, DIM, color) if k == 0 else line)
    categories = [(f"{name}/{category}", count) for name, s in active.items()
                  for category, count in sorted(s.categories.items())]
    if categories:
        out.append(paint("totals per category", BOLD, color))
        width = max(len(label) for label, _ in categories)
        out.extend(f"  {label:<{width}}  {count:>{size[2]},}" for label, count in categories)
    return "\n".join(out) + "\n"
