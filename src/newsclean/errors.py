"""The exceptions newsclean raises.

Every error the library raises on purpose derives from :class:`NewscleanError`,
so callers can catch one class.  Configuration mistakes are also
:class:`ValueError` (bad values) so that generic code handling ``ValueError``
keeps working.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "CleanerError",
    "ConfigError",
    "DuplicateCleanerError",
    "NewscleanError",
    "OptionError",
    "PluginError",
    "PluginLoadWarning",
    "UnknownCleanerError",
    "suggest",
]


class NewscleanError(Exception):
    """Base class of every exception newsclean raises on purpose."""


class ConfigError(NewscleanError, ValueError):
    """A pipeline or cleaner was configured with a name or value that is not valid."""


class UnknownCleanerError(ConfigError, KeyError):
    """A cleaner name that no installed plugin provides."""

    def __init__(self, name: str, valid: Iterable[str]) -> None:
        self.name = name
        self.valid = sorted(valid)
        hint = suggest(name, self.valid)
        message = f"unknown cleaner {name!r}{hint}; available cleaners: {', '.join(self.valid) or '(none)'}"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class OptionError(ConfigError):
    """An unknown option, or an option value of the wrong type or outside its choices."""


class PluginError(NewscleanError):
    """A plugin could not be loaded or registered something invalid."""


class DuplicateCleanerError(PluginError):
    """Two plugins registered a cleaner under the same name."""


class CleanerError(NewscleanError):
    """A cleaner raised while cleaning a document.

    ``cleaner`` is the name of the cleaner that failed; the original exception
    is chained as ``__cause__``.
    """

    def __init__(self, cleaner: str, error: BaseException) -> None:
        self.cleaner = cleaner
        self.error = error
        super().__init__(f"cleaner {cleaner!r} failed: {type(error).__name__}: {error}")


class PluginLoadWarning(UserWarning):
    """A plugin failed to load and was skipped (fatal in strict mode)."""


def suggest(name: str, valid: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest valid names, or ``""``."""
    close = difflib.get_close_matches(name, list(valid), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
