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
"""

from __future__ import annotations

import re

from ..cleaner import Cleaner, Option

__all__ = ["WhitespaceCleaner"]

_LINE_WS = " \t\r\f\v"
_RUNS = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")
# Anything this cleaner would change leaves one of these traces (besides whitespace at the
# document's ends).  Plain substring tests are about five times faster than one regex
# alternation over the same text.
_TRACES = ("  ", " \n", "\n ", "\t", "\r", "\f", "\v")


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

    def clean(self, text: str) -> str:
        if text == text.strip(_LINE_WS + "\n") and not any(trace in text for trace in self._traces):  # type: ignore[attr-defined]
            return text
        if "\t" in text or "  " in text or "\f" in text or "\v" in text:
            text = _RUNS.sub(" ", text)
        text = "\n".join([line.strip(_LINE_WS) for line in text.split("\n")])
        text = self._blank_runs.sub(self._blank_repl, text)  # type: ignore[attr-defined]
        return text.strip(_LINE_WS + "\n")
