"""Rules from plugins and users are checked when loaded: catastrophic and slow patterns are refused by name."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import ConfigError, Rule
from newsclean.rules import RULE_KINDS, builtin_rules, rules_from_data
from newsclean.rules.safety import MAX_AMBIGUOUS_REPEAT, check_pattern

EXPONENTIAL = [
    r"(a|a)+(?:b|!!)",          # the pattern of issue 10 (13.8 s on 26 characters)
    r"(a+)+b",
    r"(\w+\s?)*x",
    r"(?:a|b|ab)+c",
    r"(.*,)+x",
    r"(?:\w+|\d+)+",
    r"(?>(a|a)+b)",             # atomic outside, but it backtracks inside
    r"(?:(?:x|x)y?){17,}z",
    r"(?:\p{L}+ ?)+!",          # regex-only syntax is understood too
]

SAFE = [
    r"(?:\w+ )+x",                       # the space ends each word: one way to split
    r"(?:ab|abc)+",
    r"(?:facebook|flipboard|email|e-mail)+",
    r"[-–—*· ]{0,3}(?:advertisements?|sponsored(?: content)?)[-–—*· ]{0,3}",
    r"\p{L}[\p{L}&.’' -]{0,24}+(?:[|•·] ?\p{L}[\p{L}&.’' -]{0,24}+){2,12}",
    r"(?:a|a){1,3}b",                    # ambiguous, but repeated at most 3 times
    r"(?:a+)++b",                        # possessive: never backtracks into itself
    r".{0,120}",
]


@pytest.mark.parametrize("pattern", EXPONENTIAL)
def test_nested_ambiguous_repetition_is_refused(pattern: str) -> None:
    with pytest.raises(ConfigError, match=r"may take exponential time: .*inside a repetition of up to"):
        check_pattern(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_patterns_pass(pattern: str) -> None:
    check_pattern(pattern)


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_every_shipped_rule_passes(kind: str) -> None:
    for rule in builtin_rules():
        if rule.kind == kind:
            check_pattern(rule.pattern, rule.kind)


@pytest.mark.parametrize(
    "pattern",
    [
        # bounded, so the structural check lets it through; ~0.1 s per line of repeated letters
        r"(?:a|a){1,16}(?:a|a){1,16}b",
        # the datelines plugin's credit rule before this check: a long case-insensitive repetition of
        # a \p{L} class took 0.4-2 s on a line with the credit repeated three times
        r"(?:the )?associated press (?:writers?|reporters?) [\p{L} ,.'-]{3,120} contributed(?: to)? this "
        r"(?:report|story)\.?",
    ],
)
def test_slow_patterns_are_found_by_the_timed_probe(pattern: str) -> None:
    with pytest.raises(ConfigError, match=r"is too slow: one line of \d+ characters \(.*\) took more than"):
        check_pattern(pattern)


def test_rules_are_checked_when_constructed_and_named_in_packs() -> None:
    with pytest.raises(ConfigError, match=r"boilerplate rule '\(a\+\)\+b' may take exponential time.*\(from mine\)"):
        Rule("(a+)+b", category="x", source="mine")
    data = {"rule": [{"pattern": "fine", "category": "x"}, {"pattern": "(a|a)+(?:b|!!)", "category": "x"}]}
    with pytest.raises(ConfigError, match=r"^rule pack site.toml: rule #2: boilerplate rule '\(a\|a\)\+"):
        rules_from_data(data, "site.toml")


WORDS = st.text(alphabet="abcde", min_size=1, max_size=4)


@settings(max_examples=60)
@given(words=st.lists(WORDS, min_size=2, max_size=5, unique=True))
def test_repeated_literal_alternatives(words: list[str]) -> None:
    """Distinct words none of which starts another repeat in one way only: accepted.  The same word
    (of two letters or more: single letters become a character class) twice is two ways to match
    the same text: refused."""
    if not any(a != b and b.startswith(a) for a in words for b in words):
        check_pattern(f"(?:{'|'.join(map(regex.escape, words))})+")
    twice = words[0] * 2
    with pytest.raises(ConfigError):
        check_pattern(f"(?:{'|'.join(map(regex.escape, [twice, *words, twice]))})+")


PATTERN_PIECES = st.sampled_from(["a", "b", ".", r"\w", r"\s", " ", "(", ")", "(?:", "|", "*", "+", "?",
                                  "{2,}", f"{{0,{MAX_AMBIGUOUS_REPEAT + 4}}}", "[ab]", "[^a]", r"\p{L}", "++"])


@settings(max_examples=60)
@given(pieces=st.lists(PATTERN_PIECES, min_size=1, max_size=10))
def test_any_valid_pattern_is_accepted_or_refused_with_a_message(pieces: list[str]) -> None:
    pattern = "".join(pieces)
    try:
        regex.compile(pattern, regex.IGNORECASE | regex.VERSION1)
    except regex.error:
        return
    try:
        check_pattern(pattern)
    except ConfigError as exc:
        assert repr(pattern) in str(exc)
