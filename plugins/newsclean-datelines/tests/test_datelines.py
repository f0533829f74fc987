"""Tests of the newsclean-datelines example plugin, written as a plugin author would."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from newsclean_datelines import DatelineCleaner

import newsclean
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import clean_prose

cleaner = DatelineCleaner()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("WASHINGTON (AP) — The Senate voted 52-48 on Tuesday.", "The Senate voted 52-48 on Tuesday."),
        ("NEW YORK, Nov. 3 (Reuters) - Stocks rose on Friday.", "Stocks rose on Friday."),
        ("ANN ARBOR, Mich. (AP) — A university panel met.", "A university panel met."),
        ("ST. LOUIS (AP) -- Flooding closed two bridges.", "Flooding closed two bridges."),
        ("KYIV, Ukraine — Air raid sirens sounded overnight.", "Air raid sirens sounded overnight."),
        ("PORT-AU-PRINCE, Haiti (AFP) – \"We need help,\" a nurse said.", "\"We need help,\" a nurse said."),
        (
            "Storm hits coast\n\nMIAMI (AP) — The hurricane made landfall early Monday.",
            "Storm hits coast\n\nThe hurricane made landfall early Monday.",
        ),
    ],
)
def test_removes_datelines(raw: str, expected: str) -> None:
    assert cleaner.clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NATO-led forces moved east on Monday.",
        "The NATO summit — the first in two years — opened in Vilnius.",
        "He said WASHINGTON (AP) — was the byline he used for decades.",
        "USA - Canada game tonight",
        "FBI agents arrived at 9 a.m.",
        "One.\n\nTwo.\n\nThree.\n\nLONDON (Reuters) - A fourth paragraph is never treated as a dateline.",
    ],
)
def test_leaves_other_text_alone(text: str) -> None:
    assert cleaner.clean(text) == text


def test_require_agency_option() -> None:
    strict = DatelineCleaner(require_agency=True)
    assert strict.clean("KYIV, Ukraine — Sirens sounded.") == "KYIV, Ukraine — Sirens sounded."
    assert strict.clean("KYIV (AP) — Sirens sounded.") == "Sirens sounded."
    with pytest.raises(newsclean.OptionError, match="at least 1"):
        DatelineCleaner(max_paragraphs=0)


def test_conformance() -> None:
    check_cleaner(cleaner)
    check_cleaner(DatelineCleaner(require_agency=True, max_paragraphs=1))


@given(prose=clean_prose())
def test_only_the_dateline_is_removed(prose: str) -> None:
    assert cleaner.clean("BRUSSELS (Reuters) - " + prose) == prose


@given(st.sampled_from(["WASHINGTON (AP) — ", "LONDON, Jan. 5 (Reuters) - "]))
def test_idempotent_on_datelines(prefix: str) -> None:
    once = cleaner.clean(prefix + "Officials met.")
    assert cleaner.clean(once) == once == "Officials met."


def test_newsclean_discovers_the_plugin_through_its_entry_point() -> None:
    info = {c.name: c for c in newsclean.cleaners()}["datelines"]
    assert info.source.startswith("newsclean-datelines ")
    assert info.default_enabled is False
    assert newsclean.clean("PARIS (AFP) — Museums  reopened.", datelines=True) == "Museums reopened."
    assert newsclean.clean("PARIS (AFP) — Museums reopened.") == "PARIS (AFP) — Museums reopened."


def test_rule_pack_reaches_the_boilerplate_cleaner() -> None:
    from newsclean.plugins import get_registry

    sources = {r.source for r in get_registry().rules}
    assert any(s.endswith("wire.toml") for s in sources)
