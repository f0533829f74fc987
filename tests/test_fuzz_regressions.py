"""Inputs the fuzzers found, and the fuzzers' seeds, replayed through the fuzzers' own checks.

``fuzz/fuzz_targets.py`` holds the targets (the default pipeline, each built-in cleaner) and the
properties (no exception, a ``str`` back, idempotent, ``explain()`` agrees with ``clean()``).
Every failure a fuzzer finds is added to ``FOUND`` before it is fixed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
sys.path.insert(0, str(FUZZ))

from fuzz_targets import TARGETS, check, text_of  # noqa: E402

# (target, input, where it was found)
FOUND = [
    ("default pipeline", "<scr\x00ipt>alert(1)</script>hi", "issue 10: a NUL hid a tag from html"),
    ("default pipeline", "\x7fLloyd AustinLloyd AustinGOP holds MORE", "random fuzzing: DEL hid a hover card"),
    ("default pipeline", "JaneJane Doe+1 chars]\x00ipt>\u201d# said\u2026&am\u200bp;&amp;",
     "random fuzzing: a zero-width space hid an entity"),
    ("default pipeline", "<p \u200b>\u070b\x1a\u1cdd\u00e9#senator\x00iPhone", "random fuzzing: a tag"),
    ("default pipeline", "<b&am&shy;p;shy;>x", "two recheck rounds: html, unicode, html, unicode, html"),
    ("unicode", "a" + "\u0301" * 40 + "\u0316" * 40, "issue 10: long runs of marks out of order"),
]


@pytest.mark.parametrize(("name", "text", "origin"), FOUND, ids=[f"{n}: {o}" for n, _, o in FOUND])
def test_found_inputs(name: str, text: str, origin: str) -> None:
    check(name, text)


def test_seeds() -> None:
    seeds = sorted((FUZZ / "seeds").iterdir())
    assert len(seeds) >= len(TARGETS)
    for seed in seeds:
        check(*text_of(seed.read_bytes()))
