"""The mojibake cleaner: exactly ftfy's encoding fixes, line by line, with a sound fast path."""

from __future__ import annotations

import re

import ftfy
import pytest
from ftfy.badness import BADNESS_RE
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import OptionError
from newsclean.cleaners import mojibake
from newsclean.cleaners.mojibake import MojibakeCleaner
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import any_text, clean_prose, dirty_news_text

mb = MojibakeCleaner()

_SEGMENTS = re.compile(r"[^\n]*\n|[^\n]+")


def ftfy_reference(text: str) -> str:
    """``ftfy.fix_encoding`` applied to each line (with its ``\\n``), as ``ftfy.fix_text`` segments text."""
    return "".join(ftfy.fix_encoding(segment) for segment in _SEGMENTS.findall(text))


_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The mayorâ€™s office in SÃ£o Paulo said on Monday.", "The mayor’s office in São Paulo said on Monday."),
        ("Chef RenÃ©e Dubois opened a cafÃ© near the harbour.", "Chef Renée Dubois opened a café near the harbour."),
        ("â€œWe will rebuild,â€\x9d the governor said.", "“We will rebuild,” the governor said."),
        ("Tickets cost â‚¬25 â€” about Â£21.", "Tickets cost €25 — about £21."),
        ("ZÃ¼rich and KrakÃ³w signed the pact.", "Zürich and Kraków signed the pact."),
        # Windows-1250 (Central European) mojibake.
        ("Ĺ»ĂłĹ‚w wygraĹ‚ mecz, a MĂĽller â€” zachwycony.", "Żółw wygrał mecz, a Müller — zachwycony."),
        # Latin-1 with C1 controls, MacRoman and Windows-1251 mojibake of the same Polish sentence.
        ("Å»Ã³Å\x82w wygraÅ\x82 mecz w Å\x81odzi.", "Żółw wygrał mecz w Łodzi."),
        ("≈ª√≥≈Çw wygra≈Ç mecz w ≈Åodzi.", "Żółw wygrał mecz w Łodzi."),
        ("Е»ГіЕ‚w wygraЕ‚ mecz вЂ” ЕЃГіdЕє Е›wiД™tuje.", "Żółw wygrał mecz — Łódź świętuje."),
        ("The caf√© is closed.", "The café is closed."),
        # Only the broken line is changed; the other lines keep their characters.
        ("Line one is fine: “quotes” and €5.\nLine two is broken: donâ€™t.\n東京 is fine too.",
         "Line one is fine: “quotes” and €5.\nLine two is broken: don’t.\n東京 is fine too."),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert mb.clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The senator said the bill would pass on Monday.",
        "Chloé Dubois, 42, told reporters in Zürich the plan costs €1.2 million — “a bargain”.",
        "Temperatures reached 25°C; the index rose ½ point to 1,234.5 (±0.2).",
        "Łódź, Škoda, São Paulo, Ελλάδα, Москва, 東京 and 😀 are all fine.",
        "Café – naïve – façade – Noël – El Niño – Ångström",
    ],
)
def test_leaves_correct_text_alone(text: str) -> None:
    assert mb.clean(text) is text


def test_mixed_document_is_fixed_line_by_line() -> None:
    # Whole-document fix_encoding gives up (the CJK line cannot be encoded in a
    # single-byte codec); line by line, like ftfy.fix_text, the broken line is repaired.
    text = "donâ€™t panic\n東京"
    assert mb.clean(text) == "don’t panic\n東京"
    assert mb.clean(text) == ftfy.fix_text(text, _ENCODING_ONLY)


def test_lone_surrogates_do_not_raise() -> None:
    for text in ["\ud800", "cafÃ©\udc00", "\ud83d\ude00 donâ€™t", "Ã\ud800©", "\udfff\n\x85Ã©"]:
        assert mb.clean(text) == ftfy_reference(text)


def test_long_text_is_linear_and_exact() -> None:
    line = "Reporters in SÃ£o Paulo said the mayorâ€™s plan was â€œboldâ€\x9d.\n"
    clean_line = "Officials in Zürich said the plan was “bold”.\n"
    text = (clean_line * 500 + line) * 20
    assert mb.clean(text) == ftfy_reference(text)
    one_line = text.replace("\n", " ")  # one very long line, no segments
    assert mb.clean(one_line) == ftfy.fix_encoding(one_line)


