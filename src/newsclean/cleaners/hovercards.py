"""hovercards: remove thehill.com hover-card artifacts glued after people's names.

Pages scraped from thehill.com (and sites copying it) carry, right after a
person's name, the text of the site's invisible hover card: the person's
canonical name, one or more related headlines glued together, then ``MORE``::

    Gov. Jane DoeJane Marie DoeDoe signs budget Senate passes farm billMORE (D-Ore.) said
    Majority Leader Ann Lee Ann Marie LeeLee blocks vote Senate adjourns early MORE (D-Wash.) said

News APIs that keep only the first couple of hundred characters of a text
(NewsAPI's ``content``) often cut it inside such a card::

    Sen. Maria LopezMaria Elena LopezLopez pushes farm aid Overnight Energy: Senate… [+1412 chars]
    Gov.-elect Tom Reyes Tom Reyes Reyes names transition team Reyes … [+980 chars]

Changes:

- a card -- canonical name, headlines and ``MORE`` -- is removed and the
  display name kept; whatever followed ``MORE`` (``(D-Ore.)``, ``'s``, a
  comma, ``Jr.``, the rest of a display name the card was inserted into)
  attaches to the display name: one space before a word, none before
  punctuation or a possessive (so the spaces in ``MORE 's aide`` or
  ``MORE , who`` go with the card);
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
- a card cut by an API truncation marker (``… [+N chars]``, ``... [+N
  chars]``), in either format, is removed up to the ``…`` when the evidence
  below is enough; the marker is kept for the ``truncation`` cleaner
  (``Sen. Maria Lopez… [+1412 chars]``, ``Gov.-elect Tom Reyes… [+980
  chars]``).

Never touches: text without ``MORE`` (or a truncation marker); CamelCase
words (McConnell, LeBron, DeSantis, iPhone, YouTube, PowerPoint); names that
are legitimately repeated (``Abdullah Abdullah``, ``Hillary Clinton
Clinton``, a display name glued to itself without ``MORE``, a photo credit
written twice before a truncation marker); a paragraph cut by a marker
without a card; all-caps ``MORE`` in ordinary text (``ONE MORE TIME``,
``READ MORE:``, ``MORE THAN 50,000``); the display name itself.  Spaces and
quotes are left for the ``unicode``, ``quotes`` and ``whitespace`` cleaners.

How a card is recognised (conservative: precision over recall, since a false
positive deletes real prose):

1. Anchors are ``MORE`` not inside a longer word, and truncation markers.  A
   ``MORE`` next to ordinary all-caps text (followed by an all-caps word, or
   after ``ONE``, ``READ``… or three all-caps words) or after an article or
   preposition (``the MORE Act``) is left alone.
2. Looking back at most ``max_card_chars`` characters on the same line, and
   never past an earlier anchor that was kept, a card starts where a name
   word D (the display name's last word, ignoring ``Jr.``/``III``) is
   followed, glued or after spaces, by a canonical name of at least two
   name tokens whose last token equals D, compared without case and accents
   (at most 8 tokens before it, never beginning with D twice: ``Pelosi
   Pelosi Pelosi`` is no name).
3. The canonical name must relate to the display name: repeat it (``Tom
   Reyes Tom Reyes``), share a first name or nickname with it and add names
   (``Ron``/``Ronald``, ``(Chris)``: it *extends* it), add first names to a
   title and a surname (``President Smith John Quincy Smith``), or -- only
   with the evidence of 4 -- share the surname alone (``Bo Brown Robert Jay
   Brown``).  When the card split the display name, the canonical name
   instead ends with the name word right after ``MORE`` and begins with the
   display name's first name.
4. The canonical name is followed by ``MORE`` or by what starts a headline:
   a capital, a digit or a quote, glued or after spaces -- never a
   lower-case word or a possessive.  A suffix after the surname (``Jr.``,
   ``III``) belongs to the name and never starts a headline (``Carl R.
   Hensley Jr. said`` is prose).  Evidence that it is a card: the first
   headline is glued to it (``LopezLopez``, ``Lee2028``) or begins with the
   surname (``Reyes Reyes names``).
5. Of several candidate starts the one nearest the anchor wins, so the least
   text is removed.

How much a card cut by a truncation marker needs (there is no ``MORE`` to
confirm it; a truncated paragraph must never lose prose):

- the pair of names nearest the marker decides: if it does not make a card,
  nothing further back is looked at (text that reads as a name written
  twice is not looked behind);
- headlines follow the canonical name and run into the marker: written in
  sentence case (a word in lower case after the first headline's start) and
  with no sentence end (a lower-case word, a period, a space) before the
  marker;
- and one more sign than a name written twice: the canonical name extends
  the display name (``Ann Lee Ann Marie Lee``), or the first headline is
  glued to it or begins with the surname (4).  A canonical name that only
  repeats the display name, only shares its surname or only adds first
  names to a title is not enough on its own;
- if the marker cuts right after the canonical name, only a canonical name
  that extends the display name and is glued to it (the feed format) is
  removed: ``Rep. Ann LeeAnn Marie Lee… [+90 chars]`` → ``Rep. Ann Lee…
  [+90 chars]``;
- if the text left before the marker would itself end with a card (a chain
  of cards, which real pages never have), nothing is removed there.

Anchors are handled left to right on the text as already cleaned, so a
second run sees the same windows and finds nothing more; a truncation marker
stays, and the last rule above makes sure nothing more ends before it
(idempotent).  Later cleaners can join a card's parts (the ``whitespace``
cleaner turns a tab into a space), so the cleaner is a ``recheck`` cleaner:
the pipeline runs it once more on its final text.

Speed: the look-back is bounded, every pattern is linear, name words longer
than 40 characters are not names, each place a card might start costs a
bounded number of steps with the cheap tests first, and at most 64 such
places (capitals after a word) are tried per anchor, nearest first -- real
cards need at most 20 (the shared corpus and the repository's cases).  So
the cost is linear in the input size and text made of nothing but
capitalised names and anchors still runs at over 1 MB/s
(``benchmarks/bench_adversarial.py`` measures the hostile shapes).

Known limits (all on the side of keeping text): a card cut by a truncation
marker whose canonical name only repeats the display name, in the spaced web
format, with a first headline that does not begin with the surname (``Joe
Doe Joe Doe Senate panel…``) -- it reads like a name written twice; a card
cut inside its canonical name or its first headline words, or whose display
name the card split; a card longer than ``max_card_chars``; one whose
``MORE`` is glued to an all-caps word longer than four letters; one whose
canonical name shares only the surname with a display name that is not a
title plus a surname, without the evidence of 4; a card whose start is
more than 64 capitalised words before its anchor.  If the headlines
themselves contain a repeated name followed by a capitalised word (``… Ann
Lee Ann Lee Wins …``), only the part of the card after it is removed.

Options: ``max_card_chars`` (default 600; real cards are up to about 400
characters) bounds the look-back; ``truncated_cards`` (default on) controls
the removal of cards cut by truncation markers.

Example: ``"Sen. Bo BrownRobert (Bo) Brown Jr.Headline here MORE's plan"``
→ ``"Sen. Bo Brown's plan"``; ``"President Smith John Quincy Smith Smith
says talks resume Senate passes bill MORE 's aide"`` → ``"President
Smith's aide"``.

Runs only if ``"MORE"`` (or ``"chars]"``) occurs in the text; otherwise the
text is returned as it is.
"""

