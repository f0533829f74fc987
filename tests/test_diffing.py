"""diff_changes: the edits explain mode reports for cleaners without their own explain()."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.cleaner import Change
from newsclean.diffing import _TOKEN_LIMIT, _common_prefix, _common_suffix, diff_changes
from newsclean.testing.strategies import dirty_news_text

ALPHABET = st.sampled_from(list("ab \n\u00e9.\t"))


def apply(before: str, changes: list[Change]) -> str:
    parts, pos = [], 0
    for change in changes:
        assert change.start >= pos, "edits overlap or are out of order"
        assert before[change.start : change.start + len(change.removed)] == change.removed
        assert change.removed != change.inserted, "empty edit"
        parts.append(before[pos : change.start])
        parts.append(change.inserted)
        pos = change.start + len(change.removed)
    parts.append(before[pos:])
    return "".join(parts)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    """A text and a copy with a few insertions, deletions and replacements."""
    before = draw(st.text(ALPHABET, max_size=600) | dirty_news_text())
    after = before
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(after)))
        j = draw(st.integers(i, min(len(after), i + 30)))
        after = after[:i] + draw(st.text(ALPHABET, max_size=8)) + after[j:]
    return before, after


@given(edited())
@settings(max_examples=300)
def test_edits_turn_before_into_after(pair: tuple[str, str]) -> None:
    before, after = pair
    changes = diff_changes(before, after, "x")
    assert apply(before, changes) == after
    assert all(c.category == "x" for c in changes)
    assert (changes == []) == (before == after)


@given(st.text(max_size=300), st.text(max_size=300))
def test_unrelated_texts_too(before: str, after: str) -> None:
    assert apply(before, diff_changes(before, after, "x")) == after


@given(st.text("ab", max_size=40), st.text("ab", max_size=40))
def test_common_prefix_and_suffix(a: str, b: str) -> None:
    prefix = _common_prefix(a, b)
    assert a[:prefix] == b[:prefix] and (prefix == min(len(a), len(b)) or a[prefix] != b[prefix])
    limit = min(len(a), len(b)) - prefix
    suffix = _common_suffix(a, b, limit)
    assert suffix <= limit and a[len(a) - suffix :] == b[len(b) - suffix :]
    assert suffix == limit or a[len(a) - suffix - 1] != b[len(b) - suffix - 1]


def test_scattered_small_edits_in_a_long_article_stay_small() -> None:
    paragraphs = [f"Paragraph {i} says the council  met on Monday and voted on budget item {i}." for i in range(60)]
    before = "\n\n".join(paragraphs)
    after = before.replace("  ", " ")
    changes = diff_changes(before, after, "whitespace")
    assert [(c.removed, c.inserted) for c in changes] == [(" ", "")] * 60
    assert apply(before, changes) == after


def test_every_line_edited_is_diffed_line_by_line() -> None:
    before = "".join(f"Line {i} of the story, with a trailing space \n" for i in range(300))
    after = before.replace(" \n", "\n")
    changes = diff_changes(before, after, "whitespace")
    assert [(c.removed, c.inserted) for c in changes] == [(" ", "")] * 300
    assert apply(before, changes) == after


def test_word_level_edits_inside_one_long_line() -> None:
    before = " ".join(f"word{i} \u201cquoted\u201d" for i in range(200))
    after = before.replace("\u201c", '"').replace("\u201d", '"')
    changes = diff_changes(before, after, "quotes")
    assert len(changes) == 400 and {(c.removed, c.inserted) for c in changes} == {("\u201c", '"'), ("\u201d", '"')}


def test_a_huge_changed_stretch_is_one_edit() -> None:
    before = "x " * (_TOKEN_LIMIT + 10)
    after = "y " * (_TOKEN_LIMIT + 10)
    changes = diff_changes(before, after, "c")
    assert len(changes) == 1 and apply(before, changes) == after


def test_pure_insertions_and_deletions() -> None:
    assert diff_changes("abc", "abXc", "c") == [Change(2, "", "X", "c")]
    assert diff_changes("a\nb\nc\n", "a\nc\n", "c") == [Change(2, "b\n", "", "c")]
    assert diff_changes("", "new", "c") == [Change(0, "", "new", "c")]
