"""The built-in cleaners and rule packs, registered through the same hooks as any plugin.

The rule packs are named after their files: ``en``, ``de``, ``fr``, ``es``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .cleaners.boilerplate import BoilerplateCleaner
from .cleaners.duplicates import DuplicatesCleaner
from .cleaners.hovercards import HovercardsCleaner
from .cleaners.html import HtmlCleaner
from .cleaners.mojibake import MojibakeCleaner
from .cleaners.quotes import QuotesCleaner
from .cleaners.truncation import TruncationCleaner
from .cleaners.unicode import UnicodeCleaner
from .cleaners.whitespace import WhitespaceCleaner
from .hookspecs import hookimpl
from .rules import builtin_packs

__all__ = ["BUILTIN_CLEANERS"]

NEWSCLEAN_API_VERSION = 1

# In default order; each class's ``order`` attribute is what the pipeline sorts by.
BUILTIN_CLEANERS = (
    HtmlCleaner,
    MojibakeCleaner,
    HovercardsCleaner,
    UnicodeCleaner,
    QuotesCleaner,
    TruncationCleaner,
    BoilerplateCleaner,
    DuplicatesCleaner,
    WhitespaceCleaner,
)


@hookimpl
def newsclean_register_cleaners(register: Callable[[type[Any]], None]) -> None:
    for cls in BUILTIN_CLEANERS:
        register(cls)


@hookimpl
def newsclean_register_rules(register: Callable[..., None]) -> None:
    for pack in builtin_packs():
        register(pack)
