"""Tracing: every change a pipeline made, positioned in the raw input and in the output.

:meth:`Pipeline.trace <newsclean.Pipeline.trace>` (and :func:`newsclean.trace`) returns a
:class:`Trace`: the cleaned text (exactly what ``clean()`` returns), the ordered :class:`Edit`
records that turn the raw text into it, and offset maps between the two texts.

Edits are sorted, never overlap and are never empty; applying them to the raw text in order
(:func:`apply_edits`) gives exactly ``trace.text``.  Each edit names the cleaner, category and
rule that made it (for boilerplate also the classifier's score).  Where several cleaners
changed the same stretch (``html`` decoded ``&#8220;`` into ``“``, then ``quotes`` made it
``"``) they form one edit; ``edit.steps`` lists each cleaner's part, and ``edit.cleaner``,
``category``, ``rule`` … are those of the part that changed the most characters (see
:func:`newsclean.changes.main_source`).

Offsets
-------
An *offset* is a position between characters (``0`` … ``len(text)``), as in ``text[a:b]``.
The maps are exact for every character no edit touched: it maps to the same character in the
other text.  A character an edit produced maps to that edit's whole original span (and a
removed or replaced character of the raw text to the edit's whole cleaned span).  Where text
was *deleted* (or, mapping the other way, *inserted*), one offset of one text stands for two
offsets of the other; the rule is:

- a **start** offset (and a single offset given to :meth:`Trace.to_original` /
  :meth:`Trace.to_cleaned`) names the character that starts there, so it snaps to **after**
  the deleted text;
- an **end** offset names the character that ends there, so it snaps to **before** it.

So a mapped span never gains deleted text at its edges; deleted text strictly inside a span is
part of the mapped span.  An empty span maps by the start rule at both ends.  Example: raw
``"a  b"`` (one of the two spaces deleted) cleans to ``"a b"``; cleaned offset 2 (before
``b``) maps to raw 3, the span ``(1, 2)`` (the space) to ``(1, 2)``, and the raw span ``(0, 4)``
to ``(0, 3)``.

Many offsets at once: :meth:`Trace.to_original_many` and the ``_spans`` variants bisect the
edit table once per offset (``O(log edits)`` each, no dependency).
"""

from __future__ import annotations

import operator
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from .changes import Composer, check_changes, main_source
from .cleaner import Change, Cleaner, not_str
from .errors import CleanerError
from .pipeline import CleanerReport, Explanation

__all__ = ["Edit", "Step", "Trace", "apply_edits"]

Span = tuple[int, int]


class Step(NamedTuple):
    """One cleaner's part in an :class:`Edit`: who changed it, and why."""

    cleaner: str
    category: str
    rule: str = ""
    score: float | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"cleaner": self.cleaner, "category": self.category, "rule": self.rule,
                "score": self.score, "detail": self.detail}


