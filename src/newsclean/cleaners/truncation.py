"""truncation: remove the markers that news APIs and feeds leave where they cut a text.

Changes:

- character-count markers such as NewsAPI's ``[+2001 chars]`` (and GNews'
  ``[2001 chars]``) at the end of any line (only spaces and tabs may follow),
  with the spaces before them; the
  ``…`` before the marker is kept, so the text still shows it was cut;
- ``[…]`` and ``[...]`` at the very end of the document (the "more" link of
  WordPress excerpts and RSS descriptions), option ``bracketed_ellipsis``;
- a "read more" stub at the very end of the document (option ``stubs``):
  ``Continue reading``, ``Keep reading``, ``Read more``, ``Read the full
  story``/``article``, ``Read the rest (of this story)``, ``Click here to read
  more`` and the phrases in ``extra_stubs``, in any letter case, optionally in
  brackets and followed by ``…``, ``...``, ``»``, ``›``, ``→``, ``>`` or ``>>``.
  The stub must be either the whole last line (then a final ``.`` is allowed
  too) or follow the end of a sentence (``.``, ``!``, ``?``, ``…``, a closing
  quote or parenthesis) on the last line; the stub, the spaces and line breaks
  before it are removed.  Several stubs and markers at the end are removed
  one after the other (``Read more… [+120 chars]``).

Whitespace after a removed marker or stub (a line's trailing spaces, the
document's trailing blank lines) is kept as it was; the ``whitespace``
cleaner tidies it.

Never touches: prose that mentions reading (``Read more about the plan in
our report.``, ``She urged voters to keep reading.``), a stub followed by
anything else, a stub in the middle of the text, ``[…]`` and ``[...]``
anywhere but at the very end (inside quotations they mark an editor's
elision, on a line of their own between paragraphs they mark omitted
passages of an excerpt), and character-count markers in the middle of a line.

Example: ``"...the senator said… [+2001 chars]"`` → ``"...the senator said…"``;
``"Talks resume on Monday.\\n\\nContinue reading…"`` → ``"Talks resume on Monday."``.

Speed: the character-count marker pattern only runs when the text contains
``" char"`` (one C-level substring search); everything else looks at a
window of at most 240 characters at the end of the text.  All patterns are
linear: each quantified class is followed by a character it cannot match.

Explain mode reports each removed piece with its category: ``marker`` (a
character-count marker), ``ellipsis`` (``[…]``) or ``stub``.
"""

from __future__ import annotations

import re

from ..changes import compose_passes, replace_spans
from ..cleaner import Change, Cleaner, Option

__all__ = ["STUBS", "TruncationCleaner"]

#: Built-in stubs (lower case, single spaces); case and spacing are ignored when matching.
STUBS: tuple[str, ...] = (
    "continue reading",
    "continue reading the main story",
    "continue reading the full story",
    "continue reading the full article",
    "keep reading",
    "read more",
    "read the full story",
    "read the full article",
    "read full story",
    "read full article",
    "read the rest",
    "read the rest of this story",
    "read the rest of the story",
    "read the rest of this article",
    "click here to read more",
    "click here to continue reading",
)

_MARKER_CHARS = r"\[\+?\d+ chars?\]"
_MARKER_ELLIPSIS = r"\[(?:…|\.\.\.)\]"
# One character-count marker and the spaces after it.  Runs of markers ending a line are found in
# Python (see _strip_line_markers): a single pattern for the run would backtrack quadratically on a
# long run of markers that does not end a line.
_CHARS = re.compile(rf"({_MARKER_CHARS})[ \t]*")
_TRAILERS = r"…|\.\.\.|»|›|→|>>?"
_SENTENCE_END = frozenset(".!?…\"')”’»")
_HSPACE = " \t"
_WINDOW = 240
_MAX_STUB = 80


def _check_stubs(value: tuple[str, ...]) -> str | None:
    for stub in value:
        if not isinstance(stub, str) or not stub.strip():
            return "stubs must be non-empty strings"
        if len(stub) > _MAX_STUB or "\n" in stub or "\r" in stub:
            return f"each stub must be one line of at most {_MAX_STUB} characters"
        if not any(ch.isalpha() for ch in stub):
            return f"stub {stub!r} must contain a letter"
    return None


def _hints(stubs: tuple[str, ...]) -> tuple[str, ...] | None:
    """Substrings of which the case-folded tail must contain one for any stub to match there.

    For each stub, the longest run of its last word without ``i`` (under re.IGNORECASE the
    Turkish dotted and dotless I match ``i`` but case-fold to something else); ``None`` (no
    pre-check) when a stub is not ASCII or such a run is empty.
    """
    hints = set()
    for stub in stubs:
        if not stub.isascii():
            return None
        best = max(stub.split()[-1].lower().split("i"), key=len)
        if not best:
            return None
        hints.add(best)
    return tuple(sorted(hints))


def _phrase(stub: str) -> str:
    return r"[ \t]+".join(re.escape(word) for word in stub.split())


