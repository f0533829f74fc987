"""duplicates: drop exact repeats of long lines and paragraphs within one document.

Scrapers often capture the same text twice: a pull quote or a photo caption
that repeats a paragraph of the body, a paragraph duplicated by a template,
a whole article body appended twice.  This cleaner keeps the first
occurrence and removes the later ones.

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

Never touches: the first occurrence of anything, a line that occurs once,
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

from ..cleaner import Cleaner, Option

__all__ = ["DuplicatesCleaner"]

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
        if "\n" not in text:
            return text
        lines = text.split("\n")
        keys = _keys(text, lines)
        nonblank = [key for key in keys if key]
        if len(set(nonblank)) == len(nonblank):
            return text
        return self._dedupe(text, lines, keys)

    def _dedupe(self, text: str, lines: list[str], keys: list[str]) -> str:
        """The work itself, without the fast path (returns ``text`` itself when nothing is dropped)."""
        n = self.min_length
        seen_lines: set[str] = set()
        seen_blocks: set[str] = set()
        out: list[int] = []
        changed = False
        i, total = 0, len(lines)
        while i < total:
            if not keys[i]:
                out.append(i)
                i += 1
                continue
            j = i + 1
            while j < total and keys[j]:
                j += 1
            block_key = "\n".join(keys[i:j]) if j - i > 1 else ""
            drop = len(block_key) >= n and block_key in seen_blocks
            kept: list[int] = []
            if not drop:
                for t in range(i, j):
                    key = keys[t]
                    if len(key) >= n:
                        if key in seen_lines:
                            continue
                        seen_lines.add(key)
                    kept.append(t)
                if len(block_key) >= n:
                    seen_blocks.add(block_key)
                if len(kept) > 1 and len(kept) < j - i:
                    rest_key = "\n".join(keys[t] for t in kept)
                    if len(rest_key) >= n:
                        if rest_key in seen_blocks:
                            kept = []
                        else:
                            seen_blocks.add(rest_key)
                drop = not kept
            if drop:
                while out and not keys[out[-1]]:
                    out.pop()
                changed = True
            else:
                changed = changed or len(kept) < j - i
                out.extend(kept)
            i = j
        if not changed:
            return text
        return "\n".join([lines[t] for t in out])
