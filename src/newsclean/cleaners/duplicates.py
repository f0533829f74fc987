"""duplicates: drop exact repeats of long lines and paragraphs within one document.

Scrapers often capture the same text twice: a pull quote, a "Highlights" or
teaser box or a photo caption that repeats a paragraph of the body, a
paragraph duplicated by a template, a whole article body appended twice.
This cleaner keeps one copy and removes the others: of the copies inside
the article's main run of prose (the stretch of the document where sentences
outweigh other lines, the same context the boilerplate model uses,
:func:`newsclean.boilerplate.features.main_run`, with only the first copy of
a repeat counting as prose), the one with the most prose right around it,
the first of those; when no copy is inside the run, the first.  So a teaser
or "Highlights" box above the article loses its copy, the article keeps its
own, and an article printed twice keeps its first printing.

Changes:

- a line whose text is at least ``min_length`` characters long (default 40)
  and equal to an earlier line is removed, with its line break;
- a paragraph (a run of non-blank lines) of two or more lines that repeats an
  earlier paragraph line for line (``min_length`` counting the whole
  paragraph) is removed as a whole, short lines included, so a hard-wrapped
  repeated paragraph leaves no orphaned last line behind;
- when a whole paragraph goes, the blank lines before it go too, so the
  paragraphs around it stay separated exactly as before.

Lines are compared after the same normalisation the ``whitespace`` cleaner
applies later in the pipeline (runs of spaces and tabs count as one space,
spaces, tabs and carriage returns at the ends of a line are ignored), so
the default pipeline is idempotent; letters, case, punctuation and
non-ASCII spaces must match exactly.

Never touches: the copy it keeps (inside the main run, else the first), a
line that occurs once, repeats *inside* the main run that ask or introduce
(an interview question put to each person, a label before each of several
lists: a line ending in ``?`` or ``:``),
short lines (``—``, ``Photo``, ``Advertisement``, ``Getty Images``, repeated
sub-headings or datelines under ``min_length`` characters), blank lines
other than those before a removed paragraph, and the text of the lines it
keeps.  Repeats in different documents are not its business (it sees one
document at a time).

Example: ``"The council voted 7-2 to approve the new budget on Monday.\\n\\nPhoto\\n\\n"``
``"The council voted 7-2 to approve the new budget on Monday.\\n\\nPhoto"`` →
``"The council voted 7-2 to approve the new budget on Monday.\\n\\nPhoto\\n\\nPhoto"``.

Limitation: text that legitimately repeats a long line — the refrain of a
song or poem quoted in full — loses the repeats; raise ``min_length`` or
disable the cleaner for such text.

Speed: linear, with one set of seen lines.  A text without a line break, or
whose non-blank lines are all distinct, is returned unchanged (the same
object) after one ``split`` and one ``set``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..boilerplate.features import main_run
from ..cleaner import Change, Cleaner, Option

__all__ = ["DuplicatesCleaner"]

_MAX_ROUNDS = 8
#: how far (in lines) the choice of the copy to keep looks around a copy, and at most how many
#: copies inside the main run it compares: bounded, so the cost stays linear
_LOOK = 64
#: a repeat inside the article that ends like this is kept (see _protected)
_ASKING = ("?", ":", "？", "：")
_CLOSERS = "\"'”’»)]"
# Exactly the whitespace cleaner's per-line normalisation.
_RUNS = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")
_LINE_WS = " \t\r\f\v"


def _check_min_length(value: int) -> str | None:
    return "must be 1 or more" if value < 1 else None


def _keys(text: str, lines: list[str]) -> list[str]:
    """The comparison key of every line ("" for a blank line)."""
    keys = [line.strip(_LINE_WS) for line in lines]
    if "  " in text or "\t" in text or "\f" in text or "\v" in text:
        # Stripping first gives the same key: a run cannot straddle the stripped ends.
        keys = [_RUNS.sub(" ", k) if "  " in k or "\t" in k or "\f" in k or "\v" in k else k for k in keys]
    return keys


class DuplicatesCleaner(Cleaner):
    name = "duplicates"
    description = "Drop exact repeats of long lines and paragraphs within a document, keeping the first."
    order = 800
    options = {
        "min_length": Option(40, "shortest line or paragraph (in characters) that is deduplicated",
                             check=_check_min_length),
    }
    min_length: int

    def clean(self, text: str) -> str:
        found = self._rounds(text)
        if found is None:
            return text
        lines, kept = found
        return "\n".join([lines[t] for t in kept])

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The cleaned text and one change per removed stretch of lines, at its exact place."""
        found = self._rounds(text)
        if found is None:
            return text, []
        lines, kept = found
        result = "\n".join([lines[t] for t in kept])
        starts = []
        pos = 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        changes = []
        keep = set(kept)
        t = 0
        while t < len(lines):
            if t in keep:
                t += 1
                continue
            u = t
            while u + 1 < len(lines) and u + 1 not in keep:
                u += 1
            if t > 0:  # the line break before the stretch goes with it
                start, end = starts[t] - 1, starts[u] + len(lines[u])
            else:  # at the document's start: the line break after it
                start, end = 0, starts[u + 1] if u + 1 < len(lines) else len(text)
            changes.append(Change(start, text[start:end], "", "duplicate"))
            t = u + 1
        return result, changes

    def _rounds(self, text: str) -> tuple[list[str], list[int]] | None:
        """The lines of ``text`` and the indices of those kept, or None if none is dropped."""
        if "\n" not in text:
            return None
        lines = text.split("\n")
        keys = _keys(text, lines)
        nonblank = [key for key in keys if key]
        if len(set(nonblank)) == len(nonblank):
            return None
        # Removing a repeated line can leave a paragraph that repeats another one: go again until
        # nothing changes (a second round is rare, a third one rarer still).
        kept = list(range(len(lines)))
        for _ in range(_MAX_ROUNDS):
            now = [lines[t] for t in kept]
            chosen = self._kept(now, [keys[t] for t in kept])
            if chosen is None:
                break
            kept = [kept[t] for t in chosen]
        return (lines, kept) if len(kept) < len(lines) else None

    def _dedupe(self, text: str, lines: list[str], keys: list[str]) -> str:
        """One round of the work, without the fast path (``text`` itself when nothing is dropped)."""
        chosen = self._kept(lines, keys)
        return text if chosen is None else "\n".join([lines[t] for t in chosen])

    def _kept(self, lines: list[str], keys: list[str]) -> list[int] | None:
        """The indices of the lines one round keeps, or None if it drops none."""
        n = self.min_length
        total = len(lines)
        blocks: list[tuple[int, int]] = []
        i = 0
        while i < total:
            if not keys[i]:
                i += 1
                continue
            j = i + 1
            while j < total and keys[j]:
                j += 1
            blocks.append((i, j))
            i = j
        # where every long line and every multi-line paragraph occurs
        line_at: dict[str, list[int]] = {}
        block_at: dict[str, list[int]] = {}
        for number, (i, j) in enumerate(blocks):
            if j - i > 1:
                block_key = "\n".join(keys[i:j])
                if len(block_key) >= n:
                    block_at.setdefault(block_key, []).append(number)
            for t in range(i, j):
                if len(keys[t]) >= n:
                    line_at.setdefault(keys[t], []).append(t)
        if all(len(places) < 2 for places in line_at.values()) and all(
            len(places) < 2 for places in block_at.values()
        ):
            return None  # only short lines repeat: no need to find the article
        # the article's main run, in which only the first copy of a repeated line counts as prose
        # (so an article printed twice keeps its first printing)
        first, last, prose = main_run(lines, {t for places in line_at.values() for t in places[1:]})

        def inside(t: int) -> bool:
            return first <= t <= last

        def neighbours_in_prose(t: int, u: int) -> int:
            """How many of the non-blank lines just before ``t`` and just after ``u`` (other copies
            of the same text skipped) are prose."""
            own = set(keys[t:u + 1])
            before = next((k for k in range(t - 1, max(-1, t - _LOOK), -1) if keys[k] and keys[k] not in own), None)
            after = next((k for k in range(u + 1, min(total, u + _LOOK)) if keys[k] and keys[k] not in own), None)
            return sum(1 for k in (before, after) if k is not None and prose[k])

        chosen: dict[int, int] = {}  # id of a list of places -> the place kept

        def keeper(places: list[int], span: Callable[[int], tuple[int, int]]) -> int:
            """The copy to keep: of the copies inside the main run (else of all), the one most
            surrounded by prose (a teaser box has a heading around it), the first of those.
            Worked out once per repeated text."""
            if id(places) not in chosen:
                candidates = [p for p in places if inside(span(p)[0])] or places[:1]
                chosen[id(places)] = max(candidates[:_LOOK], key=lambda p: (neighbours_in_prose(*span(p)), -p))
            return chosen[id(places)]

        dropped = [False] * total
        for number, (i, j) in enumerate(blocks):
            block_key = "\n".join(keys[i:j]) if j - i > 1 else ""
            places = block_at.get(block_key, [])
            block_span = lambda b: (blocks[b][0], blocks[b][1] - 1)  # noqa: E731
            if len(places) > 1 and keeper(places, block_span) != number and not self._protected(keys, i, j, inside):
                dropped[i:j] = [True] * (j - i)
                continue
            for t in range(i, j):
                places = line_at.get(keys[t], [])
                if len(places) > 1 and keeper(places, lambda k: (k, k)) != t and not self._protected(
                    keys, t, t + 1, inside
                ):
                    dropped[t] = True
        if not any(dropped):
            return None
        out: list[int] = []
        for number, (i, j) in enumerate(blocks):
            gap_start = blocks[number - 1][1] if number else 0
            kept = [t for t in range(i, j) if not dropped[t]]
            if kept:
                out.extend(range(gap_start, i))  # the blank lines before a kept paragraph
                out.extend(kept)
        if blocks:
            out.extend(range(blocks[-1][1], total))  # the document's trailing blank lines
        return out

    @staticmethod
    def _protected(keys: list[str], i: int, j: int, inside: Callable[[int], bool]) -> bool:
        """A repeat inside the article's main run that asks or introduces (an interview question put
        to each person, a label before a list: it ends in ``?`` or ``:``) is kept."""
        return inside(i) and keys[j - 1].rstrip(_CLOSERS)[-1:] in _ASKING
