"""The Cleaner base class and Option validation."""

from __future__ import annotations

import pickle
import re

import pytest

from newsclean import Cleaner, Option, OptionError


class Upper(Cleaner):
    name = "upper"
    description = "Upper-case lines longer than min_length."
    options = {
        "min_length": Option(3, "shortest line to change", check=lambda v: "must be positive" if v < 1 else None),
        "mode": Option("upper", "upper or title", choices=("upper", "title")),
        "ratio": Option(0.5, "unused float"),
        "strict": Option(False, "unused bool"),
        "langs": Option(("en",), "languages"),
    }

    def setup(self) -> None:
        self._set("_fn", str.upper if self.mode == "upper" else str.title)

    def clean(self, text: str) -> str:
        return "\n".join(self._fn(line) if len(line) >= self.min_length else line for line in text.split("\n"))


def test_defaults_become_attributes() -> None:
    c = Upper()
    assert (c.min_length, c.mode, c.ratio, c.strict, c.langs) == (3, "upper", 0.5, False, ("en",))
    assert c.clean("ab\nabc") == "ab\nABC"


def test_options_are_coerced_from_strings() -> None:
    c = Upper(min_length="5", ratio="0.25", strict="yes", langs="en, de")
    assert (c.min_length, c.ratio, c.strict, c.langs) == (5, 0.25, True, ("en", "de"))
    assert Upper(ratio=1).ratio == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_lenght": 2}, "unknown option 'min_lenght' for cleaner 'upper' (did you mean 'min_length'?)"),
        ({"min_length": "many"}, "option upper.min_length expects int"),
        ({"min_length": True}, "option upper.min_length expects int"),
        ({"min_length": 0}, "must be positive"),
        ({"mode": "lower"}, "must be one of 'upper', 'title'"),
        ({"strict": "perhaps"}, "option upper.strict expects bool"),
    ],
)
def test_invalid_options_raise_value_errors_naming_the_choices(kwargs: dict, message: str) -> None:
    with pytest.raises(OptionError, match=re.escape(message)):
        Upper(**kwargs)
    assert issubclass(OptionError, ValueError)


def test_instances_are_immutable() -> None:
    c = Upper()
    with pytest.raises(AttributeError, match="immutable"):
        c.min_length = 10  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del c.mode


def test_pickle_round_trip_keeps_options_and_derived_state() -> None:
    c = Upper(mode="title", min_length=2)
    copy = pickle.loads(pickle.dumps(c))
    assert copy == c and copy is not c
    assert copy.clean("ab cd") == "Ab Cd"


def test_equality_and_repr_show_non_default_options() -> None:
    assert Upper() == Upper()
    assert Upper(mode="title") != Upper()
    assert repr(Upper(mode="title")) == "<cleaner upper mode='title'>"
    assert repr(Upper()) == "<cleaner upper>"
    assert Upper(mode="title").config["mode"] == "title"


def test_default_explain_reports_edits_with_positions() -> None:
    text, changes = Upper().explain("ab\nxyz")
    assert text == "ab\nXYZ"
    assert [(c.start, c.removed, c.inserted, c.category) for c in changes] == [(3, "xyz", "XYZ", "upper")]


def test_missing_clean_raises_not_implemented() -> None:
    class Lazy(Cleaner):
        name = "lazy"
        description = "does nothing"

    with pytest.raises(NotImplementedError, match="lazy"):
        Lazy().clean("x")
