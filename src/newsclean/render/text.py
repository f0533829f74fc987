"""What the renderers share: invisible characters made visible, change marks, colours, line numbers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import regex

__all__ = ["LineIndex", "mark", "paint", "shorten", "visible"]

# Control and format characters, line and paragraph separators, surrogates and every space
# but the plain one; "\n" is handled by the caller.
_INVISIBLE = regex.compile(r"[[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Zs}]--[ \n]]", regex.V1)

#: Short names of the invisible characters met most in scraped text; others show as ``U+XXXX``.
NAMES = {
    "\t": "TAB", "\r": "CR", "\x0b": "VT", "\x0c": "FF", "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL",
    "\u00a0": "NBSP", "\u00ad": "SHY", "\u061c": "ALM", "\u180e": "MVS",
    "\u2002": "ENSP", "\u2003": "EMSP", "\u2007": "FIGSP", "\u2009": "THSP", "\u200a": "HSP",
    "\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u200e": "LRM", "\u200f": "RLM",
    "\u2028": "LS", "\u2029": "PS", "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO",
    "\u202e": "RLO", "\u202f": "NNBSP", "\u205f": "MMSP", "\u2060": "WJ", "\u2066": "LRI", "\u2067": "RLI",
    "\u2068": "FSI", "\u2069": "PDI", "\u3000": "IDSP", "\ufeff": "BOM",
}

RED, GREEN, CYAN, BOLD, DIM, RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[2m", "\x1b[0m"
REVERSE, NO_REVERSE = "\x1b[7m", "\x1b[27m"
NEWLINE = "⏎"
_NEWLINES = re.compile("\n")


def _name(match: regex.Match[str]) -> str:
    char = match.group()
    return f"⟨{NAMES.get(char) or f'U+{ord(char):04X}'}⟩"


def visible(text: str, newline: str | None = NEWLINE) -> str:
    """``text`` with invisible characters shown by name (``⟨NBSP⟩``, ``⟨ZWSP⟩``, ``⟨U+2061⟩``) and
    line breaks as ``newline`` (kept as they are when ``None``)."""
    if not text.isascii() or not text.isprintable():
        text = _INVISIBLE.sub(_name, text)
    if newline is not None and "\n" in text:
        text = text.replace("\n", newline)
    return text


def shorten(text: str, limit: int) -> tuple[str, str, int]:
    """``(head, tail, hidden)``: ``text`` cut in the middle to about ``limit`` characters."""
    if len(text) <= limit:
        return text, "", 0
    head = max(1, limit * 2 // 3)
    tail = max(1, limit - head)
    return text[:head], text[-tail:], len(text) - head - tail


def mark(text: str, kind: str, color: bool, in_line: bool = False) -> str:
    """``text`` marked as ``"removed"`` or ``"inserted"``: ``[-text-]``/``{+text+}``, or in colour
    (reverse video; ``in_line``: inside a line already coloured red or green)."""
    if not color:
        return f"[-{text}-]" if kind == "removed" else f"{{+{text}+}}"
    if in_line:
        return f"{REVERSE}{text}{NO_REVERSE}"
    return f"{RED if kind == 'removed' else GREEN}{REVERSE}{text}{RESET}"


def paint(text: str, code: str, color: bool) -> str:
    """``text`` in the ANSI style ``code`` when ``color``."""
    return f"{code}{text}{RESET}" if color and text else text


def shown(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters and made visible."""
    head, tail, hidden = shorten(text, limit)
    if not hidden:
        return visible(head)
    return f"{visible(head)}…({hidden:,} more)…{visible(tail)}"


class LineIndex:
    """Line and column (both from 1, columns in characters) of offsets in one text."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _NEWLINES.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """The width of each column of ``rows``."""
    return [max(len(row[k]) for row in rows) for k in range(len(rows[0]))] if rows else []
