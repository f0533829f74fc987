"""newsclean-datelines: remove wire-service datelines from the start of news stories.

This package is the reference example of a newsclean plugin.  It implements
both hooks:

- ``newsclean_register_cleaners`` registers :class:`DatelineCleaner`
  (cleaner name ``datelines``, off by default);
- ``newsclean_register_rules`` contributes ``wire.toml``, a rule pack for the
  ``boilerplate`` cleaner with wire-service credit lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsclean import hookimpl

from .cleaner import DatelineCleaner

__all__ = ["DatelineCleaner"]


@hookimpl
def newsclean_register_cleaners(register: Callable[[type[Any]], None]) -> None:
    register(DatelineCleaner)


@hookimpl
def newsclean_register_rules(register: Callable[..., None]) -> None:
    register(Path(__file__).with_name("wire.toml"))
