"""hovercards: remove thehill.com hover-card artifacts glued after people's names.

Pages scraped from thehill.com (and sites copying it) carry, right after a
person's name, the text of the site's invisible hover card: the person's
canonical name, one or more related headlines glued together, then ``MORE``::

    Gov. Jane DoeJane Marie DoeDoe signs budget Senate passes farm billMORE (D-Ore.) said
    Majority Leader Ann Lee Ann Marie LeeLee blocks vote Senate adjourns early MORE (D-Wash.) said

Changes:

- a card -- canonical name, headlines and ``MORE`` -- is removed and the
  display name kept; whatever followed ``MORE`` (``(D-Ore.)``, ``'s``, a
  comma, ``Jr.``, the rest of a display name the card was inserted into)
  attaches to the display name: one space before a word, none before
  punctuation or a possessive;
- both formats are handled: the feed format (display name, canonical name,
  first headline and ``MORE`` glued together) and the web format (spaces
  around the canonical name and before ``MORE``), and any mix, with plain
  spaces, NBSP or other Unicode spaces, and soft hyphens or zero-width
  spaces inside names;
- the display name may be a full name or the surname alone (``President
  Smith``); the canonical name may add middle names, initials, nicknames in
  parentheses, suffixes (``Jr.``, ``III``), hyphens, apostrophes, particles
  (``de``, ``Van``) and accents the display name lacks;
- when the card landed inside the display name (``Sarah Ann`` + card +
  `` Smith``), the part after ``MORE`` completes it;
- a card cut off by an API truncation marker (``Rep. Ann LeeAnn LeeLee to
  retire… [+1873 chars]``) is removed up to the ``…``; the marker is kept for
  the ``truncation`` cleaner.

Never touches: text without ``MORE`` (or a truncation marker); CamelCase
words (McConnell, LeBron, DeSantis, iPhone, YouTube, PowerPoint); names that
are legitimately repeated (``Abdullah Abdullah``, ``Hillary Clinton
Clinton``, a display name glued to itself without ``MORE``); all-caps
``MORE`` in ordinary text (``ONE MORE TIME``, ``READ MORE:``, ``MORE THAN
50,000``); the display name itself.  Spaces and quotes are left for the
``unicode``, ``quotes`` and ``whitespace`` cleaners.

How a card is recognised (conservative: precision over recall, since a false
positive deletes real prose):

1. Anchors are ``MORE`` not inside a longer word, and truncation markers.  A
   ``MORE`` next to ordinary all-caps text (followed by an all-caps word, or
   after ``ONE``, ``READ``… or three all-caps words) or after an article or
   preposition (``the MORE Act``) is left alone.
2. Looking back at most ``max_card_chars`` characters on the same line, and
   never past an earlier ``MORE`` that was kept, a card starts where a name
   word D (the display name's last word, ignoring ``Jr.``/``III``) is
   followed, glued or after a space, by a canonical name of at least two
   name tokens whose last token equals D, compared without case and accents.
3. The canonical name must share a first name or nickname with the display
   name (``Ron``/``Ronald``, ``(Chris)``), unless the display name is a
   title and a surname alone (``President Smith``).  When the card split the
   display name, the canonical name instead ends with the name word right
   after ``MORE`` and begins with the display name's first name.
4. The canonical name is followed by ``MORE`` or by what starts a headline:
   a capital, a digit or a quote, glued or after a space -- never a
   lower-case word or a possessive.  A card cut by a truncation marker, which
   has no ``MORE`` to confirm it, must also be glued on one side.
5. Of several candidate starts the one nearest ``MORE`` wins, so the least
   text is removed.

Anchors are handled left to right on the text as already cleaned, so a
second run finds nothing more (idempotent).  The look-back is bounded and
every pattern is linear, so the cost is linear in the input size.

Known limits (all on the side of keeping text): a card cut by a truncation
marker in the fully spaced web format, or cut inside the canonical name, is
kept; so is a card longer than ``max_card_chars``, one whose ``MORE`` is glued
to an all-caps word longer than four letters, and one whose canonical name
shares no first name or nickname with a display name that is not a title plus
a surname.  If the headlines themselves contain a repeated name followed by a
capitalised word (``… Ann Lee Ann Lee Wins …``), only the part of the card
after it is removed.

Options: ``max_card_chars`` (default 600; real cards are up to about 400
characters) bounds the look-back; ``truncated_cards`` (default on) controls
the removal of cards cut by truncation markers.

Example: ``"Sen. Bo BrownRobert (Bo) Brown Jr.Headline here MORE's plan"``
→ ``"Sen. Bo Brown's plan"``.

Runs only if ``"MORE"`` (or ``"chars]"``) occurs in the text; otherwise the
text is returned as it is.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from ..cleaner import Change, Cleaner, Option

__all__ = ["HovercardsCleaner"]

# Spaces that may separate the parts of a card (the unicode cleaner runs later).
_SPACES = " \u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SP = "[ \u00a0\u2000-\u200a\u202f\u205f\u3000]"
# Invisible characters that may sit inside a name (soft hyphen, zero-width space, word joiners).
_IGNORABLE = "\u00ad\u200b\u2060\ufeff"
_IGN = _IGNORABLE  # (as a regex class fragment)
_QUOTES = "'\"‘“"
# Characters of a name word, looked at backwards from a card start.
_WORD_EXTRA = "'’-."
_WORD_BEFORE = regex.compile(rf"[\p{{L}}\p{{M}}'’ʼ.\-\u2010\u2011{_IGN}]+", regex.REVERSE)
_SUFFIXES = frozenset({"Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"})
# Words that may stand before a surname-only display name (``President Smith``), folded.
_TITLES = frozenset(
    """
    president vice sen senator sens rep reps representative gov governor govs speaker secretary leader whip
    justice judge mayor mr mrs ms mx dr prof professor gen general adm admiral lt col capt sgt cmdr chief
    chairman chairwoman chair director ambassador minister premier chancellor commissioner councilman
    councilwoman councilmember delegate del attorney prosecutor sheriff treasurer comptroller auditor
    king queen prince princess pope sir dame lord lady rev cardinal bishop rabbi coach host anchor
    """.split()
)
# All-caps words that put MORE in ordinary capitalised text (``ONE MORE``, ``READ MORE``).
_CAPS_BEFORE_MORE = frozenset(
    """
    ONE READ SEE LEARN FIND GET GRAB CLICK SHOW LOAD VIEW TELL HEAR WATCH WANT NEED NO ANY MUCH MANY EVEN SOME
    FAR ONCE AND OR THE IS ARE WAS WERE BE IT US ME WE YOU THEY DO DOES NEVER ALWAYS ANYMORE LITTLE LESS EVER
    """.split()
)
# Words no headline ends with; ``the MORE Act`` is ordinary text.
_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "or", "by", "with", "from", "at", "The", "A", "An"})
# First parts of CamelCase surnames; never taken for a whole display surname.
_CAMEL_PREFIXES = frozenset(
    "Mc Mac De Di Da Du Del Della Des Le La Lo Van Von Ver Fitz St Al El Abu Ben Bin Ibn Ter Ten".split()
)
_PUNCT = "()[],;:.!?\"“”‘'’"
# Most name tokens a canonical name may have before its surname.
_MAX_TOKENS = 8
# Extra look-back (beyond max_card_chars) to read the display name.
_DISPLAY_ROOM = 80

# Anchors: ``MORE`` and API truncation markers.  ``MORE`` may be glued to a
# lower-case word (``billMORE``) or to a short acronym (``GOPMORE``), but not be
# the end of a longer all-caps word (``SYCAMORE``, ``BALTIMORE``, ``ANYMORE``).
_ANCHOR = regex.compile(
    r"(?:(?<!\p{Lu})|(?<=(?<![\p{L}\p{M}])(?!ANY|EVER|SYCA|WHIT|LARA|GILL|SEY)\p{Lu}{2,4}))MORE(?![\p{L}\p{N}])"
    rf"|(?:…|\.\.\.){_SP}?\[\+\d+ chars\]"
)
# Possible first character of a canonical name: a capital glued to a lower-case
# letter (``DoeJane``, ``Jr.Jane``) or after a space (at most 3) following a word.
_CARD_START = regex.compile(rf"(?<=[\p{{Ll}}\p{{M}}.])\p{{Lu}}|(?<=[\p{{L}}\p{{M}}.]{_SP}{{1,3}})\p{{Lu}}")
# One token of a canonical name before its surname, with the space after it.
_NAME_TOKEN = regex.compile(
    rf"(?:\p{{Lu}}[\p{{L}}\p{{M}}'’ʼ\-\u2010\u2011{_IGN}]*\.?"
    rf"|\(\p{{Lu}}[\p{{L}}\p{{M}}'’ʼ.\-\u2010\u2011{_IGN}]*(?:{_SP}\p{{Lu}}[\p{{L}}\p{{M}}'’ʼ.\-\u2010\u2011{_IGN}]*)?\)"
    r"|(?:de|da|del|della|der|den|di|du|dos|das|van|von|la|le|bin|ibn|al|ten|ter|y)"
    rf"){_SP}{{1,2}}"
)
# A suffix after the canonical surname (``Doe Jr.``, ``Doe, III``).
_SUFFIX_AFTER = regex.compile(rf",?{_SP}(?:Jr\.|Sr\.|II|III|IV)")
# The name word right after ``MORE`` when the card split the display name.
_TAIL_NAME = regex.compile(
    rf"{_SP}(\p{{Lu}}[\p{{Ll}}\p{{M}}]*(?:['’\-]?\p{{Lu}}[\p{{Ll}}\p{{M}}]+)?)(?![\p{{L}}\p{{M}}\-]|['’]\p{{L}}{{2}})"
)
# An all-caps word right after ``MORE`` means ordinary capitalised text (``MORE THAN``).
_CAPS_AFTER = regex.compile(rf"{_SP}+(?!(?:II|III|IV)(?![\p{{L}}]))\p{{Lu}}{{2,}}(?![\p{{Ll}}])")
_CAPS_WORD = regex.compile(r"^[^\p{Ll}]*\p{Lu}[^\p{Ll}]*\p{Lu}[^\p{Ll}]*$")


_FOLD_SPECIAL = {"’": "'", "‘": "'", "ʼ": "'", "\u2010": "-", "\u2011": "-"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _IGNORABLE:
        return ""
    if ch in _FOLD_SPECIAL:
        return _FOLD_SPECIAL[ch]
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    return base.casefold()


def _fold(s: str) -> str:
    """Lower-case without accents, for comparing names (``Sánchez`` = ``sanchez``)."""
    if s.isascii():
        return s.lower()
    return "".join([_fold_char(ch) for ch in s])


def _name_at(w: str, pos: int, folded: str) -> int:
    """End of the name ``folded`` (see :func:`_fold`) if ``w`` has it, capitalised, at ``pos``; else -1."""
    if pos >= len(w) or not w[pos].isupper():
        return -1
    size = len(folded)
    seg = w[pos : pos + size]
    if seg.isascii():
        return pos + size if seg.lower() == folded else -1
    got: list[str] = []
    have = 0
    i, n = pos, len(w)
    while i < n and have < size:
        f = _fold_char(w[i])
        got.append(f)
        have += len(f)
        i += 1
    return i if "".join(got) == folded else -1


def _display_surname(w: str, j: int) -> tuple[str, int] | None:
    """The name word ending at ``w[j]`` (skipping a suffix such as ``Jr.``) and its start, or ``None``."""
    for _ in range(2):
        m = _WORD_BEFORE.match(w, 0, j)
        if m is None:
            return None
        k = m.start()
        word = m.group()
        if word not in _SUFFIXES:
            break
        j = k
        if j > 0 and w[j - 1] in _SPACES:
            j -= 1
        if j > 0 and w[j - 1] == ",":
            j -= 1
    else:
        return None
    stripped = word.lstrip(_WORD_EXTRA)
    k += len(word) - len(stripped)
    word = stripped
    if (
        len(word) < 2
        or not word[0].isupper()
        or not word[-1].isalpha()
        or not any(ch.islower() for ch in word)
    ):
        return None
    return word, k


def _headline_starts(w: str, e: int) -> bool:
    """Whether the canonical name may end at ``e``: ``MORE`` or a headline follows."""
    n = len(w)
    for _ in range(3):
        if e < n and w[e] in _SPACES:
            e += 1
    if e >= n:
        return True
    ch = w[e]
    if ch.isupper() or ch.isdigit():
        return True
    if e + 1 >= n:
        return False
    nxt = w[e + 1]
    return (ch in _QUOTES and (nxt.isupper() or nxt.isdigit())) or (ch == "$" and nxt.isdigit())


def _same_name(a: str, b: str) -> bool:
    """Folded first names that may denote the same person (``ron``/``ronald``, ``chris``/``christopher``)."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 3 and long.startswith(short)


