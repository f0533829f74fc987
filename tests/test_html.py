"""The html cleaner: entities decoded completely, real tags removed, everything else untouched."""

from __future__ import annotations

import html as stdlib_html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import OptionError
from newsclean.cleaners import html as html_module
from newsclean.cleaners.html import HtmlCleaner
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import any_text, clean_prose, dirty_news_text

hc = HtmlCleaner()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Prices rose&nbsp;3%.<br>The CEO&#8217;s <b>plan</b> stays.", "Prices rose\u00a03%.\nThe CEO’s plan stays."),
        ("The council&#x2019;s vote &amp; the mayor&rsquo;s veto", "The council’s vote & the mayor’s veto"),
        ("&amp;quot;We are not done,&amp;quot; she said.", '"We are not done," she said.'),
        ("Fish &amp;amp; chips, triple: &amp;amp;amp;", "Fish & chips, triple: &"),
        ("&lt;p&gt;Escaped markup in a feed&lt;/p&gt;", "\nEscaped markup in a feed\n"),
        ("&amp;lt;p&amp;gt;Double-escaped markup&amp;lt;/p&amp;gt;", "\nDouble-escaped markup\n"),
        ('<p class="lead">Storms hit the coast.</p><p>Power is out.</p>', "\nStorms hit the coast.\n\nPower is out.\n"),
        ('Read the <a href="https://example.com/story?id=7&amp;ref=home">full report</a>.', "Read the full report."),
        ('<img src="/photo.jpg" alt="Flooded street"/>Photo: Jane Roe', "Photo: Jane Roe"),
        ("First line<br/>Second line<BR>Third line", "First line\nSecond line\nThird line"),
        ("<ul><li>Roads closed</li><li>Schools shut</li></ul>", "\n\nRoads closed\n\nSchools shut\n\n"),
        ("Vote count<!-- ad slot 3 --> rose.", "Vote count rose."),
        ("<script>var x = 1 < 2 && y;</script>The article starts here.", "\nThe article starts here."),
        ("<style>p { color: red; }</style>Body text.", "\nBody text."),
        ("<td>Ohio</td><td>52%</td>", " Ohio  52% "),
        ("Em&#150;dash from Windows-1252, NUL &#0;", "Em–dash from Windows-1252, NUL \ufffd"),
        ("&QUOT;Upper-case&QUOT; &AMP; &Eacute;cole", '"Upper-case" & École'),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert hc.clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "If a < b and b > c, then a < c.",
        "x<y and y>z",
        "I <3 this city, she wrote.",
        "Inflation was 5 <= 6 percent.",
        "Send tips to Jane Doe <jane.doe@example.com>.",
        "The French quote <<Liberté>> appeared on banners.",
        "Use the <Name> placeholder and <a and b> in the template.",
        "AT&T, R&D, Q&A and Barnes&noble stay; so does ?a=1&copy=2.",
        "An unknown reference &foo; and a bare &amp without semicolon.",
        "Salt & pepper; bread & butter.",
        "The arrow -> and <- are not tags.",
    ],
)
def test_leaves_text_that_is_not_html_alone(text: str) -> None:
    assert hc.clean(text) is text


@pytest.mark.parametrize(
    "text",
    [
        "&amp;&#108;t;",  # decodes to "&lt;", which is again a reference
        "<<b>p>After",  # removing <b> forms <p>
        "&am<b>p;",  # removing <b> forms &amp;
        "&&#35;60;b&#62;bold",  # "&#60;b>" forms after one round
        "&lt;&lt;b&gt;p&gt;x",
        "&amp;amp;lt;b&amp;amp;gt;",
        "<a title=\"&gt;\">link</a>",
        "&#60;!-- hidden --&#62;text",
        "&l&#1;t;",  # an invalid code point decodes to nothing and joins "&l" and "t;"
    ],
)
def test_idempotent_on_adversarial_nesting(text: str) -> None:
    once = hc.clean(text)
    assert hc.clean(once) == once
    assert not html_module._has_work(once)


def test_decoded_ampersand_does_not_glue_into_a_new_reference() -> None:
    assert hc.clean("&amp;&#108;t;") == "<"
    assert hc.clean("&amp;amp;foo;") == "&foo;"


def test_no_options() -> None:
    with pytest.raises(OptionError, match="unknown option"):
        HtmlCleaner(keep_tags=True)


def test_conformance() -> None:
    check_cleaner(hc)


# --- Properties ----------------------------------------------------------------------------

_HTMLISH = [
    "&amp;", "&amp;amp;", "&lt;", "&gt;", "&quot;", "&#8217;", "&#x2019;", "&#38;", "&#x26;", "&nbsp;", "&foo;",
    "&", ";", "<", ">", "/", "=", '"', "amp", "lt", "gt", "#", "38", "p", "b", "br", "div", " ", "x", "\n",
    "<p>", "</p>", "<br/>", "<b>", '<a href="x">', "</a>", "<!--", "-->", "<!-- c -->", "<script>", "</script>",
    "<style>", "</style>", "<3", "a < b", "<jane@example.com>", "<<", ">>",
]


@st.composite
def htmlish_text(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(_HTMLISH) | st.text(max_size=3), max_size=25)))


@settings(max_examples=1500, deadline=None)
@given(text=htmlish_text() | dirty_news_text() | any_text())
def test_idempotent_and_nothing_left(text: str) -> None:
    once = hc.clean(text)
    assert hc.clean(once) == once
    assert not html_module._has_work(once)


@settings(max_examples=1000, deadline=None)
@given(text=htmlish_text() | dirty_news_text())
def test_fast_regex_pass_equals_rescan_when_it_finishes(text: str) -> None:
    # The regex pass and the character-by-character rescan agree whenever the
    # regex pass leaves nothing to do (script blocks aside, which only the
    # regex pass removes with their content).
    if "<script" in text.lower() or "<style" in text.lower():
        return
    fast = hc.clean(text)
    assert fast == html_module._rescan(text)


@settings(max_examples=300, deadline=None)
@given(text=any_text() | clean_prose())
def test_fast_path_equals_slow_path(text: str) -> None:
    # Text without "&" and "<" is returned as it is, and the slow path agrees.
    text = text.replace("&", "").replace("<", "")
    assert hc.clean(text) is text
    assert html_module._rescan(text) == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_characters="&<>;"), max_size=40))
def test_single_escaping_round_trips(text: str) -> None:
    # Escaped plain text decodes back to itself (one and two levels of escaping).
    assert hc.clean(stdlib_html.escape(text)) == text
    assert hc.clean(stdlib_html.escape(stdlib_html.escape(text))) == text


@settings(max_examples=200, deadline=None)
@given(text=clean_prose())
def test_prose_with_entities_for_quotes(text: str) -> None:
    # Clean prose whose apostrophes and quotes were escaped comes back unchanged.
    escaped = text.replace("'", "&#39;").replace('"', "&quot;")
    assert hc.clean(escaped) == text
