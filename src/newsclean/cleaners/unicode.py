"""unicode: normalise Unicode, odd spaces, line separators and invisible characters.

Changes:

- every exotic space becomes a plain space: NO-BREAK SPACE U+00A0, OGHAM
  SPACE MARK U+1680, U+2000–U+200A (en/em quads and spaces, thin, hair,
  figure, punctuation spaces…), NARROW NO-BREAK SPACE U+202F, MEDIUM
  MATHEMATICAL SPACE U+205F, IDEOGRAPHIC SPACE U+3000;
- CRLF, lone CR, NEXT LINE U+0085, LINE SEPARATOR U+2028, PARAGRAPH
  SEPARATOR U+2029, vertical tab and form feed become ``"\\n"``;
- removed: the byte-order mark / ZERO WIDTH NO-BREAK SPACE U+FEFF anywhere,
  SOFT HYPHEN U+00AD, ZERO WIDTH SPACE U+200B, WORD JOINER U+2060, the
  invisible operators U+2061–U+2064, MONGOLIAN VOWEL SEPARATOR U+180E, the
  C0 and C1 control characters other than ``"\\n"`` and ``"\\t"`` (and DEL),
  and the bidirectional *embedding, override and isolate* controls
  U+202A–U+202E and U+2066–U+2069 (scraped fragments leave them unbalanced,
  and they only affect display, never the characters of the text);
- ZERO WIDTH JOINER U+200D and ZERO WIDTH NON-JOINER U+200C are kept where
  they can mean something and removed where they are stray.  The rule: one
  is kept when the nearest character before it that is not a combining mark
  and the character right after it both exist and are neither ASCII, nor
  whitespace, nor Latin script, nor punctuation, nor another U+200C/U+200D.  So they stay in
  emoji sequences (👩‍💻, ❤️‍🔥), in Persian and Arabic words (می‌خواهم) and
  in Indic conjuncts (क्‍ष), and go between Latin letters
  (``"foo\\u200dbar"``), next to spaces or punctuation, and at the ends;
- a surrogate pair stored as two code points (``"\\ud83d\\ude00"``) becomes
  the character it encodes; any other (lone) surrogate becomes U+FFFD
  REPLACEMENT CHARACTER (a visible mark that something was lost, rather
  than gluing its neighbours together);
- the text is normalised to NFC (option ``form``: ``"NFC"``, ``"NFKC"`` or
  ``"none"``).  NFKC also folds compatibility characters (``ﬁ`` → ``fi``,
  full-width letters, superscripts), which changes meaning in places
  (``x²`` → ``x2``), so it is not the default.

Never touches: the characters of words (apart from NFC, which only changes
how an accented letter is encoded), tabs, line breaks, the bidirectional
*marks* U+200E, U+200F and U+061C (used inside right-to-left text, unlike the
paired controls), variation selectors, curly quotes and dashes (the
``quotes`` cleaner owns those).

Example: ``"\\ufeffThe\\u00a0mayor\\u200b said\\r\\nno"`` →
``"The mayor said\\nno"``.

Fast path: ASCII text without control characters (one ``isascii()`` and one
character-class scan) is returned as it is; so is other text without any
character this cleaner changes when ``unicodedata.is_normalized`` says it is
already in the chosen form.  One-to-one replacements use ``str.replace`` per
distinct character found (or ``str.translate`` when there are many); long
texts are normalised line by line; only the joiner rule uses a
context-dependent regular expression (from the ``regex`` package, for the
Latin-script and virama properties).

Explain mode reports each replaced or removed run where it is, by category:
``space``, ``line-break``, ``invisible`` (BOM, soft hyphen, zero-width space,
word joiner, invisible operators, Mongolian vowel separator), ``control``,
``bidi``, ``surrogate``, ``joiner`` and ``normalization`` (found line by line:
the changed characters of each line whose normal form differs).
"""

from __future__ import annotations

import re
import unicodedata

import regex

from ..changes import apply_changes, compose_passes, kind_runs
from ..cleaner import Change, Cleaner, Option
from ..diffing import diff_changes

__all__ = ["UnicodeCleaner"]

_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
_C0 = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c") + "\x7f"
_C1 = "".join(chr(c) for c in range(0x80, 0xA0) if c != 0x85)
_INVISIBLE = "\ufeff\u00ad\u200b\u2060\u2061\u2062\u2063\u2064\u180e"
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_JOINERS = "\u200c\u200d"

