"""The unicode cleaner: normalisation, odd spaces, line separators, invisible characters, joiners."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import OptionError
from newsclean.cleaners.unicode import UnicodeCleaner
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import any_text, clean_prose, dirty_news_text

uc = UnicodeCleaner()
nfkc = UnicodeCleaner(form="NFKC")
raw = UnicodeCleaner(form="none")

ZWJ, ZWNJ = "\u200d", "\u200c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\ufeffThe\u00a0mayor\u200b said\r\nthe bridge\rreopens.", "The mayor said\nthe bridge\nreopens."),
        ("Prices rose\u202f3\u2009%\u00a0on Monday.", "Prices rose 3 % on Monday."),
        ("Tokyo\u3000(Reuters)\u2002\u2003\u2007—", "Tokyo (Reuters)   —"),
        ("First paragraph.\u2029Second paragraph.\u2028Same paragraph.\x85End.",
         "First paragraph.\nSecond paragraph.\nSame paragraph.\nEnd."),
        ("The govern\u00adment an\u00adnounced cuts.", "The government announced cuts."),
        ("Null\x00 and escape\x1b[0m and C1\x9b controls\x7f go.", "Null and escape[0m and C1 controls go."),
        ("Tabs\tstay\tand\nnewlines\nstay.", "Tabs\tstay\tand\nnewlines\nstay."),
        ("Page one.\x0cPage two.\x0bNext.", "Page one.\nPage two.\nNext."),
        ("Word\u2060joiner and zero\u200bwidth", "Wordjoiner and zerowidth"),
        ("A stray joiner\u200d here and\u200c there, and in ZWJ\u200dtext.",
         "A stray joiner here and there, and in ZWJtext."),
        ("\u200dAt the edges\u200c", "At the edges"),
        ("Cafe\u0301 and Zu\u0308rich", "Café and Zürich"),
        ("Bidi \u202eoverride\u202c and \u2066isolate\u2069", "Bidi override and isolate"),
        ("Emoji from bad JSON: \ud83d\ude00 and a lone \ud800 half", "Emoji from bad JSON: 😀 and a lone \ufffd half"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert uc.clean(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The programmer 👩\u200d💻 and the fire heart ❤\ufe0f\u200d🔥 and the family 👨\u200d👩\u200d👧.",
        "Persian: می\u200cخواهم and نامه\u200cها.",
        "Hindi: क्\u200dष and Malayalam: ന്\u200d.",
        "Arabic with marks: لا\u200cأ",
        "Hebrew with RLM: שלום\u200f 2024",
        "Clean prose with “curly quotes”, dashes — and accents: Chloé, Zürich, Łódź.",
        "東京では、記者会見が行われた。",
    ],
)
def test_keeps_meaningful_text(text: str) -> None:
    assert uc.clean(text) is text


def test_nfkc_option() -> None:
    assert nfkc.clean("The ﬁnal score: ５–３ (x²)") == "The final score: 5–3 (x2)"
    assert uc.clean("The ﬁnal score: ５–３ (x²)") == "The ﬁnal score: ５–３ (x²)"


def test_none_option_skips_normalisation_only() -> None:
    assert raw.clean("Cafe\u0301\u00a0bar\u200b") == "Cafe\u0301 bar"


def test_option_validation() -> None:
    with pytest.raises(OptionError, match="must be one of"):
        UnicodeCleaner(form="NFD")
    with pytest.raises(OptionError, match="must be one of"):
        UnicodeCleaner(form="nfc")
    with pytest.raises(OptionError, match="unknown option"):
        UnicodeCleaner(normal_form="NFC")
    assert UnicodeCleaner(form="NFKC").form == "NFKC"


@pytest.mark.parametrize("cleaner", [uc, nfkc, raw], ids=["NFC", "NFKC", "none"])
def test_conformance(cleaner: UnicodeCleaner) -> None:
    check_cleaner(cleaner)


# --- Properties ----------------------------------------------------------------------------

_INTERESTING = [
    ZWJ, ZWNJ, "\u0301", "\u0308", "\u094d", "\ufe0f", "\u00ad", "\ufeff", "\u200b", "\u00a0", "\r", "\r\n", "\n",
    "\x85", "\u2028", "\x00", "\x1b", "\x9b", "\u202e", "\u2066", "\ud83d", "\ude00", "\ud800", "👩", "💻", "ب",
    "ی", "क", "ष", "a", "e", "K", " ", "①", "\u037e", "\u1fef", "\u212b", "ﬁ", "²", "\u3000", "\u2000", "é",
]


@st.composite
def tricky_text(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(_INTERESTING) | st.text(max_size=2), max_size=20)))


@pytest.mark.parametrize("cleaner", [uc, nfkc, raw], ids=["NFC", "NFKC", "none"])
def test_idempotent_on_tricky_text(cleaner: UnicodeCleaner) -> None:
    @settings(max_examples=600, deadline=None)
    @given(text=tricky_text())
    def prop(text: str) -> None:
        once = cleaner.clean(text)
        assert cleaner.clean(once) == once

    prop()


def _slow(cleaner: UnicodeCleaner, text: str) -> str:
    """The slow path on its own: the same steps without any shortcut."""
    text = text.replace("\r\n", "\n")
    from newsclean.cleaners import unicode as module

    text = text.translate(module._TABLE)
    text = module._SURROGATE_PAIR.sub(module._join_pair, text)
    text = module._LONE_SURROGATE.sub("\ufffd", text)
    if cleaner.form != "none":
        text = unicodedata.normalize(cleaner.form, text)
    while True:
        stripped = module._STRAY_JOINER.sub("", text)
        if stripped == text:
            return text
        text = stripped if cleaner.form == "none" else unicodedata.normalize(cleaner.form, stripped)


@pytest.mark.parametrize("cleaner", [uc, nfkc, raw], ids=["NFC", "NFKC", "none"])
def test_fast_path_equals_slow_path(cleaner: UnicodeCleaner) -> None:
    @settings(max_examples=400, deadline=None)
    @given(text=any_text() | dirty_news_text() | clean_prose() | tricky_text())
    def prop(text: str) -> None:
        assert cleaner.clean(text) == _slow(cleaner, text)

    prop()


@settings(max_examples=300, deadline=None)
@given(text=any_text() | tricky_text())
def test_result_is_normalised_and_free_of_removed_characters(text: str) -> None:
    result = uc.clean(text)
    assert unicodedata.is_normalized("NFC", result)
    assert not any(ch in result for ch in "\r\x00\x1b\x85\u00a0\u00ad\ufeff\u200b\u2028\u2029\u202e\u3000")
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in result)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=127, blacklist_categories=("Cc",)), max_size=60))
def test_plain_ascii_is_returned_as_is(text: str) -> None:
    assert uc.clean(text) is text


@pytest.mark.parametrize("cleaner", [uc, nfkc], ids=["NFC", "NFKC"])
def test_long_texts_normalised_line_by_line_equal_slow_path(cleaner: UnicodeCleaner) -> None:
    @settings(max_examples=60, deadline=None)
    @given(pieces=st.lists(tricky_text(), min_size=1, max_size=8))
    def prop(pieces: list[str]) -> None:
        text = "\n".join(pieces) + "\n" + "Plain line of prose.\n" * 250 + "\n".join(pieces)
        assert len(text) > 4096
        assert cleaner.clean(text) == _slow(cleaner, text)

    prop()


def test_many_distinct_characters_use_translate() -> None:
    from newsclean.cleaners import unicode as module

    every = "".join(module._REPLACEMENTS)
    text = f"a{every}b" * 3
    assert uc.clean(text) == _slow(uc, text)
    assert uc.clean(text).startswith("a" + " " * len(module._SPACES))


def test_joiner_next_to_punctuation_is_stray_whatever_the_quote_style() -> None:
    # The quotes cleaner runs later and turns ‘ into '; the decision must be the same for both,
    # or the default pipeline would not be idempotent.
    cleaner = UnicodeCleaner()
    assert cleaner.clean("\ufffd\u200c\u2018") == "\ufffd\u2018"
    assert cleaner.clean("\ufffd\u200c'") == "\ufffd'"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert cleaner.clean(persian) == persian


# -- long runs of combining marks: normalised in linear time, exactly as unicodedata does -------

_MARKS = [chr(c) for c in range(0x300, 0x370)] + [
    "\u0591", "\u05b0", "\u05c4", "\u0610", "\u064b", "\u0654", "\u0670", "\u093c", "\u094d", "\u0e38", "\u0e48",
    "\u0f71", "\u0f72", "\u0f73", "\u0f74", "\u0f75", "\u0f80", "\u0f81", "\u1dc0", "\u20d0", "\u20e3", "\u302a",
    "\u3099", "\u309a", "\ufe20", "\u0344", "\u0340", "\u0903", "\uff9e", "\uff9f",
]


@st.composite
def mark_runs(draw: st.DrawFn) -> str:
    """Text with runs of combining marks long enough (>= 32) for the linear path, among other text."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        parts.append(draw(st.sampled_from(["a", "e", "\u1100", "\u0f40", "\u05d0", "\u01d8", " ", "\n", "", "\u00e9"])))
        parts.append("".join(draw(st.lists(st.sampled_from(_MARKS), min_size=30, max_size=120))))
        parts.append(draw(st.text(max_size=5)))
    return "".join(parts)


