"""Tests of the newsclean-outlets rule pack, written as a rule-pack author would: with the kit."""

from __future__ import annotations

from importlib import resources

import pytest

import newsclean
from newsclean.testing import check_rule_pack

PACK = resources.files("newsclean_outlets").joinpath("outlets.toml")


def test_the_pack_conforms() -> None:
    # loads (no catastrophic pattern), every rule removes its examples and keeps its
    # counterexamples, no rule matches clean prose, and the boilerplate cleaner stays conformant
    check_rule_pack("outlets", max_examples=60)


def test_installed_through_the_data_only_entry_point() -> None:
    pack = {p.name: p for p in newsclean.rule_packs()}["outlets"]
    assert pack.source.startswith("newsclean-outlets ")
    assert (pack.origin.plugin, pack.origin.api_version) == ("outlets", 1)
    assert pack.default_enabled and pack.path.endswith("outlets.toml")
    assert {"footer", "related", "newsletter"} <= set(pack.categories)


ARTICLE = "Storm closes schools\n\nSchools closed on Monday as the storm reached the coast, officials said."


@pytest.mark.parametrize(
    "furniture",
    [
        "Our Standards: The Thomson Reuters Trust Principles.",
        "The BBC is not responsible for the content of external sites.",
        "Copyright 2024 Nexstar Media Inc. All rights reserved. This material may not be published, "
        "broadcast, rewritten, or redistributed.",
        "Find AP’s standards for working with philanthropies, a list of supporters and funded coverage "
        "areas at AP.org.",
    ],
)
def test_the_default_pipeline_removes_outlet_furniture(furniture: str) -> None:
    assert newsclean.clean(f"{ARTICLE}\n\n{furniture}") == ARTICLE
    assert newsclean.Pipeline.default(disable_rules=["outlets", "en"]).clean(f"{ARTICLE}\n\n{furniture}") != ARTICLE


def test_a_heading_takes_its_block_of_links() -> None:
    text = f"{ARTICLE}\n\nRelated Topics\nWeather\nSchools"
    assert newsclean.clean(text) == ARTICLE