class TruncationCleaner(Cleaner):
    name = "truncation"
    description = "Remove API truncation markers ([+2001 chars], […]) and trailing 'Read more' stubs."
    order = 600
    recheck = True  # removing trailing boilerplate later can expose a truncation stub
    options = {
        "bracketed_ellipsis": Option(True, "remove […] and [...] at the very end of the document"),
        "stubs": Option(True, "remove a 'Continue reading'/'Read more' stub at the very end of the document"),
        "extra_stubs": Option((), "more stub phrases to remove at the very end (e.g. 'Lire la suite')",
                              check=_check_stubs),
    }
    bracketed_ellipsis: bool
    stubs: bool
    extra_stubs: tuple[str, ...]

    def setup(self) -> None:
        markers = [_MARKER_CHARS] + ([_MARKER_ELLIPSIS] if self.bracketed_ellipsis else [])
        # The tail is always searched up to a non-space character (see _strip_tail), so no pattern
        # needs trailing spaces; the spaces before a trailer are bounded so that a stub's last word
        # always lies in the last _hint_span characters (the cheap pre-check relies on it).
        parts = [rf"(?P<marker>(?-i:{'|'.join(markers)}))\Z"]
        if self.stubs:
            phrases = sorted({_phrase(s.lower()) for s in (*STUBS, *self.extra_stubs)}, key=len, reverse=True)
            parts.append(
                rf"(?P<stub>[(\[]?(?<!\w)(?:{'|'.join(phrases)})(?!\w)[)\]]?(?:[ \t]{{0,4}}(?:{_TRAILERS}))?)"
                r"(?P<dot>\.)?\Z"
            )
        self._set("_tail", re.compile("|".join(parts), re.IGNORECASE))
        stubs = (*STUBS, *self.extra_stubs) if self.stubs else ()
        self._set("_hints", _hints(stubs))
        # bracket (1) + spaces (4) + trailer (3) + dot (1), and a margin
        self._set("_hint_span", 12 + max((len(s.split()[-1]) for s in stubs), default=0))

    def clean(self, text: str) -> str:
        return self._clean(text, fast=True)

    def _clean(self, text: str, fast: bool) -> str:
        if not fast or " char" in text:
            text = self._strip_line_markers(text)
        return self._strip_tail(text, fast)

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The same result as :meth:`clean`, with one change per removed marker or stub."""
        passes = []
        spans = _line_marker_spans(text) if " char" in text else []
        if spans:
            changes = [Change(start, text[start:end], "", "marker") for start, end in spans]
            passes.append((replace_spans(text, spans), changes))
        rest = passes[0][0] if passes else text
        pieces = self._tail_pieces(rest)
        if pieces:
            changes = [Change(start, rest[start:end], "", kind) for start, end, kind in reversed(pieces)]
            passes.append((replace_spans(rest, [(pieces[-1][0], pieces[0][1])]), changes))
        return compose_passes(text, passes)

    @staticmethod
    def _strip_line_markers(text: str) -> str:
        """Remove every run of character-count markers (and the spaces around it) that ends a line."""
        return replace_spans(text, _line_marker_spans(text))

    def _strip_tail(self, text: str, fast: bool = True) -> str:
        pieces = self._tail_pieces(text, fast)
        if not pieces:
            return text
        return text[: pieces[-1][0]] + text[pieces[0][1] :]

    def _tail_pieces(self, text: str, fast: bool = True) -> list[tuple[int, int, str]]:
        """The markers and stubs to remove at the end of ``text``, last first: ``(start, end, kind)``,
        each piece ending where the one before (in this list) starts."""
        size = len(text.rstrip())
        end = size
        hints = self._hints  # type: ignore[attr-defined]
        if fast and (end == 0 or (hints is not None and text[end - 1] != "]")):
            # Only a marker ends with "]"; a stub's last word lies in the last _hint_span characters.
            folded = text[max(0, end - self._hint_span) : end].casefold()  # type: ignore[attr-defined]
            if not any(hint in folded for hint in hints or ()):
                return []
        tail = self._tail
        pieces: list[tuple[int, int, str]] = []
        while end > 0:
            m = tail.search(text, max(0, end - _WINDOW), end)
            if m is None:
                break
            start = m.start()
            before = start
            while before > 0 and text[before - 1] in _HSPACE:
                before -= 1
            marker = m.group("marker")
            if marker is None:
                prev = text[before - 1] if before > 0 else "\n"
                whole_line = prev in "\r\n"
                after_sentence = (
                    m.group("dot") is None
                    and prev in _SENTENCE_END
                    and (before < start or prev == "…" or text.endswith("...", 0, before))
                )
                if not (whole_line or after_sentence):
                    break
            while before > 0 and text[before - 1].isspace():
                before -= 1
            pieces.append((before, end, "stub" if marker is None else "marker" if "char" in marker else "ellipsis"))
            end = before
        return pieces


def _line_marker_spans(text: str) -> list[tuple[int, int]]:
    """The spans of every run of character-count markers that ends a line, with the spaces before it."""
    spans: list[tuple[int, int]] = []
    last = 0  # end of the last span
    run_start = -1  # start of the current run of adjacent markers, -1 if none
    run_end = -1
    for m in _CHARS.finditer(text):
        if m.start() != run_end:
            run_start = m.start()
        run_end = m.end()
        if run_end == len(text) or text[run_end] in "\r\n":
            start = last + len(text[last:run_start].rstrip(_HSPACE))
            spans.append((start, m.end(1)))  # the line's own trailing spaces stay
            last = m.end(1)
    return spans
