"""The default pipeline as a whole: the seed article, the documented order, and global properties."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings

import newsclean
from newsclean import Pipeline
from newsclean.testing.strategies import any_text, clean_prose, dirty_news_text

FIXTURES = Path(__file__).parent / "fixtures"
README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_seed_article_is_cleaned_exactly() -> None:
    raw = (FIXTURES / "seed-article.raw.txt").read_text(encoding="utf-8")
    expected = (FIXTURES / "seed-article.clean.txt").read_text(encoding="utf-8")
    assert newsclean.clean(raw) == expected


def test_seed_article_explain_names_the_cleaners_that_worked() -> None:
    raw = (FIXTURES / "seed-article.raw.txt").read_text(encoding="utf-8")
    ex = Pipeline.default().explain(raw)
    changed = {r.name for r in ex.reports if r.changed}
    assert {"hovercards", "unicode", "quotes", "whitespace"} <= changed
    assert ex.report("hovercards").edits == 3
    assert not ex.report("mojibake").changed and not ex.report("boilerplate").changed


def test_default_order_is_the_documented_order() -> None:
    documented = re.findall(r"^\| `([a-z_-]+)` \((\d+)\) \|", README, re.M)
    assert len(documented) == 9
    builtin_defaults = [name for name in Pipeline.default().names if name in dict(documented)]
    assert builtin_defaults == [name for name, _ in documented]
    orders = {info.name: info.order for info in newsclean.cleaners()}
    assert all(orders[name] == int(order) for name, order in documented)


def test_disabling_by_keyword_keeps_what_that_cleaner_would_change() -> None:
    text = "He said \u201cno\u201d  today."
    assert newsclean.clean(text) == 'He said "no" today.'
    assert newsclean.clean(text, quotes=False) == "He said \u201cno\u201d today."
    assert newsclean.clean(text, whitespace=False) == 'He said "no"  today.'


@settings(max_examples=300)
@given(text=any_text() | dirty_news_text())
def test_default_pipeline_never_raises_and_is_idempotent(text: str) -> None:
    once = newsclean.clean(text)
    assert isinstance(once, str)
    assert newsclean.clean(once) == once


@given(text=clean_prose())
def test_default_pipeline_leaves_clean_prose_alone(text: str) -> None:
    assert newsclean.clean(text) == text
