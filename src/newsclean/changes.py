"""Change lists: apply them, check them, and compose the change lists of successive steps.

A *change list* says how one step (a cleaner, or one pass inside a cleaner) turned its input
into its output: :class:`~newsclean.cleaner.Change` records, sorted by ``start`` (an offset in
the step's input), not overlapping, none empty (``removed`` and ``inserted`` not both empty).
Applied in order they give exactly the step's output (:func:`apply_changes`).

:class:`Composer` chains change lists: after each step it knows the edits that turn the
*first* input into the *current* text, positioned in both.  ``Pipeline.trace`` composes the
cleaners' change lists with it; a cleaner that works in several passes (``html`` decodes
references, then removes tags) composes its passes with :func:`compose_passes`.

Where a step changes text an earlier step produced (``&#8220;`` became ``“``, then ``"``), or
its change touches an earlier edit's span, the two become one edit that lists both sources.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from .cleaner import Change

__all__ = ["Composer", "apply_changes", "check_changes", "compose_passes", "kind_runs", "main_source", "replace_spans"]


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """``text`` with ``changes`` (positioned in ``text``, in order) applied."""
    if not changes:
        return text
    parts = []
    pos = 0
    for change in changes:
        parts.append(text[pos : change.start])
        parts.append(change.inserted)
        pos = change.start + len(change.removed)
    parts.append(text[pos:])
    return "".join(parts)


def replace_spans(text: str, spans: Sequence[tuple[int, int]], replacement: str = "") -> str:
    """``text`` with each of the (sorted, disjoint) ``spans`` replaced by ``replacement``."""
    if not spans:
        return text
    parts = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def check_changes(text: str, changes: Sequence[Change], result: str) -> str | None:
    """What is wrong with ``changes`` as the change list from ``text`` to ``result``, or ``None``."""
    pos = 0
    for number, change in enumerate(changes, 1):
        start = change.start
        if not isinstance(start, int) or start < pos:
            return f"change {number} (at {start!r}) overlaps the one before or is out of order"
        if not change.removed and not change.inserted:
            return f"change {number} (at {start}) is empty"
        if not text.startswith(change.removed, start):
            return f"change {number} says it removed {change.removed[:40]!r} at {start}, but the text differs"
        pos = start + len(change.removed)
    if apply_changes(text, changes) != result:
        return "applying the changes does not give the returned text"
    return None


def kind_runs(run: str, start: int, kinds: dict[str, str], table: dict[int, Any]) -> list[Change]:
    """Changes for a run of characters a cleaner replaces one by one (``str.translate`` with
    ``table``): one change per stretch of characters of one category (``kinds[char]``)."""
    out = []
    i = 0
    n = len(run)
    while i < n:
        kind = kinds[run[i]]
        j = i + 1
        while j < n and kinds[run[j]] == kind:
            j += 1
        piece = run[i:j]
        out.append(Change(start + i, piece, piece.translate(table), kind))
        i = j
    return out


def _interacts(a: int, b: int, s: int, e: int) -> bool:
    """Whether spans ``[a, b)`` and ``[s, e)`` of one text must become one edit.

    Overlapping spans do; so does an empty span (an insertion point, or where text was
    deleted) strictly inside the other, and two empty spans at the same point.  Spans that
    merely touch stay apart."""
    if a == b:
        return a == s if s == e else s < a < e
    if s == e:
        return a < s < b
    return a < e and s < b


class Composer:
    """The edits from a base text to the current text, built up one change list at a time.

    Each edit is stored as its span in the base text (``[os, oe)``), its span in the current
    text (``[cs, ce)``) and its *sources*: a tuple of ``(number, tag, Change)`` for every
    change that contributed, in the order they were applied (``number`` counts the change
    lists applied so far).  Edits are sorted and do not overlap; the text outside them is
    the same in both texts.  Applying a change list costs time in proportion to its changes
    plus the edits after the first of them (a shift, in one list operation)."""

    __slots__ = ("ce", "cs", "oe", "os", "sources", "steps")

    def __init__(self) -> None:
        self.os: list[int] = []
        self.oe: list[int] = []
        self.cs: list[int] = []
        self.ce: list[int] = []
        self.sources: list[tuple[tuple[int, Any, Change], ...]] = []
        self.steps = 0

    def __len__(self) -> int:
        return len(self.cs)

    def apply(self, changes: Sequence[Change], tag: Any) -> None:
        """Compose with ``changes``, positioned in the current text (which they turn into the next)."""
        if not changes:
            return
        number = self.steps
        self.steps += 1
        os_, oe_, cs_, ce_, src_ = self.os, self.oe, self.cs, self.ce, self.sources
        n = len(cs_)
        if not n and self._first(changes, number, tag):
            return
        # Edits ending before the first change are untouched: they are kept as they are.
        i = bisect_left(ce_, changes[0].start)
        nos, noe, ncs, nce, nsrc = os_[:i], oe_[:i], cs_[:i], ce_[:i], src_[:i]
        shift = oe_[i - 1] - ce_[i - 1] if i else 0  # base = current + shift, just before edit i
        delta = 0  # next = current + delta, after the changes handled so far
        k, m = 0, len(changes)
        while k < m:
            change = changes[k]
            s = change.start
            e = s + len(change.removed)
            j = bisect_left(ce_, s, i)
            if j > i:  # edits ending before this change: shifted
                nos += os_[i:j]
                noe += oe_[i:j]
                ncs += [x + delta for x in cs_[i:j]] if delta else cs_[i:j]
                nce += [x + delta for x in ce_[i:j]] if delta else ce_[i:j]
                nsrc += src_[i:j]
                shift = oe_[j - 1] - ce_[j - 1]
                i = j
            while i < n and ce_[i] == s and not _interacts(cs_[i], s, s, e):
                nos.append(os_[i])  # an edit ending where the change starts
                noe.append(oe_[i])
                ncs.append(cs_[i] + delta)
                nce.append(ce_[i] + delta)
                nsrc.append(src_[i])
                shift = oe_[i] - ce_[i]
                i += 1
            # One group: this change, the edits and the later changes it interacts with.
            start_shift = shift
            gs, ge = s, e
            grown = len(change.inserted) - len(change.removed)
            olds: list[tuple[int, Any, Change]] = []
            absorbed = 0
            news = [(number, tag, change)]
            k += 1
            while True:
                if i < n and _interacts(cs_[i], ce_[i], gs, ge):
                    if cs_[i] < gs:
                        gs = cs_[i]
                    if ce_[i] > ge:
                        ge = ce_[i]
                    olds.extend(src_[i])
                    absorbed += 1
                    shift = oe_[i] - ce_[i]
                    i += 1
                elif k < m and _interacts(changes[k].start, changes[k].start + len(changes[k].removed), gs, ge):
                    nxt = changes[k]
                    end = nxt.start + len(nxt.removed)
                    if end > ge:
                        ge = end
                    grown += len(nxt.inserted) - len(nxt.removed)
                    news.append((number, tag, nxt))
                    k += 1
                else:
                    break
            o_start, o_end = gs + start_shift, ge + shift
            c_start, c_end = gs + delta, ge + delta + grown
            delta += grown
            if o_start == o_end and c_start == c_end:
                continue  # text inserted by one step and deleted by a later one: no edit at all
            nos.append(o_start)
            noe.append(o_end)
            ncs.append(c_start)
            nce.append(c_end)
            if absorbed > 1:  # in the order the changes were made
                olds.sort(key=_number)
            nsrc.append((*olds, *news))
        if i < n:
            nos += os_[i:]
            noe += oe_[i:]
            ncs += [x + delta for x in cs_[i:]] if delta else cs_[i:]
            nce += [x + delta for x in ce_[i:]] if delta else ce_[i:]
            nsrc += src_[i:]
        self.os, self.oe, self.cs, self.ce, self.sources = nos, noe, ncs, nce, nsrc

    def _first(self, changes: Sequence[Change], number: int, tag: Any) -> bool:
        """The first change list, taken as it is (unless two insertions share a point: then
        ``False``, and the general case merges them)."""
        os_, oe_, cs_, ce_, src_ = self.os, self.oe, self.cs, self.ce, self.sources
        delta = 0
        last = -1
        for change in changes:
            start = change.start
            removed = len(change.removed)
            if start == last and not removed:
                del os_[:], oe_[:], cs_[:], ce_[:], src_[:]
                return False
            end = start + removed
            os_.append(start)
            oe_.append(end)
            cs_.append(start + delta)
            delta += len(change.inserted) - removed
            ce_.append(end + delta)
            src_.append(((number, tag, change),))
            last = start if not removed else -1
        return True

    def drop_identities(self, base: str, current: str) -> None:
        """Forget edits whose removed and inserted text are equal (a later step undid an earlier one)."""
        keep = [
            k for k in range(len(self.cs))
            if base[self.os[k] : self.oe[k]] != current[self.cs[k] : self.ce[k]]
        ]
        if len(keep) != len(self.cs):
            self.os = [self.os[k] for k in keep]
            self.oe = [self.oe[k] for k in keep]
            self.cs = [self.cs[k] for k in keep]
            self.ce = [self.ce[k] for k in keep]
            self.sources = [self.sources[k] for k in keep]

    def changes(self, base: str, current: str) -> list[Change]:
        """The edits as one change list from ``base`` to ``current``; each takes the category,
        rule, score and detail of its :func:`main_source`."""
        self.drop_identities(base, current)
        out = []
        for o_start, o_end, c_start, c_end, sources in zip(
            self.os, self.oe, self.cs, self.ce, self.sources, strict=True
        ):
            main = main_source(sources)[2]
            out.append(Change(o_start, base[o_start:o_end], current[c_start:c_end], main.category,
                              main.rule, main.score, main.detail))
        return out


def _number(source: tuple[int, Any, Change]) -> int:
    return source[0]


def main_source(sources: Sequence[tuple[int, Any, Change]]) -> tuple[int, Any, Change]:
    """The source that speaks for a composed edit: the change that touched the most characters
    (removed plus inserted); on a tie, the earliest.  When ``unicode`` turns a no-break space
    into a space and ``boilerplate`` then removes its whole line, the edit is boilerplate's; when
    ``html`` decodes ``&#8220;`` into ``“`` and ``quotes`` turns that into ``"``, it is html's."""
    best = sources[0]
    size = len(best[2].removed) + len(best[2].inserted)
    for source in sources[1:]:
        this = len(source[2].removed) + len(source[2].inserted)
        if this > size:
            best, size = source, this
    return best


def compose_passes(text: str, passes: Sequence[tuple[str, Sequence[Change]]]) -> tuple[str, list[Change]]:
    """Chain the passes of one cleaner into one change list from ``text``.

    ``passes`` are ``(output, changes)`` of each pass in order, the changes positioned in that
    pass's input (the output of the pass before, or ``text``).  Returns the last output and
    the composed changes.  Passes that changed nothing may be left out."""
    passes = [(out, changes) for out, changes in passes if changes]
    if not passes:
        return text, []
    if len(passes) == 1:
        return passes[0][0], list(passes[0][1])
    composer = Composer()
    for _, changes in passes:
        composer.apply(changes, None)
    result = passes[-1][0]
    return result, composer.changes(text, result)
