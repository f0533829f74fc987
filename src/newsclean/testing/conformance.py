"""Property checks every cleaner and rule pack must pass (see :mod:`newsclean.testing`).

Each check raises :class:`ConformanceError` (an ``AssertionError``) whose
message names the cleaner, the property that failed and the smallest input
hypothesis found, with what the cleaner made of it.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..cleaner import Cleaner
from ..rules import Rule, RulePack, normalise_line, read_rule_pack
from .strategies import _derived_texts, clean_prose, clean_sentence, cleaner_inputs

__all__ = [
    "ConformanceError",
    "check_cleaner",
    "check_examples",
    "check_idempotent",
    "check_keeps_clean_prose",
    "check_never_raises",
    "check_no_shared_state",
    "check_picklable",
    "check_rule_pack",
]

_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    "database": None,
}


class ConformanceError(AssertionError):
    """A cleaner or rule pack broke a property; ``prop`` names it, ``input`` is the text that shows it."""

    def __init__(self, subject: str, prop: str, detail: str, text: Any = None) -> None:
        self.subject, self.prop, self.input = subject, prop, text
        message = f"{subject}: {prop}: {detail}"
        if text is not None:
            message += f"\n  input:  {_show(text)}"
        super().__init__(message)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 500 else f"{text[:400]} … {text[-80:]} ({len(value)} characters)"


def _name(cleaner: Cleaner) -> str:
    return f"cleaner {getattr(cleaner, 'name', type(cleaner).__name__)!r}"


def _clean(cleaner: Cleaner, text: str, prop: str) -> str:
    """``cleaner.clean(text)``, with an exception or a non-str result reported as a failure of ``prop``."""
    try:
        result = cleaner.clean(text)
    except Exception as exc:
        raise ConformanceError(
            _name(cleaner), prop, f"clean() raised {type(exc).__name__}: {exc}", text
        ) from exc
    if not isinstance(result, str):
        raise ConformanceError(
            _name(cleaner), prop, f"clean() returned {type(result).__name__} {_show(result)}, not str", text
        )
    return result


def _run(check: Any, cleaner: Cleaner, examples: Iterable[Any], max_examples: int) -> None:
    """``check(text)`` on the texts built from the examples, then on ``max_examples`` generated ones."""
    examples = list(examples)
    for text in _derived_texts(cleaner, examples):
        check(text)
    settings(max_examples=max_examples, **_SETTINGS)(given(cleaner_inputs(cleaner, examples))(check))()


def check_never_raises(cleaner: Cleaner, max_examples: int = 200, *, examples: Iterable[Any] = ()) -> None:
    """``cleaner.clean`` returns a ``str`` for any ``str``, without raising."""

    def prop(text: str) -> None:
        _clean(cleaner, text, "never raises, returns str")

    _run(prop, cleaner, examples, max_examples)


def check_idempotent(cleaner: Cleaner, max_examples: int = 200, *, examples: Iterable[Any] = ()) -> None:
    """Cleaning twice gives the same result as cleaning once (on inputs built from the cleaner's own work)."""

    def prop(text: str) -> None:
        once = _clean(cleaner, text, "idempotent")
        twice = _clean(cleaner, once, "idempotent")
        if twice != once:
            raise ConformanceError(
                _name(cleaner), "idempotent",
                f"cleaning its own output changed it again\n  once:   {_show(once)}\n  twice:  {_show(twice)}", text,
            )

    _run(prop, cleaner, examples, max_examples)


def check_keeps_clean_prose(cleaner: Cleaner, max_examples: int = 100) -> None:
    """Already-clean news prose comes back unchanged."""

    @settings(max_examples=max_examples, **_SETTINGS)
    @given(text=clean_prose())
    def prop(text: str) -> None:
        out = _clean(cleaner, text, "keeps clean prose")
        if out != text:
            raise ConformanceError(_name(cleaner), "keeps clean prose", f"changed it to {_show(out)}", text)

    prop()


def check_picklable(cleaner: Cleaner) -> None:
    """The cleaner survives a pickle round trip and behaves the same afterwards (pipelines go to workers)."""
    try:
        copy = pickle.loads(pickle.dumps(cleaner))
    except Exception as exc:
        raise ConformanceError(
            _name(cleaner), "picklable", f"cannot be pickled ({type(exc).__name__}: {exc}); pipelines are sent "
            "to worker processes, so keep only picklable state (compile patterns in setup())"
        ) from exc
    if copy != cleaner:
        raise ConformanceError(_name(cleaner), "picklable", "the unpickled copy is not equal to the original")
    sample = "Officials  said\u00a0on Monday.\n\n\n&amp; Advertisement"
    if _outcome(copy, sample) != _outcome(cleaner, sample):
        raise ConformanceError(_name(cleaner), "picklable", "the unpickled copy cleans differently", sample)


def _outcome(cleaner: Cleaner, text: str) -> Any:
    """What cleaning ``text`` gives, an exception included (the other checks report those)."""
    try:
        return cleaner.clean(text)
    except Exception as exc:
        return type(exc)


def check_no_shared_state(cleaner: Cleaner, max_examples: int = 50, *, examples: Iterable[Any] = ()) -> None:
    """The result for a document does not depend on the documents cleaned before it.

    Cleans ``x``, then another document, then ``x`` again (and ``x`` on a
    fresh unpickled copy): all must agree, and the cleaner's options must not
    change.  A cleaner that remembers documents (on ``self``, its class or a
    module global) fails; caches that never change a result pass.
    """
    _check_no_shared_state(cleaner, pickle.dumps(cleaner), max_examples, examples)


def _check_no_shared_state(cleaner: Cleaner, blob: bytes, max_examples: int, examples: Iterable[Any]) -> None:
    """:func:`check_no_shared_state` against ``blob``, the cleaner pickled before it cleaned anything."""
    config = dict(cleaner.config)
    examples = list(examples)
    derived = _derived_texts(cleaner, examples)
    for text, other in zip(derived, derived[1:] + derived[:1], strict=True):
        _no_state(cleaner, blob, config, text, other)

    @settings(max_examples=max_examples, **_SETTINGS)
    @given(text=cleaner_inputs(cleaner, examples), other=cleaner_inputs(cleaner, examples))
    def prop(text: str, other: str) -> None:
        _no_state(cleaner, blob, config, text, other)

    prop()


def _no_state(cleaner: Cleaner, blob: bytes, config: dict[str, Any], text: str, other: str) -> None:
    """Clean ``text``, ``other``, ``text`` again and ``text`` on a fresh copy: all must agree."""
    prop_name = "keeps no state between documents"
    first = _clean(cleaner, text, prop_name)
    _clean(cleaner, other, prop_name)
    again = _clean(cleaner, text, prop_name)
    fresh = _clean(pickle.loads(blob), text, prop_name)
    if not first == again == fresh:
        raise ConformanceError(
            _name(cleaner), prop_name,
            f"the same input gave different results\n  first:  {_show(first)}\n  after cleaning "
            f"{_show(other)}:  {_show(again)}\n  fresh copy: {_show(fresh)}", text,
        )
    if dict(cleaner.config) != config:
        raise ConformanceError(_name(cleaner), prop_name, f"its options changed while cleaning: {config} -> "
                               f"{dict(cleaner.config)}", text)


def check_examples(cleaner: Cleaner, examples: Iterable[Any] = ()) -> None:
    """Each ``(input, expected)`` pair in ``examples`` comes out as expected; so do the pairs of the
    cleaner's ``examples`` attribute, which describe its default options, when it has them."""
    defaults = {key: option.default for key, option in type(cleaner).options.items()}
    own = getattr(type(cleaner), "examples", ()) if dict(cleaner.config) == defaults else ()
    pairs = [e for e in [*examples, *own] if not isinstance(e, str)]
    for text, expected in pairs:
        out = _clean(cleaner, text, "examples")
        if out != expected:
            raise ConformanceError(
                _name(cleaner), "examples", f"expected {_show(expected)}\n  got:    {_show(out)}", text
            )


def check_cleaner(cleaner: Cleaner, max_examples: int = 200, *, examples: Iterable[Any] = ()) -> None:
    """Run every conformance property on ``cleaner``.

    ``examples`` are texts or ``(input, expected)`` pairs, added to the
    cleaner's own ``examples``: pairs are checked, and all of them seed the
    generated inputs.
    """
    examples = list(examples)
    try:  # before it cleans anything: the fresh copy check_no_shared_state compares with
        blob = pickle.dumps(cleaner)
    except Exception:
        blob = b""
    check_picklable(cleaner)  # reports a cleaner that does not pickle
    check_examples(cleaner, examples)
    check_never_raises(cleaner, max_examples, examples=examples)
    check_idempotent(cleaner, max_examples, examples=examples)
    check_keeps_clean_prose(cleaner, max(max_examples // 2, 1))
    _check_no_shared_state(cleaner, blob, max(max_examples // 4, 1), examples)


# -- rule packs --------------------------------------------------------------------------------


def _resolve_pack(pack: Any) -> RulePack:
    if isinstance(pack, RulePack):
        return pack
    if isinstance(pack, str) and not pack.endswith(".toml") and not Path(pack).exists():
        from ..plugins import get_registry

        info = get_registry().get_pack(pack)
        return RulePack(info.name, info.rules, info.description, info.default_enabled,
                        info.origin.api_version, info.path, info.examples)
    return read_rule_pack(pack)


def check_rule_pack(pack: RulePack | str | Path, max_examples: int = 100, *, require_examples: bool = True) -> None:
    """Check a rule pack: a :class:`~newsclean.rules.RulePack`, the path of its TOML file, or the name
    of an installed pack.

    - it loads: every pattern compiles and cannot backtrack catastrophically;
    - every rule matches each of its ``examples`` and none of its
      ``counterexamples`` (``require_examples``: every rule has an example);
    - no rule matches a line of clean news prose;
    - the ``boilerplate`` cleaner built with the built-in packs and this one
      passes :func:`check_cleaner`, with the examples as seeds.
    """
    resolved = _resolve_pack(pack)
    subject = f"rule pack {resolved.name!r}"
    if not resolved.rules:
        raise ConformanceError(subject, "has rules", "the pack has no [[rule]] tables")
    for index, rule in enumerate(resolved.rules):
        where = f"rule #{index + 1} ({rule.pattern!r})"
        positive, negative = resolved.examples.get(index, ((), ()))
        if require_examples and not positive:
            raise ConformanceError(subject, "examples", f"{where} has no examples (lines it must remove)")
        for line in positive:
            if not rule.matches(line):
                raise ConformanceError(subject, "examples", f"{where} does not match its example", line)
        for line in negative:
            if rule.matches(line):
                raise ConformanceError(subject, "examples", f"{where} matches its counterexample", line)

    @settings(max_examples=max_examples, **_SETTINGS)
    @given(line=st.one_of(clean_sentence(), clean_prose().map(lambda p: p.split("\n\n")[0])))
    def prose(line: str) -> None:
        for index, rule in enumerate(resolved.rules):
            if rule.matches(line):
                raise ConformanceError(
                    subject, "keeps clean prose", f"rule #{index + 1} ({rule.pattern!r}) matches a line of prose",
                    normalise_line(line),
                )

    prose()
    _check_in_cleaner(resolved, max_examples)


def _check_in_cleaner(pack: RulePack, max_examples: int) -> None:
    from ..plugins import get_registry
    from ..rules import builtin_rules

    registry = get_registry()
    if "boilerplate" not in registry.cleaners:
        return
    rules: list[Rule] = [*builtin_rules(), *pack.rules]
    languages = sorted(({r.language for r in pack.rules} - {"*"}) | {"en"})
    cleaner = registry.get("boilerplate").create({"languages": tuple(languages)}, rules)
    seeds = [line for positive, _ in pack.examples.values() for line in positive]
    check_cleaner(cleaner, max(max_examples // 2, 1), examples=seeds)