from __future__ import annotations

import unicodedata

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
# Longest name word looked at: a longer run of letters is no name (``JaneDoeJaneDoe…``), and the bound
# keeps every per-candidate step short however long the run.
_WORD_MAX = 40
# Characters of a name word (``O'Leary``, ``Ferreira-Maddox``, ``Na\u00adkamura``).
_NAME_CHARS = rf"\p{{L}}\p{{M}}'’ʼ\-\u2010\u2011{_IGN}"
# A name word looked at backwards from a card start, and one of its characters.
_WORD_EXTRA = "'’-."
_WORD_RUN = regex.compile(rf"[{_NAME_CHARS}.]*", regex.REVERSE)
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
# Lower-case abbreviations that end with a period inside a headline without ending a sentence.
_ABBREVIATIONS = frozenset("vs etc al approx ca cf eg ie st mt ft no nos pp vol".split())
_PUNCT = "()[],;:.!?\"“”‘'’"
_TOKEN_STRIP = _SPACES + "()"
# Most name tokens a canonical name may have before its surname.
_MAX_TOKENS = 8
# Most places a card may start (capitals after a word) tried per anchor, nearest first.  Real cards need
# up to 20 (the shared corpus and the repository's cases); the bound keeps text made of nothing but
# capitalised words as fast as prose.
_MAX_STARTS = 64
# Extra look-back (beyond max_card_chars) to read the display name.
_DISPLAY_ROOM = 80
# Fewest characters a display name and a canonical name can take (``Ab`` + ``C Ab``).
_MIN_CARD = 6
# Fewest characters a canonical name takes (``C Ab``): a card starting later cannot end at the anchor.
_MIN_CANONICAL = 4