def _canonical_end(
    w: str, b: int, target: str, split: bool, display: list[str], last: str, titled: bool
) -> int | None:
    """If a canonical name starts at ``w[b]`` and ends with ``target``, return where it ends.

    ``target`` is the display name's surname or, for a display name split by the
    card (``split``), the name word after ``MORE``.  ``display`` holds the folded
    words of the display name before its last word ``last``.  The canonical name must
    share a first name or nickname with them, unless the display name is a
    title and a surname alone (``titled``); when split, it must begin with the
    display name's first name.
    """
    folded = _fold(target)
    pos = b
    tokens: list[str] = []
    for ntok in range(_MAX_TOKENS + 1):
        if ntok:
            end = _name_at(w, pos, folded)
            if end >= 0 and any(t != folded for t in tokens):  # ``Pelosi Pelosi Pelosi`` is no name
                if split:
                    ok = bool(display) and tokens[0] == display[-1] and (len(display) < 2 or display[-2] != last)
                elif titled:
                    # ``Sen. Tia Ray Tia Ray said``: no card begins with the display name's first word.
                    nxt = w[end : end + 40].split()[:1]
                    ok = not nxt or _fold(nxt[0].strip(_PUNCT)) not in tokens
                else:
                    # A shared first name or nickname (the surname itself does not count).
                    ok = any(_same_name(t, d) for t in tokens if t != folded for d in display if d != folded)
                if ok:
                    if _headline_starts(w, end):
                        return end
                    m = _SUFFIX_AFTER.match(w, end)
                    if m and _headline_starts(w, m.end()):
                        return m.end()
        m = _NAME_TOKEN.match(w, pos)
        if m is None:
            return None
        tokens.append(_fold(m.group().strip(_SPACES + "()")))
        pos = m.end()
    return None


