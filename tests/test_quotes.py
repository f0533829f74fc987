"""The quotes cleaner: curly quotes and primes to ASCII, optional guillemets, dashes and ellipses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import OptionError, Pipeline
from newsclean.cleaners.quotes import DASHES, ELLIPSIS, GUILLEMETS, QUOTES, QuotesCleaner
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import any_text, dirty_news_text

q = QuotesCleaner()
everything = QuotesCleaner(ascii_guillemets=True, ascii_dashes=True, ascii_ellipsis=True)

SPECIAL = "".join([*QUOTES, *GUILLEMETS, *DASHES, *ELLIPSIS])
# Text full of the characters the cleaner cares about, plus a few it must leave alone.
quote_heavy = st.text(alphabet=st.sampled_from([*SPECIAL, "a", " ", "\n", "é", "\u02bc", "\uff02", "\ud800"]),
                      max_size=80)

OPTION_SETS = [
    {},
    {"ascii_quotes": False},
    {"ascii_guillemets": True},
    {"ascii_dashes": True},
    {"ascii_ellipsis": True},
    {"ascii_quotes": False, "ascii_dashes": True, "ascii_ellipsis": True},
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u201cWe will not back down,\u201d the mayor told reporters on Tuesday.",
         '"We will not back down," the mayor told reporters on Tuesday.'),
        ("The union\u2019s leaders said the strike \u2018could last weeks.\u2019",
         "The union's leaders said the strike 'could last weeks.'"),
        ("\u201eWir schaffen das\u201c, sagte die Ministerin.", '"Wir schaffen das", sagte die Ministerin.'),
        ("The forward is 6\u20323\u2033 and weighs 210 pounds.", "The forward is 6'3\" and weighs 210 pounds."),
        ("Rock \u2019n\u2019 roll never died in the \u201990s, fans insist.",
         "Rock 'n' roll never died in the '90s, fans insist."),
        ("Coordinates: 40\u00b026\u203246\u2033N", "Coordinates: 40\u00b026'46\"N"),
        ("A reversed \u201bquote\u2019 and \u201fdouble\u201d.", "A reversed 'quote' and \"double\"."),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert q.clean(raw) == expected


def test_defaults_leave_dashes_ellipses_and_guillemets_alone() -> None:
    text = "Prices rose 3\u20134% \u2014 the most since 2008\u2026 \u00ab\u00a0C\u2019est fini\u00a0\u00bb, a-t-il dit."
    assert q.clean(text) == text.replace("\u2019", "'")


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv is spelled \u041a\u0438\u0457\u0432; the \u02bbokina in Hawai\u02bbi is a letter.",
        "Ukrainian \u043f\u2019\u044f\u0442\u044c is written with an apostrophe.".replace("\u2019", "\u02bc"),
        "Fullwidth \uff02quotes\uff02 and \uff07apostrophes\uff07 stay for NFKC.",
        "The acute accent \u00b4 and the backtick ` are ambiguous and stay.",
        "A triple prime \u2034 stays.",
        "Plain ASCII text with 'single' and \"double\" quotes.",
    ],
)
def test_hard_negatives_are_untouched(text: str) -> None:
    assert q.clean(text) == text


def test_dash_option() -> None:
    c = QuotesCleaner(ascii_dashes=True)
    assert c.clean("The 2019\u20132021 data \u2014 released Monday \u2014 show a \u22123% drop.") == (
        "The 2019-2021 data -- released Monday -- show a -3% drop."
    )
    assert c.clean("state\u2011of\u2011the\u2011art, a\u2010b, 555\u20121234, \u2015 Quote") == (
        "state-of-the-art, a-b, 555-1234, -- Quote"
    )
    assert c.clean("words\u2014glued\u2014together") == "words--glued--together"


def test_ellipsis_option() -> None:
    c = QuotesCleaner(ascii_ellipsis=True)
    assert c.clean("\u201cWe\u2019ll see\u2026\u201d he said\u2026 [\u2026]") == "\"We'll see...\" he said... [...]"


def test_guillemet_option() -> None:
    c = QuotesCleaner(ascii_guillemets=True)
    assert c.clean("\u00abNon\u00bb, dit-il. \u2039oui\u203a. \u00bbDas\u00ab") == "\"Non\", dit-il. 'oui'. \"Das\""


def test_keeping_typographic_quotes_while_converting_dashes() -> None:
    c = QuotesCleaner(ascii_quotes=False, ascii_dashes=True, ascii_ellipsis=True)
    assert c.clean("\u201cWait\u2026\u201d \u2014 she said") == "\u201cWait...\u201d -- she said"


def test_all_options_off_changes_nothing() -> None:
    c = QuotesCleaner(ascii_quotes=False)
    text = "\u201cNothing\u201d \u2014 changes\u2026"
    assert c.clean(text) is text


def test_unchanged_text_is_returned_as_is() -> None:
    for text in ["plain ASCII", "Caf\u00e9 cr\u00e8me \u2014 no quotes here\u2026", ""]:
        assert q.clean(text) is text


def test_runs_in_a_pipeline() -> None:
    assert Pipeline([QuotesCleaner(ascii_ellipsis=True)]).clean("\u201cOk\u2026\u201d") == '"Ok..."'
    assert Pipeline([QuotesCleaner(ascii_dashes="yes")]).clean("a\u2014b") == "a--b"


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_conformance(options: dict[str, bool]) -> None:
    check_cleaner(QuotesCleaner(**options), max_examples=150)


@settings(max_examples=300)
@given(text=any_text() | dirty_news_text() | quote_heavy)
def test_fast_path_equals_slow_path_and_reference_table(text: str) -> None:
    for c in (q, everything):
        result = c.clean(text)
        assert result == c._replace(text)
        assert result == text.translate(c.table)


@settings(max_examples=200)
@given(text=quote_heavy | dirty_news_text())
def test_no_converted_character_survives(text: str) -> None:
    assert not set(q.clean(text)) & set(QUOTES)
    assert not set(everything.clean(text)) & set(SPECIAL)
    assert len(q.clean(text)) == len(text)  # quotes and primes map one character to one character


@settings(max_examples=200)
@given(text=quote_heavy)
def test_options_only_touch_their_own_characters(text: str) -> None:
    # Characters outside the enabled mappings come back in place and in order.
    only_dashes = QuotesCleaner(ascii_quotes=False, ascii_dashes=True)
    result = only_dashes.clean(text)
    assert result.replace("--", "").replace("-", "") == "".join(ch for ch in text if ch not in DASHES)


def test_option_validation() -> None:
    with pytest.raises(OptionError, match="expects bool"):
        QuotesCleaner(ascii_quotes="maybe")
    with pytest.raises(OptionError, match="expects bool"):
        QuotesCleaner(ascii_dashes=2)
    with pytest.raises(OptionError, match="unknown option 'ascii_dash'"):
        QuotesCleaner(ascii_dash=True)
    assert QuotesCleaner(ascii_ellipsis="true").ascii_ellipsis is True
    assert QuotesCleaner(ascii_quotes="off").ascii_quotes is False


def test_class_attributes() -> None:
    assert QuotesCleaner.name == "quotes" and QuotesCleaner.order == 500 and QuotesCleaner.default_enabled
    assert set(QuotesCleaner.options) == {"ascii_quotes", "ascii_guillemets", "ascii_dashes", "ascii_ellipsis"}