_MARKER = rf"(?:…|\.\.\.){_SP}?\[\+\d+ chars\]"
# Anchors: ``MORE`` and API truncation markers.  ``MORE`` may be glued to a
# lower-case word (``billMORE``) or to a short acronym (``GOPMORE``), but not be
# the end of a longer all-caps word (``SYCAMORE``, ``BALTIMORE``, ``ANYMORE``).
_ANCHOR = regex.compile(
    r"(?:(?<!\p{Lu})|(?<=(?<![\p{L}\p{M}])(?!ANY|EVER|SYCA|WHIT|LARA|GILL|SEY)\p{Lu}{2,4}))MORE(?![\p{L}\p{N}])"
    rf"|{_MARKER}"
)
_MARKER_AT = regex.compile(_MARKER)
_SPACE_RUN = regex.compile(f"{_SP}*")
# Possible first character of a canonical name: a capital glued to a lower-case
# letter (``DoeJane``, ``Jr.Jane``) or after a space (at most 3) following a word.
# Searched backwards from the anchor, so the candidate nearest the anchor comes first.
# A match spans the spaces before the capital, so it starts where the display name ends.
_CARD_START = regex.compile(
    rf"(?<=[\p{{Ll}}\p{{M}}.])\p{{Lu}}|(?<=[\p{{L}}\p{{M}}.]){_SP}+\p{{Lu}}", regex.REVERSE
)
# One token of a canonical name before its surname, with the space after it.
_NAME_TOKEN = regex.compile(
    rf"(?:\p{{Lu}}[{_NAME_CHARS}]{{0,{_WORD_MAX}}}\.?"
    rf"|\(\p{{Lu}}[{_NAME_CHARS}.]{{0,{_WORD_MAX}}}(?:{_SP}\p{{Lu}}[{_NAME_CHARS}.]{{0,{_WORD_MAX}}})?\)"
    r"|(?:de|da|del|della|der|den|di|du|dos|das|van|von|la|le|bin|ibn|al|ten|ter|y)"
    rf"){_SP}+"
)
# A suffix after the canonical surname (``Doe Jr.``, ``Doe, III``).
_SUFFIX_AFTER = regex.compile(rf",?{_SP}(?:Jr\.|Sr\.|(?:III|II|IV)(?![\p{{L}}\p{{N}}]))")
# The name word right after ``MORE`` when the card split the display name.
_TAIL_NAME = regex.compile(
    rf"{_SP}(\p{{Lu}}[\p{{Ll}}\p{{M}}]*(?:['’\-]?\p{{Lu}}[\p{{Ll}}\p{{M}}]+)?)(?![\p{{L}}\p{{M}}\-]|['’]\p{{L}}{{2}})"
)
# An all-caps word right after ``MORE`` means ordinary capitalised text (``MORE THAN``).
_CAPS_AFTER = regex.compile(rf"{_SP}+(?!(?:II|III|IV)(?![\p{{L}}]))\p{{Lu}}{{2,}}(?![\p{{Ll}}])")
_CAPS_WORD = regex.compile(r"^[^\p{Ll}]*\p{Lu}[^\p{Ll}]*\p{Lu}[^\p{Ll}]*$")
# Spaces after a removed card's ``MORE`` that go with it: a possessive or closing punctuation follows
# (``MORE 's aide`` → ``'s aide``, ``MORE , who`` → ``, who``).
_ATTACH = regex.compile(rf"{_SP}+(?=['’]s(?![\p{{L}}\p{{M}}])|[,.;:!?)\]”…])")
# A sentence ending inside the text between a canonical name and a truncation marker: a lower-case
# word, a period, maybe closing quotes or brackets, then a space (searched backwards from the marker).
_SENTENCE_END = regex.compile(rf"(?<![\p{{L}}\p{{M}}.])(\p{{Ll}}{{2,{_WORD_MAX}}})\.[\"”’')\]]*{_SP}", regex.REVERSE)
# A word in lower case (``says``, ``to``): headlines are written in sentence case, lists of names are not.
_LOWER_WORD = regex.compile(r"(?<![\p{L}\p{M}'’\-])\p{Ll}{2}", regex.REVERSE)


# Characters folded specially: curly apostrophes and Unicode hyphens to ASCII, every space to " ",
# invisible characters away.
_FOLD_SPECIAL = {
    "’": "'", "‘": "'", "ʼ": "'", "\u2010": "-", "\u2011": "-", **dict.fromkeys(_SPACES.replace(" ", ""), " "),
    **dict.fromkeys(_IGNORABLE, ""),
}
_FOLD_SPECIAL_RE = regex.compile("[" + "".join(_FOLD_SPECIAL) + "]")
_MARKS = regex.compile(r"\p{M}+")
_SHRINKS = regex.compile(rf"[\p{{M}}{_IGN}]")  # what folding drops


def _fold(s: str) -> str:
    """Lower-case without accents, for comparing names (``Sánchez`` = ``sanchez``).

    Character by character (so folding a text folds each part of it):
    decomposed, marks dropped, case-folded, special characters mapped.
    """
    if s.isascii():
        return s.lower()
    s = _MARKS.sub("", unicodedata.normalize("NFD", s)).casefold()
    return _FOLD_SPECIAL_RE.sub(lambda m: _FOLD_SPECIAL[m.group()], s)


_FOLD_CHAR: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    got = _FOLD_CHAR.get(ch)
    if got is None:
        got = _fold(ch)
        if len(_FOLD_CHAR) < 8192:  # hostile text with every code point cannot make the cache huge
            _FOLD_CHAR[ch] = got
    return got