@settings(max_examples=max(300, settings.default.max_examples // 5), deadline=None)
@given(text=mark_runs() | any_text())
def test_canonical_order_is_unicodedata_decomposition(text: str) -> None:
    from newsclean.cleaners.unicode import _canonical_order

    for form in ("NFD", "NFKD"):
        assert _canonical_order(text, form) == unicodedata.normalize(form, text)


@settings(max_examples=max(300, settings.default.max_examples // 5), deadline=None)
@given(text=mark_runs())
def test_long_mark_runs_normalise_exactly_like_unicodedata(text: str) -> None:
    for cleaner, form in ((uc, "NFC"), (nfkc, "NFKC")):
        assert cleaner._normalize(text) == unicodedata.normalize(form, text)
        long = text + "\n" + "x" * 4096 + "\n" + text  # the line-by-line path
        assert cleaner._normalize(long) == unicodedata.normalize(form, long)


def test_the_quadratic_example_from_issue_10() -> None:
    # unicodedata's insertion sort takes about 40 s on this; the expected text is worked out by hand:
    # U+0316 (class 220) sorts before U+0301 (230), and "a" composes with the first U+0301 only.
    text = "a" + "\u0301" * 80_000 + "\u0316" * 80_000
    assert uc.clean(text) == "\u00e1" + "\u0316" * 80_000 + "\u0301" * 79_999
    small = "a" + "\u0301" * 500 + "\u0316" * 500
    assert uc.clean(small) == unicodedata.normalize("NFC", small) == "\u00e1" + "\u0316" * 500 + "\u0301" * 499


def test_every_character_that_decomposes_into_marks_only_is_in_the_run_pattern() -> None:
    """The run pattern is sound: a character outside it always decomposes to at least one starter,
    so a long stretch of non-starters in the decomposition comes from a long run it matches."""
    from newsclean.cleaners.unicode import _MARK_RUN, _MARK_RUN_MIN

    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        if _MARK_RUN.fullmatch(ch * _MARK_RUN_MIN):
            continue
        for form in ("NFD", "NFKD"):
            assert any(unicodedata.combining(c) == 0 for c in unicodedata.normalize(form, ch)), (hex(code), form)


def test_unicodedata_never_sees_a_long_run_of_marks_out_of_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost guard, without a clock: unicodedata.normalize sorts each run of non-starters with an
    insertion sort, quadratic in the length of a run out of canonical order; it never gets a long one."""
    real = unicodedata.normalize
    unordered: list[int] = []

    def watched(form: str, text: str) -> str:
        if len(text) > 1:  # (single characters: the per-character decomposition)
            decomposed = "".join(real("NFKD", ch) for ch in text)
            run: list[int] = []
            for ch in decomposed + "x":
                ccc = unicodedata.combining(ch)
                if ccc:
                    run.append(ccc)
                    continue
                if run != sorted(run):
                    unordered.append(len(run))
                run = []
        return real(form, text)

    monkeypatch.setattr(unicodedata, "normalize", watched)
    texts = ["a" + "\u0301" * 3000 + "\u0316" * 3000, "\u0f73" * 5000, "x" + "\u0f40\u0f73" * 20 + "\u0301" * 99,
             "\u00e9\u0316" * 10 + "\u0301\u0316" * 12]
    for text in texts:
        for cleaner in (UnicodeCleaner(), UnicodeCleaner(form="NFKC")):
            cleaner.clean(text)
    assert unordered, "the short unordered runs (under the limit) still go to unicodedata"
    assert max(unordered) < 4 * 32