def _ordinary_more(w: str, after: str) -> bool:
    """``MORE`` used as a word of ordinary text rather than a card's end.

    All-caps text (``ONE MORE TIME``, ``READ MORE OF``, ``DEMOCRATS (AND OPRAH)
    MORE THAN``) or an article or preposition right before it (``the MORE Act``):
    no headline ends like that.
    """
    if _CAPS_AFTER.match(after):
        return True
    words = w[-60:].split()[-3:]
    if not words:
        return False
    if _CAPS_WORD.match(words[-1]) and (
        words[-1].strip(_PUNCT) in _CAPS_BEFORE_MORE or (len(words) == 3 and all(_CAPS_WORD.match(x) for x in words))
    ):
        return True
    return w[-1:] in _SPACES and words[-1] in _FUNCTION_WORDS


def _check_max(value: int) -> str | None:
    return "must be at least 50" if value < 50 else None


class HovercardsCleaner(Cleaner):
    __doc__ = __doc__
    name = "hovercards"
    description = "Remove thehill.com hover cards (canonical name + headlines + MORE) glued after people's names."
    order = 300
    recheck = True  # removing an invisible character later (unicode) can complete a hover card
    options = {
        "max_card_chars": Option(
            600,
            "longest hover card looked for (canonical name + headlines + MORE), in characters; "
            "real cards are up to about 400",
            check=_check_max,
        ),
        "truncated_cards": Option(True, "also remove a card cut off by an API truncation marker (… [+N chars])"),
    }
    max_card_chars: int
    truncated_cards: bool

    def clean(self, text: str) -> str:
        if "MORE" not in text and ("chars]" not in text or not self.truncated_cards):
            return text
        kept = self._kept_spans(text)
        if kept is None:
            return text
        return "".join([text[s:e] for s, e in kept])

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """Return the cleaned text and one ``Change`` (category ``"hovercard"``) per removed card."""
        if "MORE" not in text and ("chars]" not in text or not self.truncated_cards):
            return text, []
        kept = self._kept_spans(text)
        if kept is None:
            return text, []
        changes = []
        prev = 0
        for s, e in kept:
            if s > prev:
                changes.append(Change(prev, text[prev:s], "", "hovercard"))
            prev = e
        if prev < len(text):
            changes.append(Change(prev, text[prev:], "", "hovercard"))
        return "".join([text[s:e] for s, e in kept]), changes

    # -- the work ---------------------------------------------------------------------------

    def _kept_spans(self, text: str) -> list[tuple[int, int]] | None:
        """The spans of ``text`` to keep, in order, or ``None`` if no card was found.

        Anchors are handled left to right on the text *as already cleaned*, so a
        second run sees exactly the same windows and finds nothing more
        (idempotence).
        """
        limit = self.max_card_chars
        room = limit + _DISPLAY_ROOM
        segs: list[list[int]] = []  # kept spans [start, end) of the original text
        olen = 0  # length of the output so far
        barrier = 0  # output offset the look-back may not cross (after the last kept anchor)
        after_more = False  # whether that anchor was a MORE
        cursor = 0
        removed = False
        for m in _ANCHOR.finditer(text):
            a, z = m.span()
            if a > cursor:
                segs.append([cursor, a])
                olen += a - cursor
            cursor = a
            is_more = text[a] == "M"
            if is_more or self.truncated_cards:
                span = min(room, olen - barrier)
                w = self._tail(text, segs, span)
                floor = 0
                if after_more and span == olen - barrier:
                    # The first word after a kept MORE (and the character after it) decided how that MORE
                    # was read; a card may not start inside it, or a second run could read it otherwise.
                    floor = len(w) - len(w.lstrip(_SPACES))
                    while floor < len(w) and not w[floor].isspace():
                        floor += 1
                    floor += 1
                nl = max(w.rfind("\n"), w.rfind("\r"))
                if nl >= 0:
                    w = w[nl + 1 :]
                    floor = max(0, floor - nl - 1)
                cut = self._find_card(w, text, z, is_more, limit, floor)
                if cut is not None:
                    drop = len(w) - cut
                    olen -= drop
                    while drop:
                        s, e = segs[-1]
                        if e - s <= drop:
                            segs.pop()
                            drop -= e - s
                        else:
                            segs[-1][1] = e - drop
                            drop = 0
                    removed = True
                    if is_more:
                        cursor = z
                        continue
            segs.append([a, z])
            olen += z - a
            cursor = z
            barrier = olen
            after_more = is_more
        if not removed:
            return None
        if cursor < len(text):
            segs.append([cursor, len(text)])
        return [(s, e) for s, e in segs if e > s]

    @staticmethod
    def _tail(text: str, segs: list[list[int]], need: int) -> str:
        """The last ``need`` characters of the output built so far."""
        if need <= 0:
            return ""
        pieces: list[str] = []
        got = 0
        for s, e in reversed(segs):
            take = min(e - s, need - got)
            pieces.append(text[e - take : e])
            got += take
            if got >= need:
                break
        return "".join(reversed(pieces))

    @staticmethod
    def _find_card(w: str, text: str, z: int, is_more: bool, limit: int, floor: int) -> int | None:
        """Offset in ``w`` (at least ``floor``) where the card ending at the end of ``w`` starts, or ``None``."""
        after = text[z : z + 40]
        tail = None
        if is_more:
            if _ordinary_more(w, after):
                return None
            m = _TAIL_NAME.match(after)
            tail = m.group(1) if m else None
        starts = [m.start() for m in _CARD_START.finditer(w)]
        if not starts:
            return None
        # Folding keeps or lengthens text without invisible characters, so ``wf.find(x, b)`` is a safe precheck.
        wf = _fold(w)
        shift = 1 if len(wf) >= len(w) and not any(ch in w for ch in _IGNORABLE) else None
        ftail = _fold(tail) if tail else None
        for b in reversed(starts):
            j = b
            while j > 0 and w[j - 1] in _SPACES and b - j < 3:
                j -= 1
            if len(w) - j > limit or j < floor:
                break
            found = _display_surname(w, j)
            if found is None:
                continue
            surname, k = found
            if surname in _CAMEL_PREFIXES:
                continue  # inside a CamelCase name: ``DeLuca``, ``McKee``, ``LaHoz``
            last = _fold(surname)
            at = 0 if shift is None else b + shift
            if wf.find(last, at) < 0 and (ftail is None or wf.find(ftail, at) < 0):
                continue
            before = w[max(0, k - 60) : k].split()[-4:]
            display = [_fold(x.strip(_PUNCT)) for x in before]
            titled = bool(display) and display[-1].rstrip(".") in _TITLES
            end = _canonical_end(w, b, surname, False, display, last, titled)
            if end is None and tail:
                end = _canonical_end(w, b, tail, True, display, last, False)
            if end is None:
                continue
            if not is_more and j < b and not (end < len(w) and (w[end].isupper() or w[end].isdigit())):
                # A truncated card has no MORE to confirm it: demand the feed format's glue.
                continue
            return j
        return None