_REPLACEMENTS: dict[str, str] = {ch: " " for ch in _SPACES}
_REPLACEMENTS.update({ch: "\n" for ch in _LINE_BREAKS})
_REPLACEMENTS.update({ch: "" for ch in _C0 + _C1 + _INVISIBLE + _BIDI_CONTROLS})
_TABLE: dict[int, str | None] = {ord(ch): rep or None for ch, rep in _REPLACEMENTS.items()}
#: The category explain mode reports for each character of the table.
_KINDS: dict[str, str] = {
    **dict.fromkeys(_SPACES, "space"), **dict.fromkeys(_LINE_BREAKS, "line-break"),
    **dict.fromkeys(_C0 + _C1, "control"), **dict.fromkeys(_INVISIBLE, "invisible"),
    **dict.fromkeys(_BIDI_CONTROLS, "bidi"),
}

# Everything the table changes, surrogates, and joiners: a text without any of
# these needs at most normalisation.
_NEEDS_WORK = re.compile(
    "[" + re.escape(_SPACES + _LINE_BREAKS + _C0 + _C1 + _INVISIBLE + _BIDI_CONTROLS + _JOINERS) + "\ud800-\udfff]"
)
_TRANSLATE = re.compile("[" + re.escape(_SPACES + _LINE_BREAKS + _C0 + _C1 + _INVISIBLE + _BIDI_CONTROLS) + "]+")
# ASCII text needs work only for these.
_ASCII_NEEDS_WORK = re.compile("[" + re.escape(_C0) + "\r\x0b\x0c]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Not a reason to keep a joiner: ASCII, whitespace, Latin letters, punctuation, joiners.
# Punctuation counts as plain too: the quotes cleaner turns curly quotes into
# ASCII later, and the decision must not depend on which of the two it sees.
_PLAIN = r"\x00-\x7f\s\p{Latin}\p{P}\u200c\u200d"
_STRAY_JOINER = regex.compile(
    rf"(?<![^{_PLAIN}\p{{M}}]\p{{M}}*)[\u200c\u200d]"  # nothing meaningful before it
    rf"|(?<!\p{{ccc=Virama}})[\u200c\u200d](?![^{_PLAIN}])"  # nothing meaningful after it, and not after a virama
)


# A run of this many characters that decompose into combining marks (every \p{M}, and the halfwidth
# katakana sound marks under NFKD) is put in canonical order here before unicodedata.normalize, whose
# canonical ordering is an insertion sort: quadratic in the length of a run out of order
# ("a" + U+0301 * 80000 + U+0316 * 80000 took 40 s).  Shorter runs cost it at most _MARK_RUN² steps each.
_MARK_RUN_MIN = 32
_MARK_RUN = regex.compile(rf"[\p{{M}}\uff9e\uff9f]{{{_MARK_RUN_MIN},}}")


def _canonical_order(run: str, decompose: str) -> str:
    """``run`` decomposed (``decompose``: NFD or NFKD) and in canonical order, in linear time.

    Each character is decomposed alone (a decomposition is per character), then each stretch of
    non-starters is sorted by combining class with a stable bucket sort: exactly what
    ``unicodedata.normalize(decompose, run)`` returns, without its quadratic insertion sort.
    """
    table = {ch: unicodedata.normalize(decompose, ch) for ch in set(run)}
    out: list[str] = []
    buckets: dict[int, list[str]] = {}
    combining = unicodedata.combining
    for ch in "".join(map(table.__getitem__, run)):
        ccc = combining(ch)
        if ccc:
            buckets.setdefault(ccc, []).append(ch)
            continue
        if buckets:
            for key in sorted(buckets):
                out.extend(buckets[key])
            buckets.clear()
        out.append(ch)
    for key in sorted(buckets):
        out.extend(buckets[key])
    return "".join(out)


def _join_pair(match: re.Match[str]) -> str:
    high, low = (ord(ch) for ch in match.group())
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


class UnicodeCleaner(Cleaner):
    name = "unicode"
    description = (
        "Normalise to NFC, turn exotic spaces into spaces and line separators into newlines, "
        "remove BOM, soft hyphens, control characters, zero-width spaces and stray joiners."
    )
    order = 400
    options = {
        "form": Option("NFC", "Unicode normalisation form: NFC, NFKC or none", choices=("NFC", "NFKC", "none")),
    }
    form: str

    def _quiet(self, text: str) -> bool:
        if text.isascii():
            return _ASCII_NEEDS_WORK.search(text) is None
        return _NEEDS_WORK.search(text) is None and (self.form == "none" or unicodedata.is_normalized(self.form, text))

    def clean(self, text: str) -> str:
        if self._quiet(text):
            return text
        result = text
        if "\r" in result:
            result = result.replace("\r\n", "\n")
        runs = _TRANSLATE.findall(result)
        if runs:
            # A few distinct characters, each replaced by a fast str.replace,
            # beat str.translate (a dict lookup per character) on long texts.
            found = set("".join(set(runs)))
            if len(found) > 8:
                result = result.translate(_TABLE)
            else:
                for ch in found:
                    result = result.replace(ch, _REPLACEMENTS[ch])
        if not result.isascii():
            if _LONE_SURROGATE.search(result):
                result = _SURROGATE_PAIR.sub(_join_pair, result)
                result = _LONE_SURROGATE.sub("\ufffd", result)
            result = self._normalize(result)
            # Removing a stray joiner can denormalise ("e" ZWJ U+0301), and
            # normalising can make a joiner stray (NFKC: "①" → "1"); repeat
            # until stable.  Each round removes a joiner, so this ends.
            while "\u200c" in result or "\u200d" in result:
                stripped = _STRAY_JOINER.sub("", result)
                if stripped == result:
                    break
                result = self._normalize(stripped)
        return text if result == text else result

    def _normalize(self, text: str) -> str:
        form = self.form
        if form == "none" or text.isascii() or unicodedata.is_normalized(form, text):
            return text  # (the quick check stops at the first mark out of order: linear)
        if _MARK_RUN.search(text) is not None:
            decompose = "NFD" if form == "NFC" else "NFKD"
            text = _MARK_RUN.sub(lambda m: _canonical_order(m.group(), decompose), text)
        if len(text) < 4096:
            return unicodedata.normalize(form, text)
        # Normalisation never reaches across a line feed (a starter that
        # composes with nothing), so long texts are normalised line by line:
        # most lines pass the quick check and are returned as they are.
        return "\n".join([unicodedata.normalize(form, line) for line in text.split("\n")])

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The same result as :meth:`clean`, pass by pass, each pass's changes found where they are."""
        if self._quiet(text):
            return text, []
        passes = []
        changes = _table_changes(text)
        result = apply_changes(text, changes)
        passes.append((result, changes))
        if not result.isascii():
            if _LONE_SURROGATE.search(result):
                changes = [
                    Change(m.start(), m.group(), _join_pair(m) if len(m.group()) == 2 else "\ufffd", "surrogate")
                    for m in _SURROGATES.finditer(result)
                ]
                result = apply_changes(result, changes)
                passes.append((result, changes))
            result, changes = self._normalize_changes(result)
            passes.append((result, changes))
            while "\u200c" in result or "\u200d" in result:
                spans: list[list[int]] = []  # runs of stray joiners
                for match in _STRAY_JOINER.finditer(result):
                    if spans and spans[-1][1] == match.start():
                        spans[-1][1] = match.end()
                    else:
                        spans.append([match.start(), match.end()])
                changes = [Change(start, result[start:end], "", "joiner") for start, end in spans]
                if not changes:
                    break
                result = apply_changes(result, changes)
                passes.append((result, changes))
                result, changes = self._normalize_changes(result)
                passes.append((result, changes))
        return compose_passes(text, passes)

    def _normalize_changes(self, text: str) -> tuple[str, list[Change]]:
        """:meth:`_normalize` of ``text``, and its changes, found line by line."""
        if self.form == "none" or text.isascii() or unicodedata.is_normalized(self.form, text):
            return text, []
        form = self.form
        changes: list[Change] = []
        pos = 0
        for line in text.split("\n"):
            if not unicodedata.is_normalized(form, line):
                changes.extend(diff_changes(line, unicodedata.normalize(form, line), "normalization", offset=pos))
            pos += len(line) + 1
        return apply_changes(text, changes), changes


def _table_changes(text: str) -> list[Change]:
    """The changes of CRLF -> LF and of the replacement table: one per run of characters of one category."""
    changes: list[Change] = []
    for match in _TRANSLATE.finditer(text):
        run = match.group()
        start = match.start()
        if run[-1] == "\r" and text.startswith("\n", match.end()):  # CRLF: the CR goes
            changes.extend(kind_runs(run[:-1], start, _KINDS, _TABLE))
            changes.append(Change(match.end() - 1, "\r", "", "line-break"))
        elif len(run) == 1:
            changes.append(Change(start, run, _REPLACEMENTS[run], _KINDS[run]))
        else:
            changes.extend(kind_runs(run, start, _KINDS, _TABLE))
    return changes