def _name_at(s: str, pos: int, folded: str, n: int) -> int:
    """End of the name ``folded`` (see :func:`_fold`) if ``s[:n]`` has it, capitalised, at ``pos``; else -1."""
    if pos >= n or not s[pos].isupper():
        return -1
    size = len(folded)
    seg = s[pos : min(n, pos + size)]
    if seg.isascii():
        return pos + size if seg.lower() == folded else -1
    got: list[str] = []
    have = 0
    i = pos
    while i < n and have < size:
        f = _fold_char(s[i])
        got.append(f)
        have += len(f)
        i += 1
    return i if "".join(got) == folded else -1


def _name_word(word: str, k: int) -> tuple[str, int] | None:
    """A display name's word ``word`` found at ``k``, without leading apostrophes or hyphens, if it can be one.

    It is capitalised, has a lower-case letter and ends with a letter.
    """
    if word[0] in _WORD_EXTRA:
        stripped = word.lstrip(_WORD_EXTRA)
        k += len(word) - len(stripped)
        word = stripped
    if len(word) < 2 or not word[0].isupper() or not word[-1].isalpha() or word.isupper():
        return None  # (``isupper``: no lower-case letter)
    return word, k


def _headline_at(s: str, e: int, n: int, trail: int) -> int:
    """Where a headline starts after a canonical name ending at ``e`` (after any spaces).

    ``n`` (the window's end) when only spaces (from ``trail`` on) are left
    (``MORE`` or the marker follows); -1 when what follows cannot start a
    headline (a lower-case word, a possessive).
    """
    if e >= trail:
        return n
    e = _SPACE_RUN.match(s, e, n).end()
    ch = s[e]
    if ch.isupper() or ch.isdigit():
        return e
    if e + 1 < n:
        nxt = s[e + 1]
        if (ch in _QUOTES and (nxt.isupper() or nxt.isdigit())) or (ch == "$" and nxt.isdigit()):
            return e
    return -1