class Edit(NamedTuple):
    """One edit of a :class:`Trace`: ``removed`` at ``original`` in the raw text became ``inserted``
    at ``cleaned`` in the output.

    ``cleaner``, ``category``, ``rule``, ``score`` and ``detail`` say who and why (``score``: the
    boilerplate classifier's probability when it decided, else ``None``).  ``steps`` lists every
    cleaner's part, in the order they ran; it has more than one entry only where several
    cleaners changed the same stretch, and the fields above are those of the main part.

    A named tuple (immutable, cheap to make by the hundred thousand), like :class:`Step`.
    """

    cleaner: str
    category: str
    original: Span
    cleaned: Span
    removed: str
    inserted: str
    rule: str = ""
    score: float | None = None
    detail: str = ""
    steps: tuple[Step, ...] = ()

    @property
    def cleaners(self) -> tuple[str, ...]:
        """The names of the cleaners that made this edit, in order, without repeats."""
        return tuple(dict.fromkeys(step.cleaner for step in self.steps))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the record format of ``--trace`` files)."""
        out: dict[str, Any] = {
            "cleaner": self.cleaner,
            "category": self.category,
            "rule": self.rule,
            "original": list(self.original),
            "cleaned": list(self.cleaned),
            "removed": self.removed,
            "inserted": self.inserted,
        }
        if self.score is not None:
            out["score"] = self.score
        if self.detail:
            out["detail"] = self.detail
        if len(self.steps) > 1:
            out["steps"] = [step.as_dict() for step in self.steps]
        return out


def apply_edits(original: str, edits: Iterable[Edit]) -> str:
    """``original`` with ``edits`` (in order, positioned in it) applied."""
    parts = []
    pos = 0
    for edit in edits:
        start, end = edit.original
        parts.append(original[pos:start])
        parts.append(edit.inserted)
        pos = end
    parts.append(original[pos:])
    return "".join(parts)


class Trace:
    """What :meth:`Pipeline.trace <newsclean.Pipeline.trace>` returns: the cleaned text, the
    edits from the raw text to it, offset maps, and the per-cleaner reports of explain mode.

    - ``original``: the raw input; ``text``: the cleaned text (``== clean(original)``);
    - ``edits``: the :class:`Edit` records, in order;
    - ``reports``: one :class:`~newsclean.CleanerReport` per cleaner, as in
      :meth:`Pipeline.explain <newsclean.Pipeline.explain>` (each cleaner's own changes,
      positioned in the text it received);
    - offset maps: :meth:`to_original`, :meth:`to_cleaned`, their span and many-at-once
      variants (see the module documentation for the rule at the edges of deleted text).
    """

    __slots__ = ("_ce", "_cs", "_edits", "_oe", "_os", "_sources", "original", "reports", "text")

    def __init__(self, original: str, text: str, reports: tuple[CleanerReport, ...], composer: Composer) -> None:
        self.original = original
        self.text = text
        self.reports = reports
        composer.drop_identities(original, text)
        self._os, self._oe, self._cs, self._ce = composer.os, composer.oe, composer.cs, composer.ce
        self._sources = composer.sources
        self._edits: tuple[Edit, ...] | None = None

    # -- the edits ------------------------------------------------------------------------

    @property
    def edits(self) -> tuple[Edit, ...]:
        """The edits from ``original`` to ``text``, in order (built on first use)."""
        if self._edits is None:
            original, text = self.original, self.text
            known: dict[Step, tuple[Step, ...]] = {}  # one Step object per distinct step
            edits = []
            for o_start, o_end, c_start, c_end, sources in zip(
                self._os, self._oe, self._cs, self._ce, self._sources, strict=True
            ):
                if len(sources) == 1:
                    _, name, main = sources[0]
                    step = Step(name, main.category, main.rule, main.score, main.detail)
                    steps = known.get(step) or known.setdefault(step, (step,))
                else:
                    steps = tuple(dict.fromkeys(
                        Step(name, c.category, c.rule, c.score, c.detail) for _, name, c in sources
                    ))
                    _, name, main = main_source(sources)
                edits.append(Edit(name, main.category, (o_start, o_end), (c_start, c_end), original[o_start:o_end],
                                  text[c_start:c_end], main.rule, main.score, main.detail, steps))
            self._edits = tuple(edits)
        return self._edits

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def edit_at_original(self, index: int) -> Edit | None:
        """The edit that removed or replaced the raw character at ``index``, or ``None``."""
        k = _covering(self._os, self._oe, index, len(self.original))
        return None if k < 0 else self.edits[k]

    def edit_at_cleaned(self, index: int) -> Edit | None:
        """The edit that produced the cleaned character at ``index``, or ``None``."""
        k = _covering(self._cs, self._ce, index, len(self.text))
        return None if k < 0 else self.edits[k]

    # -- offset maps ----------------------------------------------------------------------

    def to_original(self, offset: int) -> int:
        """The raw-text offset of cleaned-text ``offset`` (start rule: after deleted text)."""
        return _map_start(offset, self._cs, self._ce, self._os, self._oe, len(self.text))

    def to_cleaned(self, offset: int) -> int:
        """The cleaned-text offset of raw-text ``offset`` (start rule: after inserted text)."""
        return _map_start(offset, self._os, self._oe, self._cs, self._ce, len(self.original))

    def to_original_span(self, span: Span) -> Span:
        """The raw-text span of cleaned-text span ``(start, end)``."""
        return _map_span(span, self._cs, self._ce, self._os, self._oe, len(self.text))

    def to_cleaned_span(self, span: Span) -> Span:
        """The cleaned-text span of raw-text span ``(start, end)``."""
        return _map_span(span, self._os, self._oe, self._cs, self._ce, len(self.original))

    def to_original_many(self, offsets: Iterable[int]) -> list[int]:
        """:meth:`to_original` of each offset."""
        cs, ce, os_, oe, size = self._cs, self._ce, self._os, self._oe, len(self.text)
        return [_map_start(x, cs, ce, os_, oe, size) for x in offsets]

    def to_cleaned_many(self, offsets: Iterable[int]) -> list[int]:
        """:meth:`to_cleaned` of each offset."""
        cs, ce, os_, oe, size = self._cs, self._ce, self._os, self._oe, len(self.original)
        return [_map_start(x, os_, oe, cs, ce, size) for x in offsets]

    def to_original_spans(self, spans: Iterable[Span]) -> list[Span]:
        """:meth:`to_original_span` of each span."""
        cs, ce, os_, oe, size = self._cs, self._ce, self._os, self._oe, len(self.text)
        return [_map_span(span, cs, ce, os_, oe, size) for span in spans]

    def to_cleaned_spans(self, spans: Iterable[Span]) -> list[Span]:
        """:meth:`to_cleaned_span` of each span."""
        cs, ce, os_, oe, size = self._cs, self._ce, self._os, self._oe, len(self.original)
        return [_map_span(span, os_, oe, cs, ce, size) for span in spans]

    # -- explain mode ---------------------------------------------------------------------

    @property
    def explanation(self) -> Explanation:
        """The per-cleaner view of :meth:`Pipeline.explain <newsclean.Pipeline.explain>`."""
        return Explanation(self.original, self.text, self.reports)

    def report(self, name: str) -> CleanerReport:
        return self.explanation.report(name)

    def summary(self) -> str:
        return self.explanation.summary()

    def as_dict(self) -> dict[str, Any]:
        """``changed``, the per-cleaner reports and the edits, JSON-ready."""
        return {**self.explanation.as_dict(), "edits": [edit.as_dict() for edit in self.edits]}

    def __repr__(self) -> str:
        return f"<Trace: {len(self._cs)} edit(s), {len(self.original)} -> {len(self.text)} chars>"


def _offset(x: Any, size: int) -> int:
    """``x`` as an offset into a text of ``size`` characters, or :class:`ValueError`/:class:`TypeError`."""
    if isinstance(x, bool):
        raise TypeError(f"offsets are integers, got {x!r}")
    x = operator.index(x)
    if not 0 <= x <= size:
        raise ValueError(f"offset {x} is outside the text (0 to {size})")
    return x


def _map_start(x: int, a_s: list[int], a_e: list[int], b_s: list[int], b_e: list[int], size: int) -> int:
    """Map offset ``x`` from side a to side b by the start rule (see the module documentation)."""
    if x.__class__ is not int or not 0 <= x <= size:
        x = _offset(x, size)
    k = bisect_right(a_e, x)
    if k < len(a_s) and a_s[k] <= x:  # the character at x was changed by edit k
        return b_s[k]
    return x + b_e[k - 1] - a_e[k - 1] if k else x


def _map_end(x: int, a_s: list[int], a_e: list[int], b_s: list[int], b_e: list[int]) -> int:
    """Map end offset ``x`` (> 0) from side a to side b by the end rule."""
    k = bisect_right(a_e, x - 1)
    if k < len(a_s) and a_s[k] <= x - 1:  # the character before x was changed by edit k
        return b_e[k]
    return x + b_e[k - 1] - a_e[k - 1] if k else x


def _map_span(span: Span, a_s: list[int], a_e: list[int], b_s: list[int], b_e: list[int], size: int) -> Span:
    start, end = span
    if start.__class__ is not int or end.__class__ is not int or not 0 <= start <= end <= size:
        start, end = _offset(start, size), _offset(end, size)
        if end < start:
            raise ValueError(f"span {span!r} ends before it starts")
    first = _map_start(start, a_s, a_e, b_s, b_e, size)
    if start == end:
        return first, first
    return first, _map_end(end, a_s, a_e, b_s, b_e)


def _covering(starts: list[int], ends: list[int], index: int, size: int) -> int:
    """The edit whose span contains character ``index``, or -1."""
    if isinstance(index, bool) or not 0 <= operator.index(index) < size:
        raise ValueError(f"index {index!r} is outside the text (0 to {size - 1})")
    k = bisect_right(ends, index)
    return k if k < len(starts) and starts[k] <= index else -1


# -- running a pipeline with tracing ------------------------------------------------------------------


class Tracer:
    """Runs slices of a pipeline's cleaners in explain mode and composes their changes.

    ``run(text, start, stop)`` has the signature ``Pipeline._schedule`` expects, so tracing
    follows exactly the schedule of ``clean()`` (recheck rounds included).  With
    ``compose=False`` it only collects each cleaner's changes (what explain mode needs)."""

    __slots__ = ("changes", "cleaners", "composer")

    def __init__(self, cleaners: Sequence[Cleaner], compose: bool = True) -> None:
        self.cleaners = cleaners
        self.changes: list[list[Change]] = [[] for _ in cleaners]
        self.composer = Composer() if compose else None

    def run(self, text: str, start: int, stop: int) -> tuple[str, int]:
        """Run the cleaners ``start:stop``: the text and the index of the last one that changed it (-1: none),
        as :meth:`Pipeline._run <newsclean.Pipeline.clean>` does, so that both follow the same schedule."""
        last = -1
        for index in range(start, stop):
            cleaner = self.cleaners[index]
            try:
                out, found = cleaner.explain(text)
                if out is not text and not isinstance(out, str):
                    raise not_str(out)
            except Exception as exc:
                raise CleanerError(cleaner.name, exc) from exc
            if out is text:
                continue
            last = index
            if out == text:
                continue
            try:
                problem = check_changes(text, found, out)
            except Exception as exc:  # not a list of Change records at all
                problem = f"{type(exc).__name__}: {exc}"
            if problem is not None:
                found = _fallback(cleaner, text, out, problem)
            self.changes[index].extend(found)
            if self.composer is not None:
                self.composer.apply(found, cleaner.name)
            text = out
        return text, last

    def reports(self) -> tuple[CleanerReport, ...]:
        """One report per cleaner: its changes, recheck rounds included."""
        return tuple(CleanerReport(c.name, tuple(found)) for c, found in zip(self.cleaners, self.changes, strict=True))

    def finish(self, original: str, text: str) -> Trace:
        """The trace of ``original``, cleaned into ``text`` by the runs so far."""
        assert self.composer is not None, "a Tracer made with compose=False has no trace"
        return Trace(original, text, self.reports(), self.composer)


_WARNED: set[type] = set()


def _fallback(cleaner: Cleaner, text: str, out: str, problem: str) -> list[Change]:
    """The changes from a diff, when a cleaner's own changes do not describe what it did."""
    from .diffing import diff_changes

    kind = type(cleaner)
    if kind not in _WARNED:
        _WARNED.add(kind)
        warnings.warn(
            f"cleaner {cleaner.name!r} ({kind.__module__}.{kind.__qualname__}) reported changes that do not match "
            f"its output ({problem}); its edits are derived with a diff instead",
            RuntimeWarning,
            stacklevel=4,
        )
    return diff_changes(text, out, cleaner.name)
