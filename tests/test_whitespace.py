"""The whitespace cleaner."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean import OptionError, Pipeline
from newsclean.cleaners.whitespace import WhitespaceCleaner
from newsclean.testing import check_cleaner, check_idempotent, check_never_raises
from newsclean.testing.strategies import any_text, clean_prose

ws = WhitespaceCleaner()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The  mayor said\t\tthe road  will reopen .", "The mayor said the road will reopen ."),
        ("First paragraph. \n\n\n\nSecond paragraph.\t", "First paragraph.\n\nSecond paragraph."),
        ("\n\n  Headline here  \n\nBody text.\n\n", "Headline here\n\nBody text."),
        ("Line one\r\nLine two\r\n", "Line one\nLine two"),
        ("Prices rose 3%. \n \n \nAnalysts expect more.", "Prices rose 3%.\n\nAnalysts expect more."),
        ("Col A \f Col B\v", "Col A Col B"),
        ("Keep\u00a0NBSP  for the unicode cleaner", "Keep\u00a0NBSP for the unicode cleaner"),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert ws.clean(raw) == expected


def test_max_blank_lines_option() -> None:
    text = "A.\n\n\n\n\nB.\n\nC."
    assert WhitespaceCleaner(max_blank_lines=2).clean(text) == "A.\n\n\nB.\n\nC."
    assert WhitespaceCleaner(max_blank_lines=0).clean(text) == "A.\nB.\nC."
    with pytest.raises(OptionError, match="must be 0 or more"):
        WhitespaceCleaner(max_blank_lines=-1)
    with pytest.raises(OptionError, match="expects int"):
        Pipeline(["whitespace"], options={"whitespace": {"max_blank_lines": "two"}})


def test_clean_text_is_returned_as_the_same_object() -> None:
    text = "Already clean.\n\nNothing to do."
    assert ws.clean(text) is text


@pytest.mark.parametrize("cleaner", [ws, WhitespaceCleaner(max_blank_lines=3)])
def test_conformance(cleaner: WhitespaceCleaner) -> None:
    check_cleaner(cleaner)


def test_conformance_without_blank_lines() -> None:
    # max_blank_lines=0 joins paragraphs by design, so clean prose *does* change.
    cleaner = WhitespaceCleaner(max_blank_lines=0)
    check_never_raises(cleaner)
    check_idempotent(cleaner)


def _slow(text: str, n: int = 1) -> str:
    """Reference implementation without the fast path."""
    import re

    text = re.sub(r"[ \t\f\v]+", " ", text)
    lines = [line.strip(" \t\r\f\v") for line in text.split("\n")]
    text = re.sub(f"\n{{{n + 2},}}", "\n" * (n + 1), "\n".join(lines))
    return text.strip(" \t\r\f\v\n")


@given(text=any_text() | st.text(alphabet=" \t\r\n\f\vab.", max_size=60))
def test_fast_path_equals_reference(text: str) -> None:
    assert ws.clean(text) == _slow(text)


@given(prose=clean_prose(), noise=st.lists(st.sampled_from([" ", "\t", "  ", "\n\n\n"]), max_size=5))
def test_never_deletes_words(prose: str, noise: list[str]) -> None:
    dirty = prose.replace(" ", " " + "".join(noise), 3)
    assert ws.clean(dirty).split() == prose.split()