def _same_name(a: str, b: str) -> bool:
    """Folded first names that may denote the same person (``ron``/``ronald``, ``chris``/``christopher``)."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 3 and long.startswith(short)


# How a canonical name relates to the display name before it.
_COPY = "copy"  # repeats it (``Tom Reyes Tom Reyes``)
_EXTENDS = "extends"  # shares its first name or nickname and adds or changes names (``Ann Lee Ann Marie Lee``)
_TITLED = "titled"  # adds first names to a title and a surname (``President Smith John Quincy Smith``)
_SURNAME = "surname"  # shares only the surname (``Bo Brown Robert Jay Brown``)
_SPLIT = "split"  # the card landed inside the display name (``Jo Ellen`` + card + ``MORE Pratt``)


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


class _Window:
    """The output before one anchor, ``s[lo:n]``, where a card ending at the anchor (at ``n``) may be.

    Candidate card starts are looked at from the anchor backwards; the first
    one that makes a card wins, so the least text is removed.  What several
    candidates share is worked out once: the folded text, the name tokens
    after each position (:meth:`_chain`), the last word in lower case and the
    last sentence end.
    """

    __slots__ = (
        "_breaks", "_chains", "_exact", "_lower", "_spaces_from", "_tokens", "_wf", "after", "floor", "is_more",
        "limit", "lo", "n", "s",
    )

    def __init__(self, s: str, lo: int, n: int, floor: int, after: str, is_more: bool, limit: int) -> None:
        self.s, self.lo, self.n = s, lo, n
        self.floor = floor  # where a card may start at the earliest
        self.after = after  # the text after the anchor (``MORE``) or "" (a truncation marker)
        self.is_more = is_more
        self.limit = limit
        self._wf: str | None = None
        self._exact = 0
        self._chains: dict[int, tuple[int, ...]] = {}
        self._tokens: dict[int, str] = {}
        self._breaks: int | None = None
        self._lower: int | None = None
        self._spaces_from: int | None = None

    def _folded(self) -> str:
        """The window folded (:func:`_fold`).

        ``_exact`` says whether each character folds to one character, so that
        ``wf[i - lo]`` is ``s[i]`` folded (ASCII text, accented letters, curly
        quotes…).  Elsewhere offsets differ, and a search in it only tells
        whether a name occurs.
        """
        if self._wf is None:
            w = self.s[self.lo : self.n]
            self._wf = _fold(w)
            # Folding only drops marks and invisible characters, so without them an unchanged length means
            # one character for one.
            self._exact = int(w.isascii() or (len(self._wf) == len(w) and not _SHRINKS.search(w)))
        return self._wf

    def _folded_slice(self, a: int, z: int) -> str:
        assert self._wf is not None
        return self._wf[a - self.lo : z - self.lo] if self._exact else _fold(self.s[a:z])

    def _chain(self, b: int) -> tuple[int, ...]:
        """Where a name continues after 0, 1, … 8 name tokens from ``s[b]`` (``positions[0] == b``).

        Candidates share the tokens after them: each token is read once.
        """
        memo, s, n = self._chains, self.s, self.n
        walked: list[int] = []
        pos = b
        complete = True
        while True:
            got = memo.get(pos)
            if got is not None:
                break
            if len(walked) == _MAX_TOKENS:
                got, complete = (pos,), False
                break
            m = _NAME_TOKEN.match(s, pos, n)
            if m is None:
                got = memo[pos] = (pos,)
                break
            walked.append(pos)
            pos = m.end()
        for p in reversed(walked):
            got = (p, *got[:_MAX_TOKENS])
            if complete or len(got) > _MAX_TOKENS:
                memo[p] = got
        return got

    def _token(self, p: int, q: int) -> str:
        """The name token ``s[p:q]`` folded, without spaces and parentheses."""
        got = self._tokens.get(p)
        if got is None:
            got = self._tokens[p] = _fold(self.s[p:q].strip(_TOKEN_STRIP))
        return got

    def _display_surname(self, j: int) -> tuple[str, int] | None:
        """The name word ending at ``s[j]`` (skipping a suffix such as ``Jr.``) and its start, or ``None``."""
        s, lo = self.s, self.lo
        for _ in range(2):
            k = _WORD_RUN.match(s, lo, j).start()
            if j - k > _WORD_MAX or k == j:
                return None  # no word, or a run of letters longer than any name word
            word = s[k:j]
            if word not in _SUFFIXES:
                break
            j = k
            if j > lo and s[j - 1] in _SPACES:
                j -= 1
            if j > lo and s[j - 1] == ",":
                j -= 1
        else:
            return None
        return _name_word(word, k)

    def _trail(self) -> int:
        """Where the spaces at the end of the window start (``n`` if there are none)."""
        if self._spaces_from is None:
            s, n = self.s, self.n
            i = n
            while i > self.lo and s[i - 1] in _SPACES:
                i -= 1
            self._spaces_from = i
        return self._spaces_from

    def _last_sentence_end(self) -> int:
        """Just past the window's last sentence end (``… the vote. The``), or -1."""
        if self._breaks is None:
            self._breaks = -1
            for m in _SENTENCE_END.finditer(self.s, self.lo, self.n):
                if m.group(1) not in _ABBREVIATIONS:
                    self._breaks = m.end()
                    break
        return self._breaks

    def _last_lower_word(self) -> int:
        """Where the window's last word in lower case starts, or -1."""
        if self._lower is None:
            m = _LOWER_WORD.search(self.s, self.lo, self.n)
            self._lower = m.start() if m else -1
        return self._lower

    def find_card(self) -> int | None:
        """Where (at least ``floor``) the card ending at ``n`` starts, or ``None``.

        The cheap tests come first (this loop runs for every capital letter in
        the window): the display name's last word, inline, then whether its
        surname (or the name word after ``MORE``) may end a canonical name
        (:meth:`_may_end`).  Only then are the tokens read (:meth:`_chain`) and
        the names compared (:meth:`_makes_card`).
        """
        s, lo, n, limit = self.s, self.lo, self.n, self.limit
        ftail = ""
        if self.is_more:
            m = _TAIL_NAME.match(self.after)
            if m:
                ftail = _fold(m.group(1))
        wf = self._folded()
        exact = self._exact
        run_start = run_end = -1  # the run of name-word characters last looked at
        for tried, m in enumerate(_CARD_START.finditer(s, self.floor, n)):
            j = m.start()
            if n - j > limit or tried == _MAX_STARTS:
                break
            b = m.end() - 1
            # The display name's last word: the run of name-word characters ending at ``j`` (found once for
            # all the candidates inside one glued run such as ``JaneDoeJaneDoe…``).
            if not run_start < j <= run_end:
                run_start = _WORD_RUN.match(s, lo, j).start()
                run_end = j
            k = run_start
            if j - k > _WORD_MAX or k == j:
                continue  # no word, or a run of letters longer than any name word
            word = s[k:j]
            # (``Doe Jr.``: the word before the suffix)
            found = self._display_surname(j) if word in _SUFFIXES else _name_word(word, k)
            if found is None:
                continue
            word, k = found
            if word in _CAMEL_PREFIXES:
                continue  # inside a CamelCase name: ``DeLuca``, ``McKee``, ``LaHoz``
            last = wf[k - lo : k - lo + len(word)] if exact else _fold(word)
            ok = self._may_end(last, b)
            targets = [(last, False)] if ok else []
            if ftail and (ok if ftail == last else self._may_end(ftail, b)) and self._may_split(k, b):
                targets.append((ftail, True))
            if not targets:
                continue
            positions = self._chain(b)
            if len(positions) < 2:
                continue
            for target, split in targets:
                if exact and wf.find(target, positions[1] - lo, min(n, positions[-1] + len(target)) - lo) < 0:
                    continue
                card = self._makes_card(j, b, k, positions, target, split, last)
                if card > 0:
                    return j
                if card < 0:
                    return None
        return None

    def _may_end(self, x: str, b: int) -> bool:
        """Whether the folded name word ``x`` may end a canonical name starting at ``s[b]`` (a cheap test).

        It must begin one of the next 8 name tokens: occur after ``b``, with at
        most 8 words before it (each token is one), and not
        only right after a first token that is ``x`` itself (``Pelosi
        Pelosi``: no canonical name begins with its surname twice).  In a
        window whose folded offsets differ, only whether it occurs at all.
        """
        wf = self._wf
        assert wf is not None
        if not self._exact:
            return x in wf
        s, lo = self.s, self.lo
        q = wf.find(x, b + 1 - lo, self.n - lo)
        if q < 0:
            return False
        q += lo
        if s.count(" ", b, q) > _MAX_TOKENS and len(s[b:q].split()) > _MAX_TOKENS + s.count("(", b, q):
            return False  # (a nickname in parentheses may hold two words)
        size = len(x)
        i = b - lo
        return not (
            wf.startswith(x, i)
            and wf[i + size : i + size + 1] == " "
            and not wf[i + size : q - lo].strip(" ")
            and wf[q - lo + size : q - lo + size + 1] == " "
        )

    def _may_split(self, k: int, b: int) -> bool:
        """Whether a card inserted inside the display name may start at ``s[b]`` (a cheap test).

        Its canonical name begins with the display name's first name: in a
        window whose folded offsets are exact, the word before the display
        word ``s[k:…]`` must begin ``s[b:]`` too.  Anything less plain is
        left to :meth:`_relation`.
        """
        s, lo = self.s, self.lo
        if not self._exact or k - 1 <= lo or s[k - 1] != " ":
            return True
        i = _WORD_RUN.match(s, lo, k - 1).start()
        prev = self._folded_slice(i, k - 1).strip(_PUNCT)
        return not prev or self._folded_slice(b, b + len(prev)) == prev

    def _makes_card(
        self, j: int, b: int, k: int, positions: tuple[int, ...], target: str, split: bool, last: str
    ) -> int:
        """Whether a canonical name starting at ``s[b]`` and ending with ``target`` makes a card: 1 if so.

        The display name is ``s[k:j]``; ``target`` is its folded surname
        ``last`` or, for a display name split by the card (``split``), the
        name word after ``MORE``; ``positions`` come from :meth:`_chain`.  Each
        token position where ``target`` begins is tried as the canonical
        name's end (a suffix such as ``Jr.`` may follow), shortest first: a
        headline (:func:`_headline_at`) must be able to start after it and
        the name must relate to the display name (:meth:`_relation`): then the
        two names are a pair, and the evidence (:meth:`_convinced`) decides.
        Before ``MORE``, a pair without enough evidence is passed over (0);
        before a truncation marker it stops the search (-1): text that reads
        as a name written twice is not looked behind for a card.
        """
        s, n = self.s, self.n
        tokens = [self._token(positions[i], positions[i + 1]) for i in range(min(2, len(positions) - 1))]
        first = 1
        if tokens[0] == target:
            if len(tokens) < 2 or tokens[1] == target:
                return 0  # ``Pelosi Pelosi Pelosi`` is no name; no canonical name begins with its surname twice
            first = 2
        exact, wf, off, size = self._exact, self._folded(), self.lo, len(target)
        trail = self._trail()
        display: list[str] | None = None
        for i in range(first, len(positions)):
            q = positions[i]
            if exact:
                end = q + size
                if end > n or not wf.startswith(target, q - off) or not s[q].isupper():
                    continue
            else:
                end = _name_at(s, q, target, n)
                if end < 0:
                    continue
            # A suffix belongs to the name (``Trump Jr. said`` is no headline ``Jr. said``).
            m = _SUFFIX_AFTER.match(s, end, n)
            stop = m.end() if m else end
            head = _headline_at(s, stop, n, trail)
            if head < 0:
                continue
            while len(tokens) < i:
                tokens.append(self._token(positions[len(tokens)], positions[len(tokens) + 1]))
            if display is None:
                # The words of the display name before its last word, folded.
                display = [x.strip(_PUNCT) for x in self._folded_slice(max(self.lo, k - 60), k).split()[-4:]]
            rel = self._relation(j, b, end, stop, tokens[:i], target, split, display, last)
            if rel:
                if self._convinced(j, b, stop, head, rel, last):
                    return 1
                if not self.is_more:
                    return -1
        return 0

    def _relation(
        self, j: int, b: int, end: int, stop: int, tokens: list[str], folded: str, split: bool, display: list[str],
        last: str,
    ) -> str:
        """How the canonical name ``s[b:stop]`` relates to the display name ending at ``s[j]``: ``_COPY``…

        ``""`` if it is none.  ``end``: where the canonical surname ends
        (``stop`` is after a suffix such as ``Jr.``); ``tokens``: the folded
        name tokens before it; ``folded``: the folded surname (or name word
        after ``MORE``); ``display``: the folded words before the display
        name's last word ``last``.
        """
        if split:
            ok = bool(display) and tokens[0] == display[-1] and (len(display) < 2 or display[-2] != last)
            return _SPLIT if ok else ""
        titled = bool(display) and display[-1].rstrip(".") in _TITLES  # a title and a surname alone
        if titled:
            # ``Sen. Tia Ray Tia Ray said``: no card begins with the display name's first word.
            nxt = self.s[end : min(self.n, end + 40)].split()[:1]
            if nxt and _fold(nxt[0].strip(_PUNCT)) in tokens:
                return ""
        size = stop - b
        if size <= j - self.lo and self._folded_slice(j - size, j) == self._folded_slice(b, stop):
            return _COPY
        if titled:
            return _TITLED
        if any(_same_name(t, d) for t in tokens if t != folded for d in display if d != folded):
            return _EXTENDS
        return _SURNAME  # (the surname itself does not count as a shared name)

    def _convinced(self, j: int, b: int, end: int, head: int, rel: str, last: str) -> bool:
        """Whether a display name ending at ``j`` and a canonical name ``s[b:end]`` make a card.

        Evidence, besides the two names: ``glued_display`` (the feed format's
        ``LopezMaria``), ``glued_head`` (a headline glued to the canonical
        name: ``LopezLopez``, ``Lee2028``), ``surname_head`` (the first headline
        begins with the surname: ``Reyes Reyes names``).  With ``MORE`` every
        relation but a shared surname alone is enough.  A card cut by a
        truncation marker has no ``MORE`` to confirm it, so it needs more: see
        the module docstring.
        """
        s, n = self.s, self.n
        glued_display = j == b
        glued_head = head == end < n
        surname_head = head < n and (e := _name_at(s, head, last, n)) >= 0 and not (e < n and s[e].islower())
        strong = surname_head or glued_head
        if self.is_more:
            return rel != _SURNAME or strong
        if rel == _SPLIT:
            return False  # the name word that completes the display name was cut off
        if head == n:  # nothing between the canonical name and the marker
            return rel == _EXTENDS and glued_display
        if not (rel == _EXTENDS or strong):
            return False
        # The card's headlines run into the marker: written in sentence case (a word in lower case), no
        # sentence ends between them.
        return self._last_lower_word() > head and self._last_sentence_end() <= head


