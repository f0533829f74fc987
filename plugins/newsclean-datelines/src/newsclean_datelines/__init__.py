"""newsclean-datelines: remove wire-service datelines from the start of news stories.

This package is the reference example of a newsclean plugin.  It implements
both hooks:

- ``newsclean_register_cleaners`` registers :class:`DatelineCleaner`
  (cleaner name ``datelines``, off by default);
- ``newsclean_register_rules`` contributes ``wire.toml``, the rule pack
  ``wire`` for the ``boilerplate`` cleaner with wire-service credit lines
  (off by default, like the cleaner: ``--enable-rules wire``).

``NEWSCLEAN_API_VERSION`` says which newsclean plugin API it was written for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsclean import hookimpl

from .cleaner import DatelineCleaner

__all__ = ["NEWSCLEAN_API_VERSION", "DatelineCleaner"]

NEWSCLEAN_API_VERSION = 1


@hookimpl
def newsclean_register_cleaners(register: Callable[[type[Any]], None]) -> None:
    register(DatelineCleaner)


@hookimpl
def newsclean_register_rules(register: Callable[..., None]) -> None:
    register(Path(__file__).with_name("wire.toml"))  # the pack "wire", named after its file
