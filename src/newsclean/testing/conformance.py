"""Property checks every cleaner must pass (see :mod:`newsclean.testing`)."""

from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings

from ..cleaner import Cleaner
from .strategies import any_text, clean_prose, dirty_news_text

__all__ = ["check_cleaner", "check_idempotent", "check_keeps_clean_prose", "check_never_raises", "check_picklable"]

_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


def check_never_raises(cleaner: Cleaner, max_examples: int = 200) -> None:
    """``cleaner.clean`` returns a ``str`` for any ``str`` and dirty news text."""

    @settings(max_examples=max_examples, **_SETTINGS)
    @given(text=any_text() | dirty_news_text())
    def prop(text: str) -> None:
        result = cleaner.clean(text)
        assert isinstance(result, str), f"{cleaner.name} returned {type(result).__name__}"

    prop()


def check_idempotent(cleaner: Cleaner, max_examples: int = 200) -> None:
    """Cleaning twice gives the same result as cleaning once."""

    @settings(max_examples=max_examples, **_SETTINGS)
    @given(text=any_text() | dirty_news_text())
    def prop(text: str) -> None:
        once = cleaner.clean(text)
        assert cleaner.clean(once) == once, f"{cleaner.name} is not idempotent on {text!r}"

    prop()


def check_keeps_clean_prose(cleaner: Cleaner, max_examples: int = 100) -> None:
    """Already-clean news prose comes back unchanged."""

    @settings(max_examples=max_examples, **_SETTINGS)
    @given(text=clean_prose())
    def prop(text: str) -> None:
        assert cleaner.clean(text) == text, f"{cleaner.name} changed clean prose {text!r}"

    prop()


def check_picklable(cleaner: Cleaner) -> None:
    """The cleaner survives a pickle round trip and behaves the same afterwards."""
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy == cleaner, f"{cleaner.name} does not survive pickling"
    sample = "Officials  said\u00a0on Monday.\n\n\n&amp; Advertisement"
    assert copy.clean(sample) == cleaner.clean(sample)


def check_cleaner(cleaner: Cleaner, max_examples: int = 200) -> None:
    """Run every conformance property on ``cleaner``."""
    check_picklable(cleaner)
    check_never_raises(cleaner, max_examples)
    check_idempotent(cleaner, max_examples)
    check_keeps_clean_prose(cleaner, max_examples // 2)