def _check_max(value: int) -> str | None:
    return "must be at least 50" if value < 50 else None


class _Output:
    """The text kept so far, as spans of the input, with its last characters at hand.

    Cards are removed from the end of the output only, so the spans are
    trimmed from the end.  Keeping a span costs no copy.  A window is taken
    from a cached tail string extended by what was kept since the last
    window (often a single span), so neither dense anchors nor many short
    spans (many cards removed) cost more than a bounded copy each.
    """

    __slots__ = ("_segs", "_tail", "_tail_at", "_text", "size")

    def __init__(self, text: str) -> None:
        self._text = text
        self._segs: list[list[int]] = []
        self.size = 0
        self._tail = ""  # the output's last characters as it was when its size was ``_tail_at``
        self._tail_at = 0

    def add(self, a: int, z: int) -> None:
        """Keep ``text[a:z]``."""
        if z <= a:
            return
        segs = self._segs
        if segs and segs[-1][1] == a:
            segs[-1][1] = z
        else:
            segs.append([a, z])
        self.size += z - a

    def tail(self, size: int) -> str:
        """The last ``size`` characters of the output (all of it if it is shorter)."""
        size = min(size, self.size)
        if size <= 0:
            return ""
        new = self.size - self._tail_at  # characters kept since the tail was cached
        if new >= size or len(self._tail) + new < size:
            self._tail = self._last(size)
        elif new:
            tail = self._tail + self._last(new)
            self._tail = tail[-2 * size :] if len(tail) > 4 * size else tail
        self._tail_at = self.size
        return self._tail[len(self._tail) - size :]

    def _last(self, size: int) -> str:
        segs = self._segs
        s, e = segs[-1]
        if e - s >= size:
            return self._text[e - size : e]
        pieces: list[str] = []
        for s, e in reversed(segs):
            take = min(e - s, size)
            pieces.append(self._text[e - take : e])
            size -= take
            if not size:
                break
        return "".join(reversed(pieces))

    def drop(self, size: int) -> None:
        """Remove the last ``size`` characters."""
        cached = size - (self.size - self._tail_at)  # how many of them are in the cached tail
        if cached > 0:
            self._tail = self._tail[: max(0, len(self._tail) - cached)]
            self._tail_at -= cached
        self.size -= size
        segs = self._segs
        while size:
            s, e = segs[-1]
            if e - s <= size:
                segs.pop()
                size -= e - s
            else:
                segs[-1][1] = e - size
                size = 0

    def spans(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self._segs]


