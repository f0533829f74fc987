"""The built-in cleaners and rule packs, registered through the same hooks as any plugin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .cleaners.whitespace import WhitespaceCleaner
from .hookspecs import hookimpl
from .rules import builtin_rules

__all__ = ["BUILTIN_CLEANERS"]

BUILTIN_CLEANERS = (
    WhitespaceCleaner,
)


@hookimpl
def newsclean_register_cleaners(register: Callable[[type[Any]], None]) -> None:
    for cls in BUILTIN_CLEANERS:
        register(cls)


@hookimpl
def newsclean_register_rules(register: Callable[..., None]) -> None:
    register(builtin_rules())
