"""Tests of the newsclean-datelines example plugin, written as a plugin author would."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from newsclean_datelines import DatelineCleaner

import newsclean
from newsclean.testing import check_cleaner, check_rule_pack
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
    # check_cleaner also checks DatelineCleaner.examples and builds inputs from them: that is how it
    # found that "WASHINGTON (AP) — WASHINGTON (AP) — The Senate voted." needed two passes.
    check_cleaner(cleaner)
    check_cleaner(DatelineCleaner(require_agency=True, max_paragraphs=1))


@pytest.mark.parametrize(
    "raw",
    [
        "WASHINGTON (AP) — WASHINGTON (AP) — The Senate voted.",
        "LONDON (Reuters) - LONDON (Reuters) - LONDON (Reuters) - Markets fell.",
        "Headline\n\nKYIV, Ukraine — KYIV, Ukraine — Sirens sounded.",
    ],
)
def test_repeated_datelines_go_in_one_pass(raw: str) -> None:
    once = cleaner.clean(raw)
    assert cleaner.clean(once) == once
    assert "(AP)" not in once and "(Reuters)" not in once and "KYIV" not in once


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
    assert (info.origin.package, info.origin.plugin, info.origin.api_version) == ("newsclean-datelines", "datelines", 1)
    assert info.default_enabled is False
    assert newsclean.clean("PARIS (AFP) — Museums  reopened.", datelines=True) == "Museums reopened."
    assert newsclean.clean("PARIS (AFP) — Museums reopened.") == "PARIS (AFP) — Museums reopened."


def test_rule_pack_is_named_off_by_default_and_can_be_enabled() -> None:
    pack = {p.name: p for p in newsclean.rule_packs()}["wire"]
    assert pack.source.startswith("newsclean-datelines ") and pack.default_enabled is False
    assert pack.categories == ("credit",) and len(pack.rules) == 2
    assert "wire" not in newsclean.Pipeline.default().rule_packs  # installing the plugin changes nothing
    # (the built-in "en" pack has credit rules of its own, so leave it out to see the difference)
    text = "The mayor resigned.\n\n(Reporting by Jane Roe; Editing by Sam Poe)"
    assert newsclean.Pipeline.default(disable_rules=["en"]).clean(text) == text
    with_wire = newsclean.Pipeline.default(disable_rules=["en"], enable_rules=["wire"])
    assert "wire" in with_wire.rule_packs and with_wire.clean(text) == "The mayor resigned."


def test_rule_pack_conforms() -> None:
    check_rule_pack("wire", max_examples=50)
