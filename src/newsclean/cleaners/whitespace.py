"""whitespace: tidy spaces, tabs, line ends and blank lines.

Changes:

- a run of spaces and tabs (and form feeds, vertical tabs) inside a line
  becomes one space;
- spaces, tabs and carriage returns at the start and end of every line are
  removed (so CRLF line ends become LF);
- more than ``max_blank_lines`` consecutive blank lines (default 1) are
  reduced to that many;
- the document's leading and trailing whitespace is removed.

Never touches: the characters of words, single spaces, single line breaks,
non-ASCII spaces such as NBSP (the ``unicode`` cleaner turns those into plain
spaces first).

Example: ``"  Hello   world \\n\\n\\n\\nBye\\t"`` → ``"Hello world\\n\\nBye"``.

Runs in linear time: one regular-expression scan decides whether anything
needs doing; otherwise the text is returned as it is.

Explain mode reports each fix where it is, with its category: ``spaces`` (a run
inside a line: ``"a  b"`` loses one space), ``line-ends`` (spaces at the end or
start of a line, whitespace-only lines), ``blank-lines`` (line breaks beyond
``max_blank_lines``) and ``document-ends``.
"""

from __future__ import annotations

import re

from ..changes import apply_changes
from ..cleaner import Change, Cleaner, Option

__all__ = ["WhitespaceCleaner"]

_LINE_WS = " \t\r\f\v"
_RUNS = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")
# Anything this cleaner would change leaves one of these traces (besides whitespace at the
# document's ends).  Plain substring tests are about five times faster than one regex
# alternation over the same text.
_TRACES = ("  ", " \n", "\n ", "\t", "\r", "\f", "\v")
_DOC_WS = _LINE_WS + "\n"
# A line break and what surrounds it: more line breaks, whitespace-only lines, and the
# next line's leading whitespace (the previous line's trailing whitespace is found by rstrip).
_BREAKS = re.compile(r"\n(?:[ \t\r\f\v]*\n)*[ \t\r\f\v]*")


def _check_blank(value: int) -> str | None:
    return "must be 0 or more" if value < 0 else None


class WhitespaceCleaner(Cleaner):
    name = "whitespace"
    description = "Collapse runs of spaces and tabs, strip line ends, limit blank lines, strip the document."
    order = 900
    options = {
        "max_blank_lines": Option(1, "most consecutive blank lines kept between paragraphs", check=_check_blank),
    }
    max_blank_lines: int

    def setup(self) -> None:
        n = self.max_blank_lines
        self._set("_blank_runs", re.compile("\n" * (n + 2) + "+"))
        self._set("_blank_repl", "\n" * (n + 1))
        self._set("_traces", (*_TRACES, "\n" * (n + 2)))

    def _quiet(self, text: str) -> bool:
        return text == text.strip(_DOC_WS) and not any(trace in text for trace in self._traces)  # type: ignore[attr-defined]

    def clean(self, text: str) -> str:
        if self._quiet(text):
            return text
        if "\t" in text or "  " in text or "\f" in text or "\v" in text:
            text = _RUNS.sub(" ", text)
        text = "\n".join([line.strip(_LINE_WS) for line in text.split("\n")])
        text = self._blank_runs.sub(self._blank_repl, text)  # type: ignore[attr-defined]
        return text.strip(_LINE_WS + "\n")

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The same result as :meth:`clean`, found line break by line break, with one change per fix."""
        if self._quiet(text):
            return text, []
        start = len(text) - len(text.lstrip(_DOC_WS))
        end = len(text.rstrip(_DOC_WS))
        if start == len(text):
            return "", [Change(0, text, "", "document-ends")]
        changes: list[Change] = []
        if start:
            changes.append(Change(0, text[:start], "", "document-ends"))
        keep = self.max_blank_lines + 1
        done = start  # changes are found up to here
        for match in _BREAKS.finditer(text, start, end):
            line = text[done : match.start()]
            line_end = done + len(line.rstrip(_LINE_WS))
            _runs(text, done, line_end, changes)
            _breaks(text, line_end, match.end(), keep, changes)
            done = match.end()
        _runs(text, done, end, changes)
        if end < len(text):
            changes.append(Change(end, text[end:], "", "document-ends"))
        return apply_changes(text, changes), changes


def _runs(text: str, start: int, end: int, changes: list[Change]) -> None:
    """Changes for the runs of spaces and tabs inside one line (``text[start:end]``)."""
    if end - start < 2 and (end == start or text[start] == " "):
        return
    for match in _RUNS.finditer(text, start, end):
        run = match.group()
        if run[0] == " ":
            changes.append(Change(match.start() + 1, run[1:], "", "spaces"))
        elif run[-1] == " ":
            changes.append(Change(match.start(), run[:-1], "", "spaces"))
        else:
            changes.append(Change(match.start(), run, " ", "spaces"))


def _breaks(text: str, start: int, end: int, keep: int, changes: list[Change]) -> None:
    """Changes for ``text[start:end]``: whitespace and at least one line break between two lines.

    The first ``keep`` line breaks stay; everything else goes: the whitespace around them is
    ``line-ends``, a stretch that removes line breaks is ``blank-lines``."""
    part = text[start:end]
    if part.count("\n") == len(part) <= keep:
        return
    pos = start
    kept = 0
    while kept < keep:
        brk = text.find("\n", pos, end)
        if brk < 0:
            break
        if brk > pos:
            changes.append(Change(pos, text[pos:brk], "", "line-ends"))
        kept += 1
        pos = brk + 1
    if pos < end:
        rest = text[pos:end]
        changes.append(Change(pos, rest, "", "blank-lines" if "\n" in rest else "line-ends"))
