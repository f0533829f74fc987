"""diff_changes: the edits explain mode reports for cleaners without their own explain()."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.cleaner import Change
from newsclean.diffing import (
    _MATCHER_LIMIT,
    _TOKEN,
    _common_prefix,
    _common_suffix,
    _greedy_opcodes,
    _inside_token,
    diff_changes,
)
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


def test_long_repetitive_lines_are_aligned_greedily_and_exactly() -> None:
    # difflib's cost grows with the product of the lengths when pieces repeat; past _MATCHER_LIMIT
    # pieces the greedy alignment takes over and still finds every local edit
    before = "  ".join(["alpha", "beta"] * 3000)  # one line, ~12,000 tokens, 5,999 double spaces
    after = before.replace("  ", " ")
    changes = diff_changes(before, after, "whitespace")
    assert len(changes) == 5999 and {(c.removed, c.inserted) for c in changes} == {(" ", "")}
    assert apply(before, changes) == after
    lines = "".join(f"line {i}  \n\n" for i in range(3000))  # blank lines repeat 3,000 times
    changes = diff_changes(lines, lines.replace("  \n", "\n"), "whitespace")
    assert len(changes) == 3000 and apply(lines, changes) == lines.replace("  \n", "\n")


def test_when_nothing_agrees_within_the_window_the_rest_is_one_edit() -> None:
    before, after = "!" * _MATCHER_LIMIT, "?" * _MATCHER_LIMIT  # 2 x 1000 one-character tokens
    assert diff_changes(before, after, "c") == [Change(0, before, after, "c")]


@given(st.text(st.sampled_from(list("ab_1 \t\n.\u00e9\u0661-")), max_size=30), st.data())
def test_trimming_stops_at_token_boundaries(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    inside = any(m.start() < pos < m.end() for m in _TOKEN.finditer(text))
    assert _inside_token(text, pos) == inside


@given(st.lists(st.sampled_from("abc"), max_size=80), st.lists(st.sampled_from("abc"), max_size=80))
def test_greedy_opcodes_describe_the_transformation(a: list[str], b: list[str]) -> None:
    ops = _greedy_opcodes(a, b)
    i = j = 0
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j), "opcodes must be contiguous"
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2] and i2 > i1
        else:
            kinds = {(True, True): "replace", (True, False): "delete", (False, True): "insert"}
            assert tag == kinds[(i2 > i1, j2 > j1)]
        rebuilt += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b)) and rebuilt == b


def test_pure_insertions_and_deletions() -> None:
    assert diff_changes("abc", "abXc", "c") == [Change(2, "", "X", "c")]
    assert diff_changes("a\nb\nc\n", "a\nc\n", "c") == [Change(2, "b\n", "", "c")]
    assert diff_changes("", "new", "c") == [Change(0, "", "new", "c")]
