"""The one-call API: :func:`clean`, :func:`trace` and :func:`cleaners`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .pipeline import Pipeline
from .registry import CleanerInfo, RulePackInfo

if TYPE_CHECKING:
    from .tracing import Trace

__all__ = ["clean", "cleaners", "clear_cache", "rule_packs", "trace"]


def clean(text: str, **cleaners: bool | Mapping[str, Any]) -> str:
    """Clean ``text`` with the default pipeline.

    Keyword arguments adjust the default pipeline by cleaner name: ``False``
    disables a cleaner, ``True`` enables one that is off by default, and a
    mapping enables it with those options::

        newsclean.clean(raw)                                   # default pipeline
        newsclean.clean(raw, quotes=False)                     # keep typographic quotes
        newsclean.clean(raw, unicode={"form": "NFKC"})         # options for one cleaner

    The resolved pipeline is cached per distinct set of arguments, so calling
    this in a loop costs no more than calling ``Pipeline.clean``.
    """
    if not cleaners:
        return _pipeline(()).clean(text)  # the common case: no argument handling at all
    return _pipeline(_freeze(cleaners)).clean(text)


def trace(text: str, **cleaners: bool | Mapping[str, Any]) -> Trace:
    """Clean ``text`` like :func:`clean` (same keyword arguments) and return the
    :class:`~newsclean.tracing.Trace`: the cleaned text, every edit positioned in the raw
    text and in the output, and offset maps between them::

        t = newsclean.trace(raw)
        t.text == newsclean.clean(raw)
        for edit in t.edits:
            edit.cleaner, edit.category, edit.original, edit.removed, edit.inserted
        t.to_original_span((10, 25))        # a span of the cleaned text, in the raw text
    """
    return _pipeline(_freeze(cleaners) if cleaners else ()).trace(text)


def _freeze(cleaners: Mapping[str, bool | Mapping[str, Any]]) -> tuple[tuple[str, Any], ...]:
    frozen = []
    for name, value in sorted(cleaners.items()):
        if isinstance(value, bool):
            frozen.append((name, value))
        elif isinstance(value, Mapping):
            frozen.append((name, tuple(sorted((k, _hashable(v)) for k, v in value.items()))))
        else:
            raise TypeError(
                f"clean(..., {name}=...) takes True, False or a dict of options, got {type(value).__name__}"
            )
    return tuple(frozen)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@functools.lru_cache(maxsize=64)
def _pipeline(frozen: tuple[tuple[str, Any], ...]) -> Pipeline:
    enable = [name for name, value in frozen if value is True or isinstance(value, tuple)]
    disable = [name for name, value in frozen if value is False]
    options = {name: dict(value) for name, value in frozen if isinstance(value, tuple)}
    return Pipeline.default(enable=enable, disable=disable, options=options)


def clear_cache() -> None:
    """Forget cached pipelines (after the registry changed)."""
    _pipeline.cache_clear()


def cleaners() -> list[CleanerInfo]:
    """Every available cleaner, built-in or from a plugin, in default order.

    Each item has ``name``, ``description``, ``default_enabled``, ``order``,
    ``options`` and ``source`` (the package it came from).
    """
    from .plugins import get_registry

    return get_registry().in_order()


def rule_packs() -> list[RulePackInfo]:
    """Every boilerplate rule pack, built-in or from a plugin, in registration order.

    Each item has ``name``, ``description``, ``default_enabled``, ``rules``,
    ``categories``, ``languages``, ``source`` and ``origin`` (plugin, package,
    version and declared plugin API version).
    """
    from .plugins import get_registry

    return list(get_registry().packs.values())
