"""Human-readable views of a :class:`~newsclean.Trace`, as pure functions returning text.

- :func:`~newsclean.render.explain.format_document` and
  :func:`~newsclean.render.explain.format_totals`: what ``--explain`` prints;
- :func:`~newsclean.render.diff.format_diff`: what ``--diff`` prints;
- :func:`~newsclean.render.records.trace_record`, :class:`~newsclean.render.records.TraceWriter`
  and :func:`~newsclean.render.records.read_trace`: one JSON record per document, for audits
  (the format of ``--trace FILE.jsonl``).

Every function takes ``color``: ``True`` marks changes with ANSI colours (for a terminal),
``False`` with brackets (``[-removed-]{+inserted+}``).  Characters a reader cannot see
(no-break and other odd spaces, zero-width characters, soft hyphens, control characters,
line separators) are shown by name, such as ``⟨NBSP⟩`` — document text never reaches the
terminal as raw control codes.
"""

from __future__ import annotations

from .diff import format_diff
from .explain import format_document, format_totals
from .records import TraceWriter, read_trace, trace_record

__all__ = ["TraceWriter", "format_diff", "format_document", "format_totals", "read_trace", "trace_record"]