class HovercardsCleaner(Cleaner):
    __doc__ = __doc__
    name = "hovercards"
    description = "Remove thehill.com hover cards (canonical name + headlines + MORE) glued after people's names."
    order = 300
    # Later cleaners can complete a card: unicode removing an invisible character inside it, whitespace
    # collapsing runs of spaces longer than a card allows between its parts.
    recheck = True
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

    def _may_have_cards(self, text: str) -> bool:
        return "MORE" in text or ("chars]" in text and self.truncated_cards)

    def clean(self, text: str) -> str:
        if not self._may_have_cards(text):
            return text
        kept = self._kept_spans(text)
        if kept is None:
            return text
        return "".join([text[s:e] for s, e in kept])

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """Return the cleaned text and one ``Change`` (category ``"hovercard"``) per removed stretch.

        ``rule`` says how the card ended: ``"more"`` (at its ``MORE``) or
        ``"truncated"`` (cut by a truncation marker, which is kept).
        """
        if not self._may_have_cards(text):
            return text, []
        kept = self._kept_spans(text)
        if kept is None:
            return text, []
        changes = []
        prev = 0
        for s, e in [*kept, (len(text), len(text))]:
            if s > prev:
                rule = "truncated" if _MARKER_AT.match(text, s) else "more"
                changes.append(Change(prev, text[prev:s], "", "hovercard", rule=rule))
            prev = e
        return "".join([text[s:e] for s, e in kept]), changes

    # -- the work ---------------------------------------------------------------------------

    def _kept_spans(self, text: str) -> list[tuple[int, int]] | None:
        """The spans of ``text`` to keep, in order, or ``None`` if no card was found.

        Anchors are handled left to right on the text *as already cleaned*, so a
        second run sees exactly the same windows and finds nothing more
        (idempotence).  A truncation marker stays in the text, so the text
        left before it after a card is removed is looked at too: if it ends
        with a card as well (a chain of cards, which real pages never have),
        a second run would remove more, so nothing is removed.
        """
        limit = self.max_card_chars
        room = limit + _DISPLAY_ROOM
        out = _Output(text)
        barrier = 0  # output offset the look-back may not cross (after the last kept anchor)
        after_more = False  # whether that anchor was a MORE
        cursor = 0
        removed = False
        for m in _ANCHOR.finditer(text):
            a, z = m.span()
            out.add(cursor, a)
            cursor = a
            is_more = text[a] == "M"
            span = min(room, out.size - barrier)
            cut = None
            if (is_more or self.truncated_cards) and span >= _MIN_CARD:
                s = out.tail(span)
                end = len(s)
                after = text[z : z + 40] if is_more else ""
                cut = _look(s, end, span, after_more and span == out.size - barrier, after, is_more, limit)
                if cut is not None and not is_more:
                    left = out.size - (end - cut)  # the output's size without the card
                    span = min(room, left - barrier)
                    if span >= _MIN_CARD:
                        if cut - span < 0:  # (``s`` does not reach back far enough)
                            s = out.tail(end - cut + span)
                            cut, end = len(s) - (end - cut), len(s)
                        if _look(s, cut, span, after_more and span == left - barrier, "", False, limit) is not None:
                            cut = None
                if cut is not None:
                    out.drop(end - cut)
                    removed = True
            if is_more and cut is not None:
                attach = _ATTACH.match(text, z)
                cursor = attach.end() if attach else z
                continue
            out.add(a, z)
            cursor = z
            barrier = out.size
            after_more = is_more
        if not removed:
            return None
        out.add(cursor, len(text))
        return out.spans()


def _look(s: str, end: int, span: int, after_kept_more: bool, after: str, is_more: bool, limit: int) -> int | None:
    """Where in ``s`` a card ending at ``end`` starts, within the ``span`` characters before it; or ``None``.

    ``after_kept_more``: those characters start right after a ``MORE`` that
    was kept; ``after``, ``is_more``, ``limit``: see :class:`_Window`.
    """
    lo = floor = end - span
    if after_kept_more:
        # The first word after a kept MORE (and the character after it) decided how that MORE was read; a
        # card may not start inside it, or a second run could read it otherwise.
        while floor < end and s[floor] in _SPACES:
            floor += 1
        while floor < end and not s[floor].isspace():
            floor += 1
        floor += 1
    nl = max(s.rfind("\n", lo, end), s.rfind("\r", lo, end))
    if nl >= 0:
        lo = nl + 1
        floor = max(floor, lo)
    if end - floor < _MIN_CANONICAL:
        return None
    if is_more and _ordinary_more(s[max(lo, end - 60) : end], after):
        return None
    return _Window(s, lo, end, floor, after, is_more, limit).find_card()