def test_no_options() -> None:
    with pytest.raises(OptionError, match="unknown option"):
        MojibakeCleaner(fix_latin1=True)


def test_precheck_was_derived_from_ftfy() -> None:
    # The fallbacks (ftfy's own BADNESS_RE, ftfy.fix_encoding) are correct but
    # slow; with the installed ftfy the fast versions must be in use.
    assert mojibake.PRECHECK_DERIVED
    assert mojibake._STEP is not None



# --- The fast path never skips what ftfy would fix -------------------------------------------

_WORDS = ["café", "naïve", "“quoted”", "it’s", "São Paulo", "Zürich", "€5", "—", "…", "Łódź", "Škoda", "½",
          "Ελλάδα", "Москва", "東京", "😀", "25°C", "\u00a0", "™", "©", "ß", "Ø", "œuvre", "–", "«»", "¿", "•",
          "the mayor", "said", " ", "\n", ".", "x"]
_ENCODINGS = ["latin-1", "cp1252", "cp1250", "cp1251", "cp1253", "cp1257", "mac_roman", "mac_cyrillic", "cp437"]


@st.composite
def mojibake_text(draw: st.DrawFn) -> str:
    """Real Unicode text encoded as UTF-8 and decoded with a wrong codec, mixed with clean text."""
    source = draw(st.one_of(
        st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map("".join),
        st.text(max_size=20),
    ))
    encoding = draw(st.sampled_from(_ENCODINGS))
    errors = draw(st.sampled_from(["replace", "ignore", "surrogateescape"]))
    broken = source.encode("utf-8", "surrogatepass").decode(encoding, errors)
    clean = draw(st.lists(st.sampled_from(_WORDS), max_size=4).map("".join))
    glue = draw(st.sampled_from(["", " ", "\n", "\n\n"]))
    parts = [clean, broken] if draw(st.booleans()) else [broken, clean]
    return glue.join(parts)


@settings(max_examples=1500, deadline=None)
@given(text=mojibake_text() | any_text() | dirty_news_text() | clean_prose())
def test_equals_ftfy_reference(text: str) -> None:
    assert mb.clean(text) == ftfy_reference(text)


@settings(max_examples=1500, deadline=None)
@given(text=mojibake_text() | any_text() | dirty_news_text())
def test_precheck_is_sound(text: str) -> None:
    # Wherever ftfy's heuristic fires, the pre-check fires on the same line; and
    # a line the heuristic does not fire on is one ftfy.fix_encoding leaves alone.
    for segment in _SEGMENTS.findall(text):
        if BADNESS_RE.search(segment):
            assert mojibake.needs_ftfy(segment), segment
        else:
            assert ftfy.fix_encoding(segment) == segment


@settings(max_examples=300, deadline=None)
@given(text=mojibake_text())
def test_matches_fix_text_restricted_to_encoding_fixes(text: str) -> None:
    assert mb.clean(text) == ftfy.fix_text(text, _ENCODING_ONLY)


def test_precheck_covers_every_badness_alternative() -> None:
    # Each alternative of BADNESS_RE matched on its own must trigger the pre-check.
    samples = ["\x80", "¦¦", "aб¦", "¦é", "éÀ", "€é", "é€", " À€", "À±", "é“±", "é”“", "€“", "aÀ“", "│ö", "é│", "│”",
               "é“x", "œ ", "À°", "Ã©", "×²", "Ø…Ø…", "à²", "√±", "≈°", "‚Äì", "‚âà", "вЂ", "В¦В", "ГўВЂВ™ ",
               "Ã\xa0", "aÃ ", "Ã ", "aÂ “", "β€™", "Β¦Β", "ā€"]
    for sample in samples:
        if BADNESS_RE.search(sample):
            assert mojibake.needs_ftfy(sample), sample


def test_conformance() -> None:
    check_cleaner(mb)


def test_ascii_and_clean_text_return_the_same_object() -> None:
    ascii_text = "The senator said the bill would pass."
    assert mb.clean(ascii_text) is ascii_text
    accented = "Chloé said “no” — twice…"
    assert mb.clean(accented) is accented


@settings(max_examples=800, deadline=None)
@given(text=mojibake_text() | any_text())
def test_fix_segment_is_exactly_fix_encoding(text: str) -> None:
    assert mojibake.fix_segment(text) == ftfy.fix_encoding(text)
