"""What the fuzzers test: the default pipeline and every built-in cleaner, and the properties each keeps.

Shared by the atheris harness (``fuzz/fuzz_cleaners.py``) and the regression tests
(``tests/test_fuzz_regressions.py``, which replay ``fuzz/seeds`` and every input a fuzzer found).
"""

from __future__ import annotations

from newsclean import Pipeline
from newsclean.plugins import get_registry

_BUILTINS = [info for info in get_registry().in_order() if info.cls.__module__.startswith("newsclean.cleaners.")]

#: The built-in default pipeline (plugins' cleaners left out).
DEFAULT = Pipeline([info.name for info in _BUILTINS if info.default_enabled])
#: ``(name, pipeline)``: the default pipeline first, then each built-in cleaner alone.
TARGETS: list[tuple[str, Pipeline]] = [("default pipeline", DEFAULT)] + [
    (info.name, Pipeline([info.name])) for info in _BUILTINS
]


def target(name: str) -> Pipeline:
    return dict(TARGETS)[name]


def text_of(data: bytes, consume_unicode=None) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The target's name and the text a fuzzer's input stands for.

    The first byte picks the target; the second how the rest becomes a string: UTF-8 with
    undecodable bytes as lone surrogates (so a dictionary's UTF-8 tokens keep their meaning), or
    ``consume_unicode(rest)`` (atheris' ``ConsumeUnicode``: any code point), when given.
    """
    if len(data) < 2:
        return TARGETS[0][0], data.decode("utf-8", "surrogateescape")
    name = TARGETS[data[0] % len(TARGETS)][0]
    if data[1] & 1 or consume_unicode is None:
        return name, data[2:].decode("utf-8", "surrogateescape")
    return name, consume_unicode(data[2:])


def check(name: str, text: str) -> None:
    """Raise AssertionError unless the target keeps its properties on ``text``: no exception, a
    ``str`` back, idempotent; for the default pipeline, ``explain()`` gives the same text."""
    pipeline = target(name)
    once = pipeline.clean(text)
    assert isinstance(once, str), f"{name}: returned {type(once).__name__} for {text!r}"
    twice = pipeline.clean(once)
    assert twice == once, f"{name}: not idempotent on {text!r}: {once!r} -> {twice!r}"
    if pipeline is DEFAULT:
        explained = pipeline.explain(text).text
        assert explained == once, f"{name}: explain() gave {explained!r}, clean() {once!r}, for {text!r}"
